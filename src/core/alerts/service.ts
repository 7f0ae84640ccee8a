import { ALERT_VERSION, type AlertRecord, type Conversation, type Store } from '../records.ts';
import type { Call } from '../calls/schema.ts';
import type { Clock } from '../clock.ts';
import type { EndorsementDesk } from '../endorsement/desk.ts';
import { roomEndpoint, type Routing } from '../endorsement/routing.ts';
import { languageOf, type Lang } from '../lang.ts';
import { addressKey, NotifyError, type Outbox } from '../notifier.ts';
import type { Reply } from '../reply.ts';
import { callTimes, candidates, type Candidate, type Person, type Situation } from './rules.ts';
import type { AlertText, PlannedAlert } from './text.ts';

/** What the alerts need from the rest of the core. */
export interface AlertDeps {
  clock: Clock;
  calls: readonly Call[];
  store: Store;
  routing: Routing;
  outbox: Outbox;
  desk: Pick<EndorsementDesk, 'addPosts' | 'forwardedLate'>;
  text: AlertText;
  warn?: (obj: Record<string, unknown>, msg: string) => void;
}

/** An alert due now, written out. */
export interface DueAlert {
  candidate: Candidate;
  replies: Reply[];
  /** Its record when an earlier attempt failed (or was cut off). */
  record?: AlertRecord;
}

/** One alert of a run, as `gnlc alerts --json` prints it. */
export interface AlertLine {
  key: string;
  rule: string;
  call: string;
  to: { channel: string; kind: string; id: string };
  lang: Lang;
  text: string;
  /** After a real run: what happened. */
  outcome?: 'sent' | 'failed' | 'deferred';
  error?: string;
}

/** A `sending` record older than this is from a process that stopped mid-send: the alert is tried again. */
export const STALE_SENDING_MS = 15 * 60_000;
/** Waiting time after the n-th failure: 15 min, 30 min, 1 h … at most 6 h. */
export function retryDelay(attempts: number): number {
  return Math.min(15 * 60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3600_000);
}

/** How far ahead the rules look when someone asks what is scheduled. */
export const PLAN_DAYS = 30;

/**
 * Deadline alerts: works out from the calls, the routing, the applications and the conversations which
 * alerts are due, and sends each exactly once. Each alert has a stable key recorded in the store before
 * it is sent (a claim no second process can also make), so restarts, overlapping ticks, the CLI beside
 * the server and clock changes never repeat one. A failed send is retried with growing delays while the
 * alert still makes sense; one overtaken by events (its window passed, the draft was submitted, the
 * application decided) is no longer a candidate and is dropped.
 */
export class AlertService {
  /** Keys known to be sent: final, so they need no second read of their record (cleared when large). */
  private readonly sent = new Set<string>();

  constructor(private readonly deps: AlertDeps) {}

  /** The record of an alert, unless it is known to be sent. */
  private async record(key: string): Promise<AlertRecord | 'sent' | undefined> {
    if (this.sent.has(key)) return 'sent';
    const r = await this.deps.store.alerts.get(key);
    if (r?.state !== 'sent') return r;
    if (this.sent.size > 100_000) this.sent.clear();
    this.sent.add(key);
    return 'sent';
  }

  /** The situation the rules read, loaded from the store; calls far from `from`…`to` are left out. */
  async situation(from: Date, to: Date): Promise<Situation> {
    const { routing, store } = this.deps;
    // A call matters from a day before its opening (subscribers, the first digest) until its endorsement phase ends.
    const calls = this.deps.calls.filter((c) => {
      const t = callTimes(c);
      const end = t.decision?.ends ?? t.closes;
      return to.getTime() >= t.opens.getTime() - 24 * 3600_000 && from.getTime() < end.getTime();
    });
    const apps = new Map<string, Awaited<ReturnType<Store['applications']['listByCycle']>>>();
    for (const c of calls) apps.set(c.id, await store.applications.listByCycle(c.id));
    const people: Person[] = [];
    if (calls.length)
      await store.conversations.scan((conv) => {
        const p = personOf(conv, this.deps.calls);
        if (p) people.push(p);
      });
    return {
      calls,
      coordinators: {
        to: routing.coordinatorEndpoints(),
        lang: routing.coordinatorsLang(),
        zone: routing.coordinatorsZone(),
      },
      commission: (country) => {
        const c = routing.commission(country);
        return c?.room ? { room: roomEndpoint(c.room), lang: c.lang ?? 'en', zone: c.timeZone } : undefined;
      },
      applications: (id) => apps.get(id) ?? [],
      people,
    };
  }

