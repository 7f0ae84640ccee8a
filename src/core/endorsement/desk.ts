import type { Translate } from '../../i18n/index.ts';
import type { Actor, Application, AuditEntry, Conversation, Posted, Store } from '../records.ts';
import { countryName } from '../application/parse.ts';
import { daysUntil } from '../calls/engine.ts';
import { formatDay, formatDaysFromNow } from '../calls/format.ts';
import type { Call } from '../calls/schema.ts';
import type { Clock } from '../clock.ts';
import type { Lang } from '../lang.ts';
import { addressKey, NotifyError, type Outbox } from '../notifier.ts';
import type { Reply } from '../reply.ts';
import { userKey, type Turn } from '../turn.ts';
import {
  conflictOfInterest, COUNTS_AS_ENDORSED, DECIDED, decide, decisionDeadline, ENDORSE_ACTIONS, forward, parseActionValue, refusal, resubmit,
  type Decision, type Refusal,
} from './decisions.ts';
import { roomEndpoint, type Routing } from './routing.ts';
import { EndorseText, type CardContext } from './text.ts';

/** What the endorsement workflow needs from the rest of the core. */
export interface DeskDeps {
  t: Translate;
  clock: Clock;
  calls: readonly Call[];
  store: Store;
  routing: Routing;
  outbox: Outbox;
  /** The GNLC coordination team's contact. */
  contact: { email: string; phone: string };
  /** Where failures to deliver are reported (the process logger). */
  warn?: (obj: Record<string, unknown>, msg: string) => void;
}

/** Log-safe description of an error (no message text from users). */
const errCode = (err: unknown) => (err instanceof NotifyError ? err.code : (err as Error)?.name ?? 'error');

/**
 * The National Commissions' desk: posts each submitted application to its commission's room, records
 * endorse / return / decline decisions under the rules (only the commission's endorsers, at most N
 * endorsements per call, before the commission deadline, one decision per version), keeps every card
 * up to date where it was posted, tells the applicant, forwards endorsed applications to the
 * coordinators, and writes every decision and refused attempt to the audit log.
 */
export class EndorsementDesk {
  readonly text: EndorseText;

  constructor(private readonly deps: DeskDeps) {
    this.text = new EndorseText(deps.t);
  }

  private t(lang: Lang, key: string, vars?: Record<string, unknown>): string {
    return this.deps.t(lang, key, vars);
  }

  private call(app: Pick<Application, 'cycle'>): Call {
    return this.deps.calls.find((c) => c.id === app.cycle) ?? this.deps.calls[this.deps.calls.length - 1]!;
  }

  private commissionLang(country: string): Lang {
    return this.deps.routing.commission(country)?.lang ?? 'en';
  }

  /** The commission's name in a language. */
  commissionName(country: string, lang: Lang): string {
    return this.text.commissionName(country, this.deps.routing.commission(country), lang);
  }

  private async cardContext(app: Application, lang: Lang, siblings?: Application[]): Promise<CardContext> {
    const list = siblings ?? (await this.deps.store.applications.listByCountry(app.cycle, app.country));
    const call = this.call(app);
    return {
      call,
      now: this.deps.clock.now(),
      commission: this.commissionName(app.country, lang),
      endorsed: list.filter((a) => COUNTS_AS_ENDORSED.includes(a.status)).length,
      limit: call.limitPerCommission,
    };
  }

  /** The commission's card of an application as it stands. */
  async card(app: Application, siblings?: Application[]): Promise<Reply> {
    const lang = this.commissionLang(app.country);
    return this.text.card(app, await this.cardContext(app, lang, siblings), lang);
  }

  private audit(entry: Omit<AuditEntry, 'at'>): Promise<void> {
    return this.deps.store.audit.append({ at: this.deps.clock.now().toISOString(), ...entry });
  }

  private actor(turn: Turn): Actor {
    return { key: userKey(turn), ...(turn.user.name ? { name: turn.user.name } : {}) };
  }

  /** Sends to an address; a failure is logged and reported as undefined, never thrown. */
  private async send(key: string, replies: Reply[], what: string): Promise<Posted[] | undefined> {
    try {
      return await this.deps.outbox.send(key, replies);
    } catch (err) {
      this.deps.warn?.({ key, what, code: errCode(err) }, 'could not deliver a message');
      return undefined;
    }
  }

