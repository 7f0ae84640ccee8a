import type { Application } from '../records.ts';
import type { Call } from '../calls/schema.ts';
import { alertKey, type Candidate } from './candidate.ts';
import type { Situation } from './situation.ts';
import { type CallTimes, callTimes, NEVER } from './times.ts';

/** What the rules of one call share: its dates, its applications, and where their candidates go. */
export interface CallScope {
  s: Situation;
  call: Call;
  t: CallTimes;
  /** The applications of the call. */
  apps: Application[];
  /** Those waiting for a decision. */
  waiting: Application[];
  /** When alerts about waiting applications lapse: the commission deadline, else never. */
  decisionEnds: Date;
  /** Adds a candidate of this call, keyed by its rule, recipient, date and (per-application rules) subject. */
  add(c: Omit<Candidate, 'key' | 'call'>, subject?: string): void;
}

/** The scope of one call's rules, adding their candidates to `out`. */
export function callScope(s: Situation, call: Call, out: Candidate[]): CallScope {
  const t = callTimes(call);
  const apps = s.applications(call.id);
  return {
    s,
    call,
    t,
    apps,
    waiting: apps.filter((a) => a.status === 'submitted'),
    decisionEnds: t.decision?.ends ?? NEVER,
    add: (c, subject) => out.push({ ...c, call, key: alertKey(c.rule, call.id, c.to, c.date, subject) }),
  };
}
