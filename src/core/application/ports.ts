import type { Lang } from '../lang.ts';
import type { Application } from '../records.ts';
import type { Turn } from '../turn.ts';

/** Where a submitted application went: the applicant is told in their words (the form dialog words it). */
export type RouteOutcome =
  /** Posted in its commission's room: the commission decides before the deadline (if the call has one). */
  | { outcome: 'routed'; country: string; deadline?: { date: string; days: number }; limit: number | null }
  /** No commission room is configured for the country: the coordinators were told; write to these addresses. */
  | { outcome: 'no_commission'; country: string; emails: string[] }
  /** The commission's room could not be reached: the coordinators were told. */
  | { outcome: 'not_delivered'; country: string };

/** Why a returned application cannot be reopened or resubmitted now (the form dialog words it). */
export type ResubmitRefusal =
  | { code: 'unknown_application' }
  | { code: 'not_returned'; id: string; status: Application['status'] }
  /** The commission deadline (a day) has passed. */
  | { code: 'too_late'; date: string };

/**
 * What the form needs from the endorsement workflow, which takes applications once submitted (implemented by
 * `EndorsementDesk`): the form never reaches into it otherwise.
 */
export interface Endorsements {
  /** Posts a new or resubmitted application to its commission. */
  route(app: Application): Promise<RouteOutcome>;
  /** `returned → submitted` with the edited answers, unless the application is no longer returned as it was. */
  resubmit(
    target: { id: string; revision: number },
    answers: Application['answers'],
    turn: Turn,
  ): Promise<{ ok: true; app: Application; routed: RouteOutcome } | { ok: false; refusal: ResubmitRefusal }>;
  /** Whether a returned application can no longer be resubmitted (its commission deadline passed). */
  tooLate(app: Pick<Application, 'cycle'>): { code: 'too_late'; date: string } | undefined;
  /** The turn's user's own application of that id. */
  ownApplication(turn: Turn, id: string | undefined): Promise<Application | undefined>;
  commissionName(country: string, lang: Lang): string;
}