  /** Tells the coordinators (their room, else each member directly); resolves to what was posted. */
  async toCoordinators(replies: (lang: Lang) => Reply[], what: string): Promise<Posted[]> {
    const routing = this.deps.routing;
    const lang = routing.coordinatorsLang();
    const posted: Posted[] = [];
    for (const to of routing.coordinatorEndpoints()) posted.push(...((await this.send(addressKey(to), replies(lang), what)) ?? []));
    return posted;
  }

  /** Tells the applicant of an application, in their language. */
  private toApplicant(app: Application, reply: Reply): Promise<Posted[] | undefined> {
    const key = addressKey({ channel: app.applicant.platform, kind: 'user', id: app.applicant.userId });
    return this.send(key, [reply], 'applicant');
  }

  /**
   * Replies meant for the person who acted only: in a shared room they go to that person directly (their
   * DM with the bot); when that is not possible, into the room.
   */
  private async privately(turn: Turn, replies: Reply[]): Promise<Reply[]> {
    if (turn.room.direct) return replies;
    const sent = await this.send(addressKey({ channel: turn.platform, kind: 'user', id: turn.user.id }), replies, 'private');
    return sent ? [] : replies;
  }

  /**
   * A new or resubmitted application: posts its card to the commission's room and records where; resolves
   * to the sentence that tells the applicant where it went and what happens next.
   */
  async route(app: Application): Promise<string> {
    const lang = app.lang;
    const country = countryName(app.country, lang);
    const city = String(app.answers['city.name']);
    const commission = this.deps.routing.commission(app.country);
    const name = this.commissionName(app.country, lang);
    const system: Actor = { key: 'system' };
    if (!commission?.room) {
      await this.audit({ actor: system, channel: 'system', action: 'route', outcome: 'no_commission', application: app.id, cycle: app.cycle, country: app.country });
      await this.toCoordinators(
        (l) => [{ lang: l, text: this.t(l, 'endorse:coord.no_commission', { id: app.id, city, country: countryName(app.country, l), code: app.country }) }],
        'no_commission',
      );
      const email = commission?.email ? `${commission.email}, ` : '';
      return this.t(lang, 'endorse:no_commission', { country, email: `${email}${this.deps.contact.email}`, phone: this.deps.contact.phone });
    }
    const key = addressKey(roomEndpoint(commission.room));
    let posted: Posted[] | undefined;
    let code = '';
    try {
      posted = await this.deps.outbox.send(key, [await this.card(app)]);
    } catch (err) {
      code = errCode(err);
    }
    await this.audit({ actor: system, channel: 'system', room: key, action: 'route', outcome: posted ? 'done' : code, application: app.id, cycle: app.cycle, country: app.country });
    if (!posted) {
      this.deps.warn?.({ key, application: app.id, code }, 'could not post an application to its commission');
      await this.toCoordinators(
        (l) => [{ lang: l, text: this.t(l, 'endorse:coord.not_delivered', { id: app.id, city, country: countryName(app.country, l), commission: this.commissionName(app.country, l), code }) }],
        'not_delivered',
      );
      return this.t(lang, 'endorse:routed_failed', { commission: name, email: this.deps.contact.email });
    }
    await this.addPosts(app, posted);
    const call = this.call(app);
    const deadline = decisionDeadline(call);
    return this.t(lang, 'endorse:routed', {
      commission: name,
      deadline: deadline ? formatDay(deadline.date, lang) : this.t(lang, 'endorse:no_deadline'),
      days: deadline ? formatDaysFromNow(daysUntil(deadline.date, this.deps.clock.now(), call.timeZone), lang) : '',
      limit: call.limitPerCommission ?? '—',
    });
  }

  /** Records where a card of the application's current version was posted, to update it in place later. */
  async addPosts(app: Pick<Application, 'id' | 'revision'>, posted: Posted[]): Promise<void> {
    await this.deps.store.applications.update(app.id, (a) =>
      a.revision === app.revision ? { app: { ...a, posts: [...a.posts, ...posted] }, result: undefined } : { result: undefined },
    );
  }