  /** The alerts due at `now` that have not been sent (or whose retry time has come), written out. */
  async due(now: Date = this.deps.clock.now()): Promise<DueAlert[]> {
    const s = await this.situation(now, now);
    const out: DueAlert[] = [];
    for (const c of candidates(s)) {
      if (c.due.getTime() > now.getTime() || now.getTime() >= c.until.getTime()) continue;
      const record = await this.record(c.key);
      if (record === 'sent' || (record && !retryable(record, now))) continue;
      out.push({ candidate: c, replies: await this.deps.text.render(c, now), ...(record ? { record } : {}) });
    }
    return out;
  }

  /**
   * Evaluates the rules at `now` and sends what is due (nothing with `dryRun`); resolves to one line per
   * alert. Alerts to one recipient go out together, plain ones merged into a single message. A platform
   * that fails with anything but "cannot reach this address" (rate limited after the client's own
   * retries, down) is left alone for the rest of the run: its alerts stay unclaimed for the next tick.
   */
  async run(opts: { now?: Date; dryRun?: boolean } = {}): Promise<AlertLine[]> {
    const now = opts.now ?? this.deps.clock.now();
    const due = await this.due(now);
    if (opts.dryRun) return due.map((d) => line(d));
    const byRecipient = new Map<string, DueAlert[]>();
    for (const d of due) {
      const key = addressKey(d.candidate.to);
      byRecipient.set(key, [...(byRecipient.get(key) ?? []), d]);
    }
    const lines: AlertLine[] = [];
    const resting = new Set<string>();
    for (const [address, group] of byRecipient) {
      if (resting.has(group[0]!.candidate.to.channel)) {
        lines.push(...group.map((d) => line(d, 'deferred')));
        continue;
      }
      const claimed: DueAlert[] = [];
      for (const d of group) if (await this.claim(d, now)) claimed.push(d);
      // Plain alerts to one recipient become one message; alerts carrying application cards keep their own.
      const plain = claimed.filter((d) => d.replies.length === 1 && !d.replies[0]!.tracked);
      const batches = [...(plain.length ? [plain] : []), ...claimed.filter((d) => !plain.includes(d)).map((d) => [d])];
      for (const batch of batches) {
        const replies = batch.length === 1 ? batch[0]!.replies : [merge(batch.map((d) => d.replies[0]!))];
        try {
          const posted = await this.deps.outbox.send(address, replies);
          await this.trackCards(batch, replies, posted);
          for (const d of batch)
            if (d.candidate.payload.kind === 'forward') await this.deps.desk.forwardedLate(d.candidate.payload.app);
          for (const d of batch) await this.settle(d, now, 'sent');
          lines.push(...batch.map((d) => line(d, 'sent')));
        } catch (err) {
          const code = err instanceof NotifyError ? err.code : 'error';
          if (!(err instanceof NotifyError)) resting.add(group[0]!.candidate.to.channel);
          this.deps.warn?.(
            { key: address, rules: batch.map((d) => d.candidate.rule), code },
            'could not deliver an alert; it will be retried',
          );
          for (const d of batch) await this.settle(d, now, 'failed', code);
          lines.push(...batch.map((d) => line(d, 'failed', code)));
        }
      }
    }
    return lines;
  }

  /** Marks an alert as being sent; false when someone else has it (another process, or it was sent meanwhile). */
  private async claim(d: DueAlert, now: Date): Promise<boolean> {
    const c = d.candidate;
    const at = now.toISOString();
    if (!d.record) {
      return this.deps.store.alerts.claim({
        version: ALERT_VERSION,
        key: c.key,
        rule: c.rule,
        call: c.call.id,
        to: addressKey(c.to),
        state: 'sending',
        attempts: 1,
        claimedAt: at,
        updatedAt: at,
      });
    }
    const current = await this.deps.store.alerts.get(c.key);
    if (!current || !retryable(current, now)) return false;
    const attempts = current.attempts + 1;
    d.record = { ...current, state: 'sending', attempts, updatedAt: at, retryAt: undefined, error: undefined };
    // Each further attempt is claimed under its own key too, so two processes never both retry one alert.
    if (!(await this.deps.store.alerts.claim({ ...d.record, key: `${c.key}#${attempts}` }))) return false;
    await this.deps.store.alerts.put(d.record);
    return true;
  }

  private async settle(d: DueAlert, now: Date, state: 'sent' | 'failed', error?: string): Promise<void> {
    const current = (await this.deps.store.alerts.get(d.candidate.key)) ?? d.record;
    if (!current) return;
    const at = now.toISOString();
    const next: AlertRecord = { ...current, state, updatedAt: at, retryAt: undefined, error: undefined };
    if (state === 'sent') this.sent.add(current.key);
    if (state === 'failed')
      Object.assign(next, { retryAt: new Date(now.getTime() + retryDelay(current.attempts)).toISOString(), error });
    await this.deps.store.alerts.put(next);
  }

