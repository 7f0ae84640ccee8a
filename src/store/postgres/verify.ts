import type { RecordProblem } from '../../core/store-errors.ts';
import { AuditEntrySchema } from '../../core/records.ts';
import { ADDRESS, ALERT, APPLICATION, CONVERSATION, decode, issueOf, OUTBOX, type RecordKind } from '../records.ts';
import type { Database } from './db.ts';

/**
 * Reads every row of the database as the store reads it, changing nothing, and lists the records that cannot
 * be read (`gnlc verify` with GNLC_DATABASE_URL): the table, the record's key, the field and the rule.
 */
export async function verifyDatabase(db: Database): Promise<RecordProblem[]> {
  const problems: RecordProblem[] = [];
  const kinds: [string, string, RecordKind<unknown>][] = [
    ['conversations', 'key', CONVERSATION as RecordKind<unknown>],
    ['applications', 'id', APPLICATION as RecordKind<unknown>],
    ['addresses', 'key', ADDRESS as RecordKind<unknown>],
    ['alerts', 'key', ALERT as RecordKind<unknown>],
    ['outbox', 'id', OUTBOX as RecordKind<unknown>],
  ];
  for (const [table, key, kind] of kinds) {
    const rows = await db.query(`SELECT ${key} AS k, record FROM ${table} ORDER BY ${key}`);
    for (const row of rows.rows) {
      const got = decode(kind, row.record);
      if (!got.ok) problems.push({ file: `postgres:${table}`, record: row.k, field: got.field, rule: got.rule });
    }
  }
  const audit = await db.query('SELECT seq::text AS k, entry FROM audit ORDER BY seq');
  for (const row of audit.rows) {
    const parsed = AuditEntrySchema.safeParse(row.entry);
    if (!parsed.success) problems.push({ file: 'postgres:audit', record: row.k, ...issueOf(parsed.error) });
  }
  return problems;
}