  /** Redraws an application's card everywhere it is posted (after a decision, or when the counter moved). */
  private async refresh(app: Application, siblings?: Application[], opts: { forwarded?: boolean } = {}): Promise<void> {
    if (!app.posts.length) return;
    const lang = this.commissionLang(app.country);
    const card = this.text.card(app, await this.cardContext(app, lang, siblings), lang, opts);
    for (const p of app.posts) {
      try {
        await this.deps.outbox.update(p, card);
      } catch (err) {
        this.deps.warn?.({ key: p.key, application: app.id, code: errCode(err) }, 'could not update a posted card');
      }
    }
  }

  /** Whether the turn's user is the application's applicant or contact person (then they may not decide on it). */
  private conflict(turn: Turn, app: Application): Refusal | undefined {
    return conflictOfInterest(app, { key: userKey(turn), emails: this.deps.routing.endorserEmails(turn, app.country) });
  }

  /** Handles the commission's buttons and the applicant's "edit and resubmit"; undefined for other actions. */
  async onAction(turn: Turn, conv: Conversation, id: string, value: string | undefined, lang: Lang): Promise<Reply[] | undefined> {
    if (id === ENDORSE_ACTIONS.reopen) return this.reopen(turn, conv, value, lang);
    if (id !== ENDORSE_ACTIONS.endorse && id !== ENDORSE_ACTIONS.return && id !== ENDORSE_ACTIONS.decline) return undefined;
    const decision: Decision = id;
    const target = parseActionValue(value);
    const app = target && (await this.deps.store.applications.get(target.id));
    if (!target || !app) return this.refuse(turn, decision, { code: 'unknown_application' }, undefined, lang);
    if (!this.deps.routing.isEndorser(turn, app.country)) return this.refuse(turn, decision, { code: 'not_an_endorser' }, app, lang);
    const conflict = this.conflict(turn, app);
    if (conflict) return this.refuse(turn, decision, conflict, app, lang);
    const siblings = await this.deps.store.applications.listByCountry(app.cycle, app.country);
    const early = refusal(app, siblings, decision, { call: this.call(app), now: this.deps.clock.now(), revision: target.revision });
    if (early) return this.refuse(turn, decision, early, app, lang);
    if (decision === 'endorse') return this.apply(turn, decision, target, undefined, lang);
    // Return and decline need a reason: the next thing this endorser types.
    conv.pending = { action: decision, application: app.id, revision: target.revision, at: this.deps.clock.now().toISOString() };
    return this.privately(turn, [{ lang, text: this.t(lang, `endorse:reason_prompt.${decision}`, { id: app.id, city: app.answers['city.name'] }), expects: { field: 'reason', kind: 'text' } }]);
  }

  /** Typed text while an endorser owes a reason; undefined when nothing is pending. */
  async onReason(turn: Turn, conv: Conversation, text: string, lang: Lang, isCancel: boolean): Promise<Reply[] | undefined> {
    const pending = conv.pending;
    if (!pending) return undefined;
    if (isCancel) {
      conv.pending = undefined;
      return [{ lang, text: this.t(lang, 'endorse:reason_cancelled', { id: pending.application }) }];
    }
    const reason = text.trim().slice(0, 2000);
    if (reason.length < 2) return [{ lang, text: this.t(lang, 'endorse:reason_empty'), expects: { field: 'reason', kind: 'text' } }];
    conv.pending = undefined;
    return this.apply(turn, pending.action, { id: pending.application, revision: pending.revision }, reason, lang);
  }

  private async refuse(turn: Turn, decision: string, r: Refusal, app: Application | undefined, lang: Lang): Promise<Reply[]> {
    // A press on a card that still shows buttons for a decided application: the process that decided it was
    // stopped before it redrew the card. It is redrawn now, wherever it was posted.
    if (app && r.code === 'already_decided') await this.refresh(app);
    await this.audit({
      actor: this.actor(turn), channel: turn.platform, room: turn.room.id, action: decision, outcome: r.code,
      ...(app ? { application: app.id, cycle: app.cycle, country: app.country } : {}),
    });
    const name = app ? this.commissionName(app.country, lang) : '';
    return this.privately(turn, [{ lang, text: this.text.refusal(r, app, name, lang, this.deps.contact.email) }]);
  }

