import type { Call } from '../calls/schema.ts';
import { endOf, endorsementEnd } from '../calls/engine.ts';
import type { Actor, Answer, Application, ApplicationStatus } from '../records.ts';

export { ENDORSE_ACTIONS } from '../actions.ts';

/** What an endorser can decide. */
export type Decision = 'endorse' | 'return' | 'decline';

/** The status each decision leads to. */
export const DECIDED: Record<Decision, 'endorsed' | 'returned' | 'declined'> = {
  endorse: 'endorsed',
  return: 'returned',
  decline: 'declined',
};

/** Statuses that count against the commission's limit of cities per call. */
export const COUNTS_AS_ENDORSED: readonly ApplicationStatus[] = ['endorsed', 'forwarded'];

/** Why a decision is refused: a stable code (turned into a localized message in one place) and its facts. */
export type Refusal =
  | { code: 'unknown_application' }
  | { code: 'not_an_endorser' }
  /** The endorser submitted the application, or is named in it as the city's contact person. */
  | { code: 'conflict_of_interest'; as: 'applicant' | 'contact' }
  | { code: 'already_decided'; status: ApplicationStatus; by?: Actor; at?: string }
  | { code: 'stale'; revision: number }
  | { code: 'deadline_passed'; deadline: string }
  | { code: 'quota_reached'; limit: number; endorsed: Application[] };

/** The value a card's buttons carry: the id, and `@<revision>` after a resubmission (so older cards are stale). */
export function actionValue(app: Pick<Application, 'id' | 'revision'>): string {
  return app.revision > 1 ? `${app.id}@${app.revision}` : app.id;
}

/** Reads a button value back: application id and the revision the card showed. */
export function parseActionValue(value: string | undefined): { id: string; revision: number } | undefined {
  const m = /^(GNLC-\d{4}-[A-Z]{2}-\d{3,})(?:@(\d+))?$/.exec((value ?? '').trim());
  return m ? { id: m[1]!, revision: m[2] ? Number(m[2]) : 1 } : undefined;
}

/**
 * Why a person may not decide on an application whatever their role: they submitted it (`applicant`, the same
 * platform user), or its contact person's e-mail is one of theirs (`contact`). Undefined when neither.
 */
export function conflictOfInterest(
  app: Application,
  person: { key: string; emails: readonly string[] },
): Refusal | undefined {
  if (app.applicant.key === person.key) return { code: 'conflict_of_interest', as: 'applicant' };
  const contact = app.answers['contact.email'];
  if (typeof contact === 'string' && person.emails.includes(contact.trim().toLowerCase()))
    return { code: 'conflict_of_interest', as: 'contact' };
  return undefined;
}

/** The instant after which the commission can no longer decide on applications of a call (none when unknown). */
export function decisionDeadline(call: Call): { date: string; ends: Date } | undefined {
  const date = endorsementEnd(call);
  return date ? { date, ends: endOf(date, call.timeZone) } : undefined;
}

/** What the rules need to know besides the application. */
export interface DecisionContext {
  call: Call;
  now: Date;
  /** The revision the pressed card showed. */
  revision: number;
}

/**
 * The rules of a decision, in the order a person would want to hear them: the card is out of date or
 * already decided (and by whom), the deadline has passed, or the limit of endorsements is reached.
 * `siblings` are all applications of the same call and country (the application itself included).
 * Authorization is checked before, by the caller, from the routing configuration.
 */
export function refusal(
  app: Application,
  siblings: Application[],
  decision: Decision,
  ctx: DecisionContext,
): Refusal | undefined {
  if (ctx.revision < app.revision) return { code: 'stale', revision: app.revision };
  if (app.status !== 'submitted' || ctx.revision > app.revision) {
    // The decision, not the status it led to ("endorsed", also once it is forwarded).
    return {
      code: 'already_decided',
      status: app.decision?.status ?? app.status,
      by: app.decision?.by,
      at: app.decision?.at,
    };
  }
  const deadline = decisionDeadline(ctx.call);
  if (deadline && ctx.now.getTime() >= deadline.ends.getTime())
    return { code: 'deadline_passed', deadline: deadline.date };
  if (decision === 'endorse' && ctx.call.limitPerCommission !== null) {
    const endorsed = siblings.filter((a) => a.id !== app.id && COUNTS_AS_ENDORSED.includes(a.status));
    if (endorsed.length >= ctx.call.limitPerCommission)
      return { code: 'quota_reached', limit: ctx.call.limitPerCommission, endorsed };
  }
  return undefined;
}

/** The application after a decision (the caller has checked `refusal`). */
export function decide(app: Application, decision: Decision, by: Actor, now: Date, reason?: string): Application {
  const status = DECIDED[decision];
  const at = now.toISOString();
  return {
    ...app,
    status,
    decision: { status, by, at, ...(reason ? { reason } : {}) },
    history: [
      ...app.history,
      { at, status, by: by.key, ...(by.name ? { name: by.name } : {}), ...(reason ? { reason } : {}) },
    ],
  };
}

/** `endorsed → forwarded`: the coordination team has received it. */
export function forward(app: Application, now: Date): Application {
  if (app.status !== 'endorsed') return app;
  return {
    ...app,
    status: 'forwarded',
    history: [...app.history, { at: now.toISOString(), status: 'forwarded', by: 'system' }],
  };
}

/**
 * `returned → submitted`: the applicant's edited answers become a new revision; what changed is kept
 * for the commission, and the earlier decision moves to the history.
 */
export function resubmit(app: Application, answers: Application['answers'], by: string, now: Date): Application {
  const keys = [...new Set([...Object.keys(app.answers), ...Object.keys(answers)])];
  const before = app.answers as Record<string, Answer | undefined>;
  const after = answers as Record<string, Answer | undefined>;
  // An answer that was or became empty is null: a record holds no undefined (JSON would drop the key).
  const changes = keys
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
  const at = now.toISOString();
  return {
    ...app,
    status: 'submitted',
    answers,
    revision: app.revision + 1,
    decision: undefined,
    changes,
    posts: [],
    history: [...app.history, { at, status: 'submitted', by }],
  };
}
