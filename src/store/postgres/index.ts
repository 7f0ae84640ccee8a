/**
 * The PostgreSQL store (GNLC_DATABASE_URL): the same ports as the embedded store, for several instances on one
 * database. Each record is one row holding it whole as JSON, validated by its schema before it is written and
 * after it is read (older versions migrated on read by the same steps as the embedded store). What makes it
 * correct across instances:
 * - `exclusive(key)`: a person's turn runs in one transaction holding an advisory lock on the person, so their
 *   turns are handled one at a time whichever instance gets them, and the turn's writes commit together;
 * - applications are added and changed under an advisory lock on their call and country (quota, numbering);
 * - an alert or a request id is claimed by inserting its key (a primary key: one insert wins);
 * - `alone(name)`: a session lock tried without waiting, so one instance runs a scheduled alerts pass at a time.
 */
import { StoreReadError, StoreWriteError } from '../../core/store-errors.ts';
import {
  ADDRESS,
  ALERT,
  APPLICATION,
  CONVERSATION,
  checkedRecord,
  issueOf,
  readRecord,
  type RecordKind,
} from '../records.ts';
import { MAX_SEEN_MS, SeenLineSchema } from '../seen.ts';
import {
  AuditEntrySchema,
  applicationId,
  shardOf,
  type Application,
  type AuditEntry,
  type Conversation,
  type Store,
} from '../../core/records.ts';
import { Database, type PostgresOptions } from './db.ts';
import { migrate } from './migrate.ts';
import { createOutbox } from './outbox.ts';
import type { Logger } from '../../log.ts';

export type { PostgresOptions };

/** The record ready to write as JSON, or StoreWriteError naming the table, the record and the rule it breaks. */
const checked = <T>(kind: RecordKind<T>, value: T, table: string, record: string): T =>
  checkedRecord(kind, value, `postgres:${table}`, record);

/** A row's record at the current version, or StoreReadError (the operation that needs it fails). */
const read = <T>(kind: RecordKind<T>, raw: unknown, table: string, record: string): T =>
  readRecord(kind, raw, `postgres:${table}`, record);

/** A PostgreSQL store with the `exclusive` and `alone` locks of several instances. */
export interface PostgresStore extends Store {
  db: Database;
  /** Creates or upgrades the schema (the server at start-up, `gnlc migrate`). */
  migrate(): Promise<void>;
  /** Writes an application under its own id (`gnlc copy`; submissions go through `applications.add`). */
  insertApplication(app: Application): Promise<void>;
}