  /**
   * Records a decision under the shard's lock (so two endorsers pressing together give one decision and
   * the quota is never exceeded), then updates the cards, forwards, and tells the applicant.
   */
  private async apply(turn: Turn, decision: Decision, target: { id: string; revision: number }, reason: string | undefined, lang: Lang): Promise<Reply[]> {
    const by = this.actor(turn);
    const now = this.deps.clock.now();
    type Outcome = { refused: Refusal; app: Application } | { app: Application; siblings: Application[] };
    const outcome = await this.deps.store.applications.update<Outcome>(target.id, (app, siblings) => {
      const r = this.conflict(turn, app) ?? refusal(app, siblings, decision, { call: this.call(app), now, revision: target.revision });
      if (r) return { result: { refused: r, app } };
      const next = decide(app, decision, by, now, reason);
      return { app: next, result: { app: next, siblings: siblings.map((s) => (s.id === next.id ? next : s)) } };
    });
    if (!outcome) return this.refuse(turn, decision, { code: 'unknown_application' }, undefined, lang);
    if ('refused' in outcome) return this.refuse(turn, decision, outcome.refused, outcome.app, lang);
    let { app, siblings } = outcome;
    await this.audit({ actor: by, channel: turn.platform, room: turn.room.id, action: decision, outcome: 'done', application: app.id, cycle: app.cycle, country: app.country, ...(reason ? { reason } : {}) });
    let forwarded = false;
    if (decision === 'endorse') {
      const fwd = await this.forward(app, siblings);
      if (fwd) {
        [app, forwarded] = [fwd, true];
        siblings = siblings.map((s) => (s.id === app.id ? app : s));
      }
    }
    await this.refresh(app, siblings);
    // The counter on the other cards of this country moved.
    if (decision === 'endorse') for (const s of siblings) if (s.id !== app.id && s.status === 'submitted') await this.refresh(s, siblings);
    await this.tellApplicant(app, forwarded);
    const counter = this.text.counter(siblings.filter((s) => COUNTS_AS_ENDORSED.includes(s.status)).length, this.call(app).limitPerCommission, lang);
    return this.privately(turn, [{ lang, text: this.t(lang, `endorse:done.${DECIDED[decision]}`, { id: app.id, city: app.answers['city.name'], counter }) }]);
  }

  /** `endorsed → forwarded`: the coordinators get the endorsed application; undefined when nobody could be reached. */
  private async forward(app: Application, siblings: Application[]): Promise<Application | undefined> {
    const card = await this.forwardedCard(app, siblings);
    const posted = await this.toCoordinators(() => [card], 'forward');
    if (!posted.length) return undefined;
    return this.markForwarded(app);
  }

  /** The coordinators' card of an endorsed application, as forwarded to them. */
  async forwardedCard(app: Application, siblings?: Application[]): Promise<Reply> {
    const lang = this.deps.routing.coordinatorsLang();
    return this.text.card(forward(app, this.deps.clock.now()), await this.cardContext(app, lang, siblings), lang, { forwarded: true });
  }

  private async markForwarded(app: Application): Promise<Application | undefined> {
    const now = this.deps.clock.now();
    const done = await this.deps.store.applications.update(app.id, (a) => {
      if (a.status !== 'endorsed') return { result: undefined };
      const next = forward(a, now);
      return { app: next, result: next };
    });
    await this.audit({ actor: { key: 'system' }, channel: 'system', action: 'forward', outcome: done ? 'done' : 'not_endorsed', application: app.id, cycle: app.cycle, country: app.country });
    return done;
  }

  /**
   * An endorsed application whose forwarding failed has now reached the coordinators (the alerts retried
   * it): it becomes `forwarded`, the commission's card says so, and the applicant is told.
   */
  async forwardedLate(app: Application): Promise<void> {
    const done = await this.markForwarded(app);
    if (!done) return;
    await this.refresh(done);
    const lang = done.lang;
    const city = done.answers['city.name'];
    await this.toApplicant(done, { lang, text: this.t(lang, 'endorse:applicant.forwarded', { id: done.id, city, commission: this.commissionName(done.country, lang) }) });
  }

