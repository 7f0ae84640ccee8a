import type { Application, AuditEntry, Store } from '../records.ts';
import { isPlatform } from '../turn.ts';

/** The audit action that records each step of an application's history (its first `submitted` is the submission). */
const ACTION: Record<string, string> = {
  endorsed: 'endorse',
  returned: 'return',
  declined: 'decline',
  forwarded: 'forward',
  submitted: 'resubmit',
};

/**
 * Audit lines for decisions the store holds but the audit log does not: a process stopped between writing a
 * decision (under the shard's lock) and appending its line. For each application of the calls, every step of
 * its history after the submission must have a `done` line of its action; the missing ones are appended with
 * the step's time and actor, and `detail` says that they were written after a restart. Run by the server at
 * start-up, before it takes requests; resolves to the lines appended.
 */
export async function reconcileAudit(store: Store, calls: readonly string[]): Promise<AuditEntry[]> {
  const log = await store.audit.list();
  const done = new Map<string, number>();
  const count = (app: string, action: string) => `${app} ${action}`;
  for (const e of log)
    if (e.outcome === 'done' && e.application)
      done.set(count(e.application, e.action), (done.get(count(e.application, e.action)) ?? 0) + 1);
  const missing: AuditEntry[] = [];
  for (const call of calls) {
    for (const app of await store.applications.listByCycle(call)) missing.push(...missingLines(app, done));
  }
  for (const entry of missing) await store.audit.append(entry);
  return missing;
}

function missingLines(app: Application, done: Map<string, number>): AuditEntry[] {
  const steps = app.history.slice(1).filter((h) => ACTION[h.status]);
  const out: AuditEntry[] = [];
  for (const action of new Set(steps.map((h) => ACTION[h.status]!))) {
    const mine = steps.filter((h) => ACTION[h.status] === action);
    const have = done.get(`${app.id} ${action}`) ?? 0;
    // The latest steps are the ones whose line can be missing: a stop cuts the last thing that happened.
    for (const h of mine.slice(have)) {
      const prefix = h.by.slice(0, h.by.indexOf(':'));
      out.push({
        at: h.at,
        actor: { key: h.by, ...(h.name ? { name: h.name } : {}) },
        channel: isPlatform(prefix) ? prefix : 'system',
        action,
        outcome: 'done',
        application: app.id,
        cycle: app.cycle,
        country: app.country,
        ...(h.reason ? { reason: h.reason } : {}),
        detail: 'written at start-up: the process stopped after the decision was stored, before its audit line',
      });
    }
  }
  return out;
}
