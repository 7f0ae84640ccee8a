import type { Lang } from '../lang.ts';
import type { Application, Conversation } from '../records.ts';
import type { Reply } from '../reply.ts';
import type { Handler } from '../router/context.ts';
import { userKey, type Platform, type Turn } from '../turn.ts';
import { admitInvited, type Invited } from './invitation.ts';
import {
  conflictOfInterest,
  COUNTS_AS_ENDORSED,
  DECIDED,
  decide,
  decisionDeadline,
  ENDORSE_ACTIONS,
  parseActionValue,
  refusal,
  resubmit,
  type Decision,
  type Refusal,
} from './decisions.ts';
import { AfterDecision } from './after-decision.ts';
import { Postings, type DeskDeps } from './post.ts';
import { routeApplication } from './route.ts';
import type { Endorsements, ResubmitRefusal, RouteOutcome } from '../application/ports.ts';
import type { EndorseText } from './text.ts';

export type { DeskDeps } from './post.ts';
export type { ResubmitRefusal, RouteOutcome } from '../application/ports.ts';

/**
 * The National Commissions' desk: records endorse / return / decline decisions under the rules (only the
 * commission's endorsers, at most N endorsements per call, before the commission deadline, one decision per
 * version, never on one's own application), keeps every card up to date where it was posted, tells the
 * applicant, forwards endorsed applications to the coordinators, takes resubmissions of returned ones, and
 * writes every decision and refused attempt to the audit log.
 */
export class EndorsementDesk implements Endorsements {
  readonly post: Postings;
  readonly text: EndorseText;
  private readonly after: AfterDecision;

  constructor(private readonly deps: DeskDeps) {
    this.post = new Postings(deps);
    this.text = this.post.text;
    this.after = new AfterDecision(this.post);
  }

  /**
   * An endorsed application whose forwarding failed has now reached the coordinators (the alerts retried
   * it): it becomes `forwarded`, the commission's card says so, and the applicant is told.
   */
  forwardedLate(app: Application): Promise<void> {
    return this.after.forwardedLate(app);
  }

  /** A person who opened an invitation link (checked by their channel): its endorser, once; told in `lang`. */
  admitInvited(who: { platform: Platform; user: string }, invited: Invited | 'expired' | 'invalid', lang: Lang) {
    return admitInvited(this.post, who, invited, lang);
  }

  /** What waits for the person's decision (see Postings.waiting): a web chat shows it when it opens. */
  waiting(turn: Pick<Turn, 'platform' | 'user' | 'room'>, lang: Lang): Promise<Reply[]> {
    return this.post.waiting(turn, lang);
  }

  private t(lang: Lang, key: string, vars?: Record<string, unknown>): string {
    return this.deps.t(lang, key, vars);
  }

  /** The commission's name in a language. */
  commissionName(country: string, lang: Lang): string {
    return this.post.commissionName(country, lang);
  }

  /** The commission's card of an application as it stands. */
  card(app: Application, siblings?: Application[]): Promise<Reply> {
    return this.post.card(app, siblings);
  }

  /** The coordinators' card of an endorsed application, as forwarded to them. */
  forwardedCard(app: Application, siblings?: Application[]): Promise<Reply> {
    return this.post.forwardedCard(app, siblings);
  }

  /** Records where a card of the application's current version was posted. */
  addPosts(app: Pick<Application, 'id' | 'revision'>, posted: Application['posts']): Promise<void> {
    return this.post.addPosts(app, posted);
  }

  /** Posts a new or resubmitted application to its commission (see `routeApplication`). */
  route(app: Application): Promise<RouteOutcome> {
    return routeApplication(this.post, app);
  }

  /** The endorsers' handler: a reason owed after return or decline, and the commission's buttons. */
  readonly handle: Handler = ({ turn, conversation, lang, action, text }) => {
    if (action) return this.onAction(turn, conversation, action.id, action.value, lang);
    return conversation.pending ? this.onReason(turn, conversation, text ?? '', lang) : undefined;
  };

