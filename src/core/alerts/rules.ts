import { callScope } from './call-scope.ts';
import type { Candidate } from './candidate.ts';
import { commissionRules } from './commission-rules.ts';
import { coordinatorRules } from './coordinator-rules.ts';
import { peopleRules } from './people-rules.ts';
import type { Situation } from './situation.ts';

/**
 * Every alert the situation calls for, whatever the time: each with the window in which it is due.
 * Alerts about a state (a draft, a waiting application) exist only while that state does, so an alert
 * overtaken by events simply stops being a candidate.
 */
export function candidates(s: Situation): Candidate[] {
  const out: Candidate[] = [];
  for (const call of s.calls) {
    const scope = callScope(s, call, out);
    coordinatorRules(scope);
    commissionRules(scope);
    peopleRules(scope);
  }
  return out;
}
