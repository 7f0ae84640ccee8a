import type { AlertDeps } from './deps.ts';
import { loadSituation } from './load-situation.ts';
import { retryable } from './retry.ts';
import { candidates } from './rules.ts';
import { type AlertLine, AlertSender, alertLine, type DueAlert } from './sending.ts';
import type { Situation } from './situation.ts';
import type { PlannedAlert } from './text.ts';

export type { AlertDeps } from './deps.ts';
export type { AlertLine, DueAlert } from './sending.ts';

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
  private readonly sender: AlertSender;

  constructor(private readonly deps: AlertDeps) {
    this.sender = new AlertSender(deps);
  }

  /** The situation the rules read, loaded from the store; calls far from `from`…`to` are left out. */
  situation(from: Date, to: Date): Promise<Situation> {
    return loadSituation(this.deps, from, to);
  }

  /** The alerts due at `now` that have not been sent (or whose retry time has come), written out. */
  async due(now: Date = this.deps.clock.now()): Promise<DueAlert[]> {
    const s = await this.situation(now, now);
    const out: DueAlert[] = [];
    for (const c of candidates(s)) {
      if (c.due.getTime() > now.getTime() || now.getTime() >= c.until.getTime()) continue;
      const record = await this.sender.record(c.key);
      if (record === 'sent' || (record && !retryable(record, now))) continue;
      out.push({ candidate: c, replies: await this.deps.text.render(c, now), ...(record ? { record } : {}) });
    }
    return out;
  }

  /**
   * Evaluates the rules at `now` and sends what is due (nothing with `dryRun`); resolves to one line per
   * alert (see AlertSender.send for how they go out).
   */
  async run(opts: { now?: Date; dryRun?: boolean } = {}): Promise<AlertLine[]> {
    const now = opts.now ?? this.deps.clock.now();
    if (opts.dryRun) return (await this.due(now)).map((d) => alertLine(d));
    // One pass at a time across the processes on the store; one that finds another under way leaves it to it.
    const lines = await this.deps.store.alone('alerts-pass', async () => this.sender.send(await this.due(now), now));
    return lines ?? [];
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
      const record = await this.sender.record(c.key);
      if (record === 'sent') continue;
      const at = new Date(Math.max(c.due.getTime(), now.getTime(), record?.retryAt ? Date.parse(record.retryAt) : 0));
      if (at.getTime() < c.until.getTime()) out.push({ candidate: c, at, failed: record?.state === 'failed' });
    }
    return out.sort((a, b) => a.at.getTime() - b.at.getTime() || a.candidate.key.localeCompare(b.candidate.key));
  }
}