  /** Cards posted by an alert are kept up to date like the first ones (their buttons stay usable). */
  private async trackCards(batch: DueAlert[], replies: Reply[], posted: { key: string; id: string }[]): Promise<void> {
    const p = batch[0]!.candidate.payload;
    const apps = p.kind === 'card' ? [p.app] : p.kind === 'room_deadline' ? p.apps : [];
    if (!apps.length) return;
    if (posted.length !== replies.length) {
      this.deps.warn?.(
        { key: batch[0]!.candidate.key, replies: replies.length, posted: posted.length },
        'alert cards posted as a different number of messages; not tracked',
      );
      return;
    }
    const offset = replies.length - apps.length;
    for (const [i, app] of apps.entries()) await this.deps.desk.addPosts(app, [posted[offset + i]!]);
  }

  /**
   * What is scheduled from `now` for `days` days as things stand (and what is due but not yet sent), by
   * time; drafts finished or applications decided before then will drop theirs.
   */
  async plan(now: Date = this.deps.clock.now(), days = PLAN_DAYS): Promise<PlannedAlert[]> {
    const to = new Date(now.getTime() + days * 24 * 3600_000);
    const s = await this.situation(now, to);
    const out: PlannedAlert[] = [];
    for (const c of candidates(s)) {
      if (c.due.getTime() >= to.getTime() || c.until.getTime() <= now.getTime()) continue;
      const record = await this.record(c.key);
      if (record === 'sent') continue;
      const at = new Date(Math.max(c.due.getTime(), now.getTime(), record?.retryAt ? Date.parse(record.retryAt) : 0));
      if (at.getTime() < c.until.getTime()) out.push({ candidate: c, at, failed: record?.state === 'failed' });
    }
    return out.sort((a, b) => a.at.getTime() - b.at.getTime() || a.candidate.key.localeCompare(b.candidate.key));
  }
}

/** True when a record's alert may be attempted (again) at `now`. */
function retryable(r: AlertRecord, now: Date): boolean {
  if (r.state === 'sent') return false;
  if (r.state === 'failed') return !r.retryAt || Date.parse(r.retryAt) <= now.getTime();
  return now.getTime() - Date.parse(r.updatedAt) >= STALE_SENDING_MS;
}

/**
 * A conversation as the alerts see its person; undefined when it has nothing an alert could be about.
 * `calls` are all the calls, by opening: the one a subscriber waits for is the first to open after they
 * asked, whichever calls the current run looks at.
 */
export function personOf(conv: Conversation, calls: readonly Call[]): Person | undefined {
  const i = conv.key.indexOf(':');
  const channel = conv.key.slice(0, i);
  if (channel !== 'slack' && channel !== 'teams' && channel !== 'local') return undefined;
  const asked = conv.alerts?.nextCall ? Date.parse(conv.alerts.nextCall) : undefined;
  const waitsFor = asked === undefined ? undefined : calls.find((c) => callTimes(c).opens.getTime() > asked)?.id;
  if (!conv.intake && !waitsFor) return undefined;
  const answers = conv.intake?.answers as Record<string, unknown> | undefined;
  return {
    to: { channel, kind: 'user', id: conv.key.slice(i + 1) },
    lang: languageOf(conv),
    ...(conv.timeZone ? { zone: conv.timeZone } : {}),
    ...(conv.intake
      ? {
          draft: {
            ...(typeof answers?.['city.country'] === 'string' ? { country: answers['city.country'] } : {}),
            ...(typeof answers?.['city.name'] === 'string' ? { city: answers['city.name'] } : {}),
            ...(conv.intake.resubmit ? { resubmit: conv.intake.resubmit.id } : {}),
          },
        }
      : {}),
    ...(waitsFor ? { waitsFor } : {}),
    off: conv.alerts?.off === true,
  };
}

/** Several plain alerts to one recipient as one message (their buttons once each). */
function merge(replies: Reply[]): Reply {
  if (replies.length === 1) return replies[0]!;
  const actions = replies
    .flatMap((r) => r.actions ?? [])
    .filter((a, i, all) => all.findIndex((b) => b.id === a.id && b.value === a.value) === i);
  return {
    lang: replies[0]!.lang,
    text: replies.map((r) => r.text).join('\n\n'),
    ...(actions.length ? { actions } : {}),
  };
}

/** The printed form of an alert. */
function line(d: DueAlert, outcome?: AlertLine['outcome'], error?: string): AlertLine {
  const c = d.candidate;
  return {
    key: c.key,
    rule: c.rule,
    call: c.call.id,
    to: { channel: c.to.channel, kind: c.to.kind, id: c.to.id },
    lang: c.lang,
    text: d.replies.map((r) => r.text).join('\n\n'),
    ...(outcome ? { outcome } : {}),
    ...(error ? { error } : {}),
  };
}