  /** Whether the turn's user is the application's applicant or contact person (then they may not decide on it). */
  private conflict(turn: Turn, app: Application): Refusal | undefined {
    return conflictOfInterest(app, { key: userKey(turn), emails: this.deps.routing.endorserEmails(turn, app.country) });
  }

  /** Handles the commission's buttons; undefined for other actions. */
  private async onAction(
    turn: Turn,
    conv: Conversation,
    id: string,
    value: string | undefined,
    lang: Lang,
  ): Promise<Reply[] | undefined> {
    if (id !== ENDORSE_ACTIONS.endorse && id !== ENDORSE_ACTIONS.return && id !== ENDORSE_ACTIONS.decline)
      return undefined;
    const decision: Decision = id;
    const target = parseActionValue(value);
    const app = target && (await this.deps.store.applications.get(target.id));
    if (!target || !app) return this.refuse(turn, decision, { code: 'unknown_application' }, undefined, lang);
    if (!this.deps.routing.isEndorser(turn, app.country))
      return this.refuse(turn, decision, { code: 'not_an_endorser' }, app, lang);
    const conflict = this.conflict(turn, app);
    if (conflict) return this.refuse(turn, decision, conflict, app, lang);
    const siblings = await this.deps.store.applications.listByCountry(app.cycle, app.country);
    const early = refusal(app, siblings, decision, {
      call: this.post.call(app),
      now: this.deps.clock.now(),
      revision: target.revision,
    });
    if (early) return this.refuse(turn, decision, early, app, lang);
    if (decision === 'endorse') return this.apply(turn, decision, target, undefined, lang);
    // Return and decline need a reason: the next thing this endorser types.
    conv.pending = {
      action: decision,
      application: app.id,
      revision: target.revision,
      at: this.deps.clock.now().toISOString(),
    };
    const prompt = this.t(lang, `endorse:reason_prompt.${decision}`, { id: app.id, city: app.answers['city.name'] });
    return this.post.privately(turn, [{ lang, text: prompt, expects: { field: 'reason', kind: 'text' } }]);
  }

  /** Typed text while an endorser owes a reason (a cancel word withdraws the decision). */
  private async onReason(turn: Turn, conv: Conversation, text: string, lang: Lang): Promise<Reply[]> {
    const pending = conv.pending!;
    if (this.deps.isCancel(text)) {
      conv.pending = undefined;
      return [{ lang, text: this.t(lang, 'endorse:reason_cancelled', { id: pending.application }) }];
    }
    const reason = text.trim().slice(0, 2000);
    if (reason.length < 2)
      return [{ lang, text: this.t(lang, 'endorse:reason_empty'), expects: { field: 'reason', kind: 'text' } }];
    conv.pending = undefined;
    return this.apply(turn, pending.action, { id: pending.application, revision: pending.revision }, reason, lang);
  }

  private async refuse(
    turn: Turn,
    decision: string,
    r: Refusal,
    app: Application | undefined,
    lang: Lang,
  ): Promise<Reply[]> {
    // A press on a card that still shows buttons for a decided application: the process that decided it was
    // stopped before it redrew the card. It is redrawn now, wherever it was posted.
    if (app && r.code === 'already_decided') await this.post.refresh(app);
    await this.post.audit({
      actor: this.post.actor(turn),
      channel: turn.platform,
      room: turn.room.id,
      action: decision,
      outcome: r.code,
      ...(app ? { application: app.id, cycle: app.cycle, country: app.country } : {}),
    });
    const name = app ? this.commissionName(app.country, lang) : '';
    return this.post.privately(turn, [{ lang, text: this.text.refusal(r, app, name, lang, this.deps.contact.email) }]);
  }

