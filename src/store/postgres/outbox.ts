import type { OutboxMessage, OutboxRepo } from '../../core/outbox-record.ts';
import { checkedRecord, OUTBOX, readRecord } from '../records.ts';
import type { Database } from './db.ts';

const checked = (m: OutboxMessage) => checkedRecord(OUTBOX, m, 'postgres:outbox', m.id);
const read = (raw: unknown, id: string) => readRecord(OUTBOX, raw, 'postgres:outbox', id);

/**
 * The outbox in PostgreSQL: a message is delivered under a row lock taken without waiting (`SKIP LOCKED`), so
 * two instances' delivery passes never send one message at the same time, and a message whose delivery was
 * cut short by a crash (its lock gone with the connection) is still pending for the next pass.
 */
export function createOutbox(db: Database): OutboxRepo {
  const write = async (m: OutboxMessage, insert: boolean) => {
    const record = checked(m);
    await db.query(
      insert
        ? 'INSERT INTO outbox (id, record, state, next_at) VALUES ($1, $2, $3, $4)'
        : 'UPDATE outbox SET record = $2, state = $3, next_at = $4 WHERE id = $1',
      [record.id, JSON.stringify(record), record.state, record.nextAt],
    );
  };
  return {
    add: (m) => write(m, true),
    deliver: (id, deliver) =>
      db.transaction([], async () => {
        const r = await db.query(
          "SELECT record FROM outbox WHERE id = $1 AND state = 'pending' FOR UPDATE SKIP LOCKED",
          [id],
        );
        if (!r.rows[0]) return false;
        await write(await deliver(read(r.rows[0].record, id)), false);
        return true;
      }),
    async due(now, limit) {
      const r = await db.query<{ id: string }>(
        "SELECT id FROM outbox WHERE state = 'pending' AND next_at <= $1 ORDER BY next_at LIMIT $2",
        [now.toISOString(), limit],
      );
      return r.rows.map((row) => row.id);
    },
  };
}
