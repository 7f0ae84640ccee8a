import type { Application } from '../records.ts';
import { endOf, startOf } from '../calls/engine.ts';
import { decisionDeadline } from '../endorsement/decisions.ts';
import type { Call } from '../calls/schema.ts';

/** An application waits this long for a decision before the coordinators are alerted. */
export const ESCALATE_AFTER_MS = 14 * 24 * 3600_000;
/**
 * A submitted application whose card has not reached its commission's room (or an endorsed one that has not
 * reached the coordinators) after this long is sent again (the first attempt happens within the turn that
 * submitted or endorsed it; this leaves it time to finish).
 */
export const REDELIVER_AFTER_MS = 15 * 60_000;
/** Stands for "no end" (a call without a commission deadline). */
export const NEVER = new Date(8.64e15);

/** The key dates of a call as instants. */
export interface CallTimes {
  opens: Date;
  closes: Date;
  decision?: { date: string; ends: Date };
}

/** When the current version of an application was (re)submitted: the wait for a decision starts there. */
export function waitingSince(app: Application): Date {
  const last = [...app.history].reverse().find((h) => h.status === 'submitted');
  return new Date(last?.at ?? app.submittedAt);
}

/** The key dates of a call as instants (the decision deadline as the commissions' desk reads it). */
export function callTimes(call: Call): CallTimes {
  const decision = decisionDeadline(call);
  return {
    opens: startOf(call.cityWindow.opens, call.timeZone),
    closes: endOf(call.cityWindow.closes, call.timeZone),
    ...(decision ? { decision } : {}),
  };
}