  /**
   * Records a decision under the shard's lock (so two endorsers pressing together give one decision and
   * the quota is never exceeded), then updates the cards, forwards, and tells the applicant.
   */
  private async apply(
    turn: Turn,
    decision: Decision,
    target: { id: string; revision: number },
    reason: string | undefined,
    lang: Lang,
  ): Promise<Reply[]> {
    const by = this.post.actor(turn);
    const now = this.deps.clock.now();
    type Outcome = { refused: Refusal; app: Application } | { app: Application; siblings: Application[] };
    const outcome = await this.deps.store.applications.update<Outcome>(target.id, (app, siblings) => {
      const r =
        this.conflict(turn, app) ??
        refusal(app, siblings, decision, { call: this.post.call(app), now, revision: target.revision });
      if (r) return { result: { refused: r, app } };
      const next = decide(app, decision, by, now, reason);
      return { app: next, result: { app: next, siblings: siblings.map((s) => (s.id === next.id ? next : s)) } };
    });
    if (!outcome) return this.refuse(turn, decision, { code: 'unknown_application' }, undefined, lang);
    if ('refused' in outcome) return this.refuse(turn, decision, outcome.refused, outcome.app, lang);
    let { app, siblings } = outcome;
    const where = { application: app.id, cycle: app.cycle, country: app.country, ...(reason ? { reason } : {}) };
    await this.post.audit({
      actor: by,
      channel: turn.platform,
      room: turn.room.id,
      action: decision,
      outcome: 'done',
      ...where,
    });
    let forwarded = false;
    if (decision === 'endorse') {
      const fwd = await this.after.forward(app, siblings);
      if (fwd) {
        [app, forwarded] = [fwd, true];
        siblings = siblings.map((s) => (s.id === app.id ? app : s));
      }
    }
    await this.post.refresh(app, siblings);
    // The counter on the other cards of this country moved.
    if (decision === 'endorse')
      for (const s of siblings) if (s.id !== app.id && s.status === 'submitted') await this.post.refresh(s, siblings);
    await this.after.tellApplicant(app, forwarded);
    const endorsed = siblings.filter((s) => COUNTS_AS_ENDORSED.includes(s.status)).length;
    const counter = this.text.counter(endorsed, this.post.call(app).limitPerCommission, lang);
    const done = this.t(lang, `endorse:done.${DECIDED[decision]}`, {
      id: app.id,
      city: app.answers['city.name'],
      counter,
    });
    return this.post.privately(turn, [{ lang, text: done }]);
  }

  /** The turn's user's own application of that id (undefined for someone else's: they may not reopen it). */
  async ownApplication(turn: Turn, id: string | undefined): Promise<Application | undefined> {
    const app = id ? await this.deps.store.applications.get(id) : undefined;
    return app && app.applicant.key === userKey(turn) ? app : undefined;
  }

  /** Whether a returned application can no longer be resubmitted (its commission deadline passed). */
  tooLate(app: Pick<Application, 'cycle'>): { code: 'too_late'; date: string } | undefined {
    const d = decisionDeadline(this.post.call(app));
    if (!d || this.deps.clock.now().getTime() < d.ends.getTime()) return undefined;
    return { code: 'too_late', date: d.date };
  }

  /**
   * `returned → submitted` with the edited answers: a new version goes to the commission showing what
   * changed. Refused when the application is no longer returned as it was (or the deadline passed).
   */
  async resubmit(
    target: { id: string; revision: number },
    answers: Application['answers'],
    turn: Turn,
  ): Promise<{ ok: true; app: Application; routed: RouteOutcome } | { ok: false; refusal: ResubmitRefusal }> {
    const now = this.deps.clock.now();
    const by = userKey(turn);
    const result = await this.deps.store.applications.update<Application | ResubmitRefusal>(target.id, (app) => {
      if (app.applicant.key !== by) return { result: { code: 'unknown_application' } };
      if (app.status !== 'returned' || app.revision !== target.revision)
        return { result: { code: 'not_returned', id: app.id, status: app.status } };
      const late = this.tooLate(app);
      if (late) return { result: late };
      const next = resubmit(app, answers, by, now);
      return { app: next, result: next };
    });
    if (!result) return { ok: false, refusal: { code: 'unknown_application' } };
    if ('code' in result) return { ok: false, refusal: result };
    const { id, cycle, country } = result;
    await this.post.audit({
      actor: this.post.actor(turn),
      channel: turn.platform,
      room: turn.room.id,
      action: 'resubmit',
      outcome: 'done',
      application: id,
      cycle,
      country,
    });
    return { ok: true, app: result, routed: await this.route(result) };
  }
}
