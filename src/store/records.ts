import type { z } from 'zod';
import { issueOf, StoreReadError, StoreWriteError } from '../core/store-errors.ts';
import { OUTBOX_VERSION, OutboxMessageSchema, type OutboxMessage } from '../core/outbox-record.ts';
import {
  ADDRESS_VERSION,
  ALERT_VERSION,
  APPLICATION_VERSION,
  AddressSchema,
  AlertRecordSchema,
  ApplicationSchema,
  CONVERSATION_VERSION,
  ConversationSchema,
  type Address,
  type AlertRecord,
  type Application,
  type Conversation,
} from '../core/records.ts';

type Raw = Record<string, unknown>;

/**
 * One kind of stored record: its current version, the schema every record of that version passes (on read
 * and before it is written), and the steps that bring an older record up: `steps[v]` turns a record of
 * version v into one of version v + 1. Steps are never removed or changed once released: data written by
 * any earlier release must still read.
 */
export { issueOf };

export interface RecordKind<T> {
  name: string;
  version: number;
  schema: z.ZodType<T>;
  steps: Readonly<Record<number, (record: Raw) => Raw>>;
}

/** What reading one record gave: the record at the current version (`migrated` when it was older), or why not. */
export type Decoded<T> = { ok: true; value: T; migrated: boolean } | { ok: false; field: string; rule: string };

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Brings a record read from disk to the current version of its kind and validates it; never throws. */
export function decode<T>(kind: RecordKind<T>, raw: unknown): Decoded<T> {
  if (!isObject(raw)) return { ok: false, field: '(record)', rule: `not a ${kind.name} record (expected an object)` };
  const from = raw.version;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 1)
    return { ok: false, field: 'version', rule: 'missing or not a positive whole number' };
  if (from > kind.version) {
    return {
      ok: false,
      field: 'version',
      rule:
        `version ${from} is newer than this program's ${kind.name} version ${kind.version}` +
        ' (written by a later release)',
    };
  }
  let record = raw;
  for (let v = from; v < kind.version; v++) {
    const step = kind.steps[v];
    if (!step) return { ok: false, field: 'version', rule: `no migration of a ${kind.name} from version ${v}` };
    record = { ...step(record), version: v + 1 };
  }
  const parsed = kind.schema.safeParse(record);
  if (!parsed.success) return { ok: false, ...issueOf(parsed.error) };
  return { ok: true, value: parsed.data, migrated: from < kind.version };
}

/**
 * The record as its reader will see it: serialized, parsed back and validated by the same schema that reads
 * it. What fails is not to be written (a value JSON cannot hold, a key left undefined, a wrong version).
 */
export function roundTrip<T>(
  kind: RecordKind<T>,
  value: T,
): { ok: true; value: T } | { ok: false; field: string; rule: string } {
  let back: unknown;
  try {
    back = JSON.parse(JSON.stringify(value));
  } catch (err) {
    return { ok: false, field: '(record)', rule: `not serializable as JSON (${(err as Error).name})` };
  }
  if (!isObject(back) || back.version !== kind.version)
    return { ok: false, field: 'version', rule: `must be ${kind.version}, the current ${kind.name} version` };
  const parsed = kind.schema.safeParse(back);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, ...issueOf(parsed.error) };
}

export const CONVERSATION: RecordKind<Conversation> = {
  name: 'conversation',
  version: CONVERSATION_VERSION,
  schema: ConversationSchema as z.ZodType<Conversation>,
  steps: {},
};

export const APPLICATION: RecordKind<Application> = {
  name: 'application',
  version: APPLICATION_VERSION,
  schema: ApplicationSchema as z.ZodType<Application>,
  steps: {
    // Version 1 wrote a change without `before` when a skipped answer was filled in at a resubmission (and
    // would have without `after` for one emptied): its own schema then refused the record. Absent is empty.
    1: (app) => ({
      ...app,
      changes: Array.isArray(app.changes)
        ? app.changes.map((c: unknown) =>
            isObject(c) ? { ...c, before: c.before ?? null, after: c.after ?? null } : c,
          )
        : app.changes,
    }),
    // Version 2 dated the pledge on the day of submission and did not ask it: that day is its answer.
    2: (app) => ({
      ...app,
      answers: isObject(app.answers) ? { 'pledge.date': app.pledgeDate, ...app.answers } : app.answers,
    }),
  },
};

export const ADDRESS: RecordKind<Address> = {
  name: 'address',
  version: ADDRESS_VERSION,
  schema: AddressSchema as z.ZodType<Address>,
  steps: {},
};

export const ALERT: RecordKind<AlertRecord> = {
  name: 'alert',
  version: ALERT_VERSION,
  schema: AlertRecordSchema as z.ZodType<AlertRecord>,
  steps: {},
};

export const OUTBOX: RecordKind<OutboxMessage> = {
  name: 'outbox message',
  version: OUTBOX_VERSION,
  schema: OutboxMessageSchema as unknown as z.ZodType<OutboxMessage>,
  steps: {},
};

/**
 * The record as its reader will see it, or StoreWriteError naming where (`file`: a file, a table), the record
 * and the rule it breaks: the check every store makes before it writes.
 */
export function checkedRecord<T>(kind: RecordKind<T>, value: T, file: string, record?: string): T {
  const back = roundTrip(kind, value);
  if (!back.ok) throw new StoreWriteError({ file, record, field: back.field, rule: back.rule });
  return back.value;
}

/** A stored record at the current version, or StoreReadError (the operation that needs it fails). */
export function readRecord<T>(kind: RecordKind<T>, raw: unknown, file: string, record: string): T {
  const got = decode(kind, raw);
  if (!got.ok) throw new StoreReadError([{ file, record, field: got.field, rule: got.rule }]);
  return got.value;
}