/** Opens the store; `migrate()` (the server at start-up, `gnlc migrate`) creates or upgrades the schema. */
export function createPostgresStore(options: PostgresOptions, log?: Logger): PostgresStore {
  const db = new Database(options, log);

  /** Keyed records of one table (conversations, addresses, alerts). */
  const keyed = <T extends { key: string }>(kind: RecordKind<T>, table: string) => ({
    get: async (key: string): Promise<T | undefined> => {
      const r = await db.query(`SELECT record FROM ${table} WHERE key = $1`, [key]);
      return r.rows[0] ? read(kind, r.rows[0].record, table, key) : undefined;
    },
    put: async (value: T): Promise<void> => {
      const record = checked(kind, value, table, value.key);
      await db.query(
        `INSERT INTO ${table} (key, record) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET record = EXCLUDED.record`,
        [record.key, JSON.stringify(record)],
      );
    },
    delete: async (key: string): Promise<void> => {
      await db.query(`DELETE FROM ${table} WHERE key = $1`, [key]);
    },
  });
  const conversations = keyed(CONVERSATION, 'conversations');
  const addresses = keyed(ADDRESS, 'addresses');
  const alerts = keyed(ALERT, 'alerts');

  const shard = async (cycle: string, country: string): Promise<Application[]> => {
    const r = await db.query('SELECT id, record FROM applications WHERE cycle = $1 AND country = $2 ORDER BY n', [
      cycle,
      country,
    ]);
    return r.rows.map((row) => read(APPLICATION, row.record, 'applications', row.id));
  };
  const writeApplication = async (app: Application, insert: boolean): Promise<Application> => {
    const record = checked(APPLICATION, app, 'applications', app.id);
    const n = Number(record.id.split('-').at(-1));
    await db.query(
      insert
        ? 'INSERT INTO applications (id, cycle, country, n, record) VALUES ($1, $2, $3, $4, $5)'
        : 'UPDATE applications SET record = $5 WHERE id = $1 AND cycle = $2 AND country = $3 AND n = $4',
      [record.id, record.cycle, record.country, n, JSON.stringify(record)],
    );
    return record;
  };

  return {
    db,
    conversations: {
      get: conversations.get,
      save: conversations.put,
      delete: conversations.delete,
      // Read in pages by key (no one query returns the whole table); every record is read before any is
      // visited: all of them or none, as the embedded store's scan.
      async scan(visit) {
        const records: Conversation[] = [];
        for (let after = ''; ; ) {
          const r = await db.query('SELECT key, record FROM conversations WHERE key > $1 ORDER BY key LIMIT 500', [
            after,
          ]);
          if (!r.rows.length) break;
          for (const row of r.rows) records.push(read(CONVERSATION, row.record, 'conversations', row.key));
          after = r.rows.at(-1)!.key;
        }
        for (const c of records) visit(c);
      },
    },
    applications: {
      listByCountry: shard,
      async listByCycle(cycle) {
        const r = await db.query('SELECT id, record FROM applications WHERE cycle = $1 ORDER BY country, n', [cycle]);
        return r.rows.map((row) => read(APPLICATION, row.record, 'applications', row.id));
      },
      async get(id) {
        const r = await db.query('SELECT record FROM applications WHERE id = $1', [id]);
        return r.rows[0] ? read(APPLICATION, r.rows[0].record, 'applications', id) : undefined;
      },
      add: (cycle, country, make, duplicateOf) =>
        db.transaction([`shard:${cycle}/${country}`], async () => {
          const list = await shard(cycle, country);
          const existing = list.find(duplicateOf);
          if (existing) return { application: existing, duplicate: true };
          const highest = Math.max(0, ...list.map((a) => Number(a.id.split('-').at(-1))));
          const app = make(applicationId(cycle, country, highest + 1)) as Application;
          return { application: await writeApplication(app, true), duplicate: false };
        }),
      update: (id, change) => {
        const m = shardOf(id);
        if (!m) return Promise.resolve(undefined);
        return db.transaction([`shard:${m.cycle}/${m.country}`], async () => {
          const list = await shard(m.cycle, m.country);
          const app = list.find((a) => a.id === id);
          if (!app) return undefined;
          const { app: next, result } = change(structuredClone(app), list);
          if (next) await writeApplication(next, false);
          return result;
        });
      },
    },
    addresses,
    audit: {
      async append(entry: AuditEntry) {
        const back = AuditEntrySchema.safeParse(JSON.parse(JSON.stringify(entry)));
        if (!back.success)
          throw new StoreWriteError({ file: 'postgres:audit', record: entry.action, ...issueOf(back.error) });
        await db.query('INSERT INTO audit (entry) VALUES ($1)', [JSON.stringify(back.data)]);
      },
      async list() {
        const r = await db.query('SELECT seq, entry FROM audit ORDER BY seq');
        return r.rows.map((row) => {
          const parsed = AuditEntrySchema.safeParse(row.entry);
          if (!parsed.success)
            throw new StoreReadError([{ file: 'postgres:audit', record: String(row.seq), ...issueOf(parsed.error) }]);
          return parsed.data;
        });
      },
    },
    alerts: {
      get: alerts.get,
      put: alerts.put,
      async claim(value) {
        const record = checked(ALERT, value, 'alerts', value.key);
        const r = await db.query('INSERT INTO alerts (key, record) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
          record.key,
          JSON.stringify(record),
        ]);
        return r.rowCount === 1;
      },
    },
    seen: {
      // Inserted, or taken over when the earlier claim has expired: exactly one of simultaneous claims wins.
      async claim(key, ttlMs) {
        const line = SeenLineSchema.safeParse({ key, until: Date.now() + Math.min(ttlMs, MAX_SEEN_MS) });
        if (!line.success) throw new StoreWriteError({ file: 'postgres:seen', ...issueOf(line.error) });
        const r = await db.query(
          `INSERT INTO seen (key, expires_at) VALUES ($1, to_timestamp($2 / 1000.0))
           ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE seen.expires_at < now()`,
          [line.data.key, line.data.until],
        );
        if (Math.random() < 0.01) void db.query('DELETE FROM seen WHERE expires_at < now()').catch(() => undefined);
        return r.rowCount === 1;
      },
    },
    outbox: createOutbox(db),
    afterCommit: (fn) => db.afterCommit(fn),
    exclusive: (key, fn) => db.transaction([`person:${key}`], fn),
    alone: (name, fn) => db.alone(name, fn),
    migrate: () => migrate(db).then(() => undefined),
    insertApplication: (app) => writeApplication(app, true).then(() => undefined),
    health: async () => {
      await db.query('SELECT 1');
    },
    close: () => db.close(),
  };
}
