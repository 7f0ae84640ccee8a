import { StoreReadError, StoreWriteError, issueOf } from '../../core/store-errors.ts';
import { OutboxMessageSchema, type OutboxMessage, type OutboxRepo } from '../../core/outbox-record.ts';
import type { Database } from './db.ts';

/** The record ready to write, or StoreWriteError naming the rule it breaks. */
function checked(message: OutboxMessage): OutboxMessage {
  const back = OutboxMessageSchema.safeParse(JSON.parse(JSON.stringify(message)));
  if (!back.success) throw new StoreWriteError({ file: 'postgres:outbox', record: message.id, ...issueOf(back.error) });
  return back.data as OutboxMessage;
}

function read(raw: unknown, id: string): OutboxMessage {
  const parsed = OutboxMessageSchema.safeParse(raw);
  if (!parsed.success) throw new StoreReadError([{ file: 'postgres:outbox', record: id, ...issueOf(parsed.error) }]);
  return parsed.data as OutboxMessage;
}

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