  private async tellApplicant(app: Application, forwarded: boolean): Promise<void> {
    const lang = app.lang;
    const status = app.decision?.status ?? app.status;
    const call = this.call(app);
    const deadline = decisionDeadline(call);
    const text = this.t(lang, `endorse:applicant.${status}`, {
      id: app.id,
      city: app.answers['city.name'],
      commission: this.commissionName(app.country, lang),
      reason: app.decision?.reason ?? '',
      email: this.deps.contact.email,
      deadline: deadline ? formatDay(deadline.date, lang) : this.t(lang, 'endorse:no_deadline'),
    });
    const more = forwarded ? `\n\n${this.t(lang, 'endorse:applicant.forwarded', { id: app.id, city: app.answers['city.name'], commission: this.commissionName(app.country, lang) })}` : '';
    await this.toApplicant(app, { lang, text: `${text}${more}`, actions: status === 'returned' ? [this.text.reopenButton(app, lang)] : undefined });
  }

  /** The applicant reopens a returned application as a draft at the review, to edit and resubmit. */
  private async reopen(turn: Turn, conv: Conversation, value: string | undefined, lang: Lang): Promise<Reply[]> {
    const app = value ? await this.deps.store.applications.get(value) : undefined;
    if (!app || app.applicant.key !== userKey(turn)) return [{ lang, text: this.t(lang, 'endorse:refused.unknown_application') }];
    if (conv.intake?.resubmit?.id === app.id) return [];
    if (app.status !== 'returned') return [{ lang, text: this.t(lang, 'endorse:reopen_not_returned', { id: app.id, status: this.t(lang, `form:status_names.${app.status}`) }) }];
    if (conv.intake) return [{ lang, text: this.t(lang, 'endorse:reopen_draft_exists') }];
    const late = this.tooLate(app, lang);
    if (late) return [{ lang, text: late }];
    conv.intake = {
      mode: 'review', answers: structuredClone(app.answers), skipped: [], history: [], returnToReview: false,
      resubmit: { id: app.id, revision: app.revision }, startedAt: this.deps.clock.now().toISOString(),
    };
    return [{ lang, text: this.t(lang, 'endorse:reopened', { id: app.id }) }];
  }

  /** Why a returned application can no longer be resubmitted (its commission deadline passed), or undefined. */
  tooLate(app: Pick<Application, 'cycle'>, lang: Lang): string | undefined {
    const d = decisionDeadline(this.call(app));
    if (!d || this.deps.clock.now().getTime() < d.ends.getTime()) return undefined;
    return this.t(lang, 'endorse:resubmit_too_late', { date: formatDay(d.date, lang), email: this.deps.contact.email });
  }

  /**
   * `returned → submitted` with the edited answers: a new version goes to the commission showing what
   * changed. Resolves to the applicant's confirmation, or a refusal when the application is no longer
   * returned (or the deadline passed).
   */
  async resubmit(target: { id: string; revision: number }, answers: Application['answers'], turn: Turn, lang: Lang): Promise<{ ok: boolean; text: string }> {
    const now = this.deps.clock.now();
    const by = userKey(turn);
    const result = await this.deps.store.applications.update<Application | { refused: string }>(target.id, (app) => {
      if (app.applicant.key !== by) return { result: { refused: this.t(lang, 'endorse:refused.unknown_application') } };
      if (app.status !== 'returned' || app.revision !== target.revision) {
        return { result: { refused: this.t(lang, 'endorse:reopen_not_returned', { id: app.id, status: this.t(lang, `form:status_names.${app.status}`) }) } };
      }
      const late = this.tooLate(app, lang);
      if (late) return { result: { refused: late } };
      const next = resubmit(app, answers, by, now);
      return { app: next, result: next };
    });
    if (!result) return { ok: false, text: this.t(lang, 'endorse:refused.unknown_application') };
    if ('refused' in result) return { ok: false, text: result.refused };
    await this.audit({ actor: this.actor(turn), channel: turn.platform, room: turn.room.id, action: 'resubmit', outcome: 'done', application: result.id, cycle: result.cycle, country: result.country });
    const routed = await this.route(result);
    return { ok: true, text: `${this.t(lang, 'endorse:resubmitted', { id: result.id, revision: result.revision })}\n\n${routed}` };
  }
}
