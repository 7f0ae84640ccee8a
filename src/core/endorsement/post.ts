import type { Translate } from '../../i18n/index.ts';
import type { Call } from '../calls/schema.ts';
import type { Clock } from '../clock.ts';
import type { Lang } from '../lang.ts';
import { addressKey, NotifyError, type Outbox } from '../notifier.ts';
import type { Actor, Application, AuditEntry, Posted, Store } from '../records.ts';
import type { Reply } from '../reply.ts';
import { userKey, type Turn } from '../turn.ts';
import { COUNTS_AS_ENDORSED, decisionDeadline, forward } from './decisions.ts';
import type { Routing } from './routing.ts';
import type { Deliveries } from '../deliveries.ts';
import { EndorseText, type CardContext } from './text.ts';

/** What the endorsement workflow needs from the rest of the core. */
export interface DeskDeps {
  t: Translate;
  clock: Clock;
  calls: readonly Call[];
  store: Store;
  routing: Routing;
  outbox: Outbox;
  /** Messages to people not speaking now, delivered at least once (after the decision is stored). */
  deliveries: Deliveries;
  /** The GNLC coordination team's contact. */
  contact: { email: string; phone: string };
  /** Whether a text is a cancel word (an endorser owing a reason withdraws the decision with it). */
  isCancel: (text: string) => boolean;
  /** Where failures to deliver are reported (the process logger). */
  warn?: (obj: Record<string, unknown>, msg: string) => void;
}

/** Log-safe description of an error (no message text from users). */
export const errCode = (err: unknown) => (err instanceof NotifyError ? err.code : ((err as Error)?.name ?? 'error'));

/**
 * Where the endorsement workflow's messages go: the application cards (drawn for the commission or the
 * coordinators, posted, and redrawn where they were posted), the applicant, the coordinators, the person who
 * pressed; and the audit log every decision and refused attempt is written to.
 */
export class Postings {
  readonly text: EndorseText;

  constructor(readonly deps: DeskDeps) {
    this.text = new EndorseText(deps.t);
  }

  /** The call of an application (the latest when its id is unknown). */
  call(app: Pick<Application, 'cycle'>): Call {
    return this.deps.calls.find((c) => c.id === app.cycle) ?? this.deps.calls[this.deps.calls.length - 1]!;
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
    const lang = this.deps.routing.commissionLang(app.country);
    return this.text.card(app, await this.cardContext(app, lang, siblings), lang);
  }

  /** The coordinators' card of an endorsed application, as forwarded to them. */
  async forwardedCard(app: Application, siblings?: Application[]): Promise<Reply> {
    const lang = this.deps.routing.coordinatorsLang();
    const context = await this.cardContext(app, lang, siblings);
    return this.text.card(forward(app, this.deps.clock.now()), context, lang, { forwarded: true });
  }

  audit(entry: Omit<AuditEntry, 'at'>): Promise<void> {
    return this.deps.store.audit.append({ at: this.deps.clock.now().toISOString(), ...entry });
  }

  /** Who acts: their key, and their name as the platform gives it, else as the routing has it (a web chat's). */
  actor(turn: Turn): Actor {
    const name = turn.user.name || this.deps.routing.memberName(turn);
    return { key: userKey(turn), ...(name ? { name } : {}) };
  }

  /** Sends to an address; a failure is logged and reported as undefined, never thrown. */
  async send(key: string, replies: Reply[], what: string): Promise<Posted[] | undefined> {
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
    for (const to of routing.coordinatorEndpoints())
      posted.push(...((await this.send(addressKey(to), replies(lang), what)) ?? []));
    return posted;
  }

  /** Tells the applicant of an application, in their language: at least once, once the decision is stored. */
  toApplicant(app: Application, reply: Reply): Promise<void> {
    const key = addressKey({ channel: app.applicant.platform, kind: 'user', id: app.applicant.userId });
    return this.deps.deliveries.send(key, [reply], 'applicant');
  }

  /**
   * Replies meant for the person who acted only: in a shared room they go to that person directly (their
   * DM with the bot); when that is not possible, into the room.
   */
  async privately(turn: Turn, replies: Reply[]): Promise<Reply[]> {
    if (turn.room.direct) return replies;
    const dm = addressKey({ channel: turn.platform, kind: 'user', id: turn.user.id });
    if (!this.deps.store.outbox) return (await this.send(dm, replies, 'private')) ? [] : replies;
    // With a transactional store, "done" is said once the decision is committed (a crash before leaves nothing
    // said); the room is the fallback then, since the turn has already answered.
    this.deps.store.afterCommit(async () => {
      if (!(await this.send(dm, replies, 'private')))
        await this.send(addressKey({ channel: turn.platform, kind: 'room', id: turn.room.id }), replies, 'private');
    });
    return [];
  }

  /**
   * Runs `fn` once the turn's writes are stored: at once with a store that writes as it goes, after the commit
   * with one that writes a turn in a transaction (PostgreSQL, the store with an outbox), so that nobody is
   * shown a decision that a crash before the commit undid.
   */
  private async whenStored(fn: () => Promise<void>): Promise<void> {
    if (!this.deps.store.outbox) return fn();
    this.deps.store.afterCommit(fn);
  }

  /** Records where a card of the application's current version was posted, to update it in place later. */
  async addPosts(app: Pick<Application, 'id' | 'revision'>, posted: Posted[]): Promise<void> {
    await this.deps.store.applications.update(app.id, (a) =>
      a.revision === app.revision
        ? { app: { ...a, posts: [...a.posts, ...posted] }, result: undefined }
        : { result: undefined },
    );
  }

  /**
   * What waits for the person's decision, for a chat that keeps no history of cards (the web chat) to show as it
   * opens: the cards of the submitted applications of the commissions they endorse for, in calls whose commission
   * deadline has not passed, or a line saying nothing waits; nothing for someone who endorses for none.
   */
  async waiting(turn: Pick<Turn, 'platform' | 'user' | 'room'>, lang: Lang): Promise<Reply[]> {
    const { routing, calls, store, clock } = this.deps;
    const countries = routing.endorsedCountries(turn);
    if (!countries.length) return [];
    const now = clock.now().getTime();
    const open = calls.filter((c) => (decisionDeadline(c)?.ends.getTime() ?? Number.POSITIVE_INFINITY) > now);
    const cards: Reply[] = [];
    for (const country of countries) {
      for (const call of open) {
        const apps = await store.applications.listByCountry(call.id, country);
        for (const app of apps.filter((a) => a.status === 'submitted')) cards.push(await this.card(app, apps));
      }
    }
    return cards.length ? cards : [{ lang, text: this.deps.t(lang, 'endorse:none_waiting') }];
  }

  /** Redraws an application's card everywhere it is posted (after a decision, or when the counter moved). */
  async refresh(app: Application, siblings?: Application[]): Promise<void> {
    if (!app.posts.length) return;
    const lang = this.deps.routing.commissionLang(app.country);
    const card = this.text.card(app, await this.cardContext(app, lang, siblings), lang);
    await this.whenStored(async () => {
      for (const p of app.posts) {
        try {
          await this.deps.outbox.update(p, card);
        } catch (err) {
          this.deps.warn?.({ key: p.key, application: app.id, code: errCode(err) }, 'could not update a posted card');
        }
      }
    });
  }
}
