import type { z } from 'zod';

/**
 * What is wrong with one stored record, said without its content: the file (relative to the data folder),
 * the record in it (an application id, a conversation key, an audit line), the field path and the rule it
 * breaks. Safe to log and to print: it never holds what people typed.
 */
export interface RecordProblem {
  file: string;
  record?: string;
  /** Dotted path of the field (`applications.0.changes.0.before`), `(record)` for the record as a whole. */
  field: string;
  rule: string;
}

/** `file: record: field: rule`, one line. */
export function describeProblem(p: RecordProblem): string {
  return [p.file, p.record, p.field, p.rule].filter(Boolean).join(': ');
}

/** A failure of the store the user could not cause; the core answers it with a localized message. */
export abstract class StoreError extends Error {
  abstract readonly code: 'store_unreadable' | 'store_refused' | 'store_unavailable';
}

/**
 * A record the store needs cannot be read (not JSON, not valid, of a newer version). The operation that
 * needs it fails: nothing is skipped, moved or rewritten (`gnlc verify` lists such records, `gnlc repair`
 * sets them aside when an operator asks).
 */
export class StoreReadError extends StoreError {
  readonly code = 'store_unreadable' as const;
  constructor(readonly problems: RecordProblem[]) {
    super(`the store cannot read ${problems.map(describeProblem).join('; ')}`);
    this.name = 'StoreReadError';
  }
}

/**
 * A record that its reader would reject was about to be written: it was not written, and the stored data is
 * as it was. Always a bug of the program, never of the user's input (which is validated before it gets here).
 */
export class StoreWriteError extends StoreError {
  readonly code = 'store_refused' as const;
  constructor(readonly problem: RecordProblem) {
    super(`refused to write ${describeProblem(problem)}`);
    this.name = 'StoreWriteError';
  }
}

/**
 * The store cannot be reached right now (the database is down or too slow): nothing of the turn was written,
 * and it can be tried again once the store is back.
 */
export class StoreUnavailableError extends StoreError {
  readonly code = 'store_unavailable' as const;
  constructor(cause: string) {
    super(`the store is not reachable: ${cause}`);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * The first issues of a failed parse as a field path and a rule (zod's messages name types and patterns, never
 * values).
 */
export function issueOf(error: z.ZodError, prefix = ''): { field: string; rule: string } {
  const issue = error.issues[0]!;
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(record)';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return { field, rule: `${issue.message}${more}` };
}
