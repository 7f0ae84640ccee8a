import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { Logger } from '../../log.ts';
import { StoreUnavailableError } from '../../core/store-errors.ts';

/** How the store connects: the URL (GNLC_DATABASE_URL) and what an operator may set beside it. */
export interface PostgresOptions {
  url: string;
  /** Connections per process (GNLC_DATABASE_POOL); a turn holds one while it runs. */
  pool?: number;
  /** Longest a statement may run, in ms (GNLC_DATABASE_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMs?: number;
  /** TLS (GNLC_DATABASE_SSL): `off`, `require` (encrypted, any certificate) or `verify` (a trusted certificate). */
  ssl?: 'off' | 'require' | 'verify';
}

type Queryable = Pick<pg.PoolClient, 'query'>;

/** SQLSTATE classes and client errors that mean "the database is not reachable now", not "the request is wrong". */
function isUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  if (/^(08|53|57)/.test(code)) return true; // connection, insufficient resources, operator intervention/timeouts
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection/i.test(
    message,
  );
}

/** The error a repository throws: StoreUnavailableError when the database is away, else the error itself. */
export function storeError(err: unknown): unknown {
  return isUnavailable(err) ? new StoreUnavailableError((err as Error).message) : err;
}

/**
 * A pool of connections to one database, and the transaction a person's turn runs in: while `transaction`
 * runs its function, every query of the store made from it (however deep, through AsyncLocalStorage) goes
 * to that transaction's connection, so a turn's writes commit together or not at all.
 */
export class Database {
  readonly pool: pg.Pool;
  private readonly scope = new AsyncLocalStorage<{ client: pg.PoolClient; after: (() => Promise<void>)[] }>();

  constructor(
    readonly options: PostgresOptions,
    private readonly log?: Logger,
  ) {
    const ssl =
      options.ssl === 'require'
        ? { rejectUnauthorized: false }
        : options.ssl === 'verify'
          ? { rejectUnauthorized: true }
          : undefined;
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.pool ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: options.statementTimeoutMs ?? 10_000,
      application_name: 'gnlc-assistant',
      ...(ssl ? { ssl } : {}),
    });
    // A connection that breaks while idle (the server restarted) is dropped by the pool; the next query opens one.
    this.pool.on('error', (err) => this.log?.warn({ err: err.message }, 'database connection lost; reconnecting'));
  }

  /** The connection of the transaction under way in this call chain, or the pool. */
  private get current(): Queryable {
    return this.scope.getStore()?.client ?? this.pool;
  }

  /** One statement, in the current transaction if there is one. */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await this.current.query<R>(text, values);
    } catch (err) {
      throw storeError(err);
    }
  }

  /**
   * Runs `fn` in a transaction (joining the one under way, if any): committed when it resolves, rolled back
   * when it throws. `lock` names advisory locks taken first, held until the end (a person, a call and country).
   */
  async transaction<T>(locks: string[], fn: () => Promise<T>): Promise<T> {
    const joined = this.scope.getStore();
    if (joined) {
      for (const lock of locks) await this.lock(joined.client, lock);
      return fn();
    }
    const after: (() => Promise<void>)[] = [];
    const client = await this.connect();
    let broken = false;
    let released = false;
    try {
      await client.query('BEGIN');
      for (const lock of locks) await this.lock(client, lock);
      const result = await this.scope.run({ client, after }, fn);
      await client.query('COMMIT');
      client.release();
      released = true;
      for (const run of after)
        await run().catch((err) => this.log?.warn({ err: (err as Error).message }, 'after commit'));
      return result;
    } catch (err) {
      broken = isUnavailable(err);
      if (!broken) await client.query('ROLLBACK').catch(() => (broken = true));
      throw storeError(err);
    } finally {
      if (!released) client.release(broken);
    }
  }

  /** Runs `fn` once the transaction under way commits (at once when there is none); awaited by `transaction`. */
  afterCommit(fn: () => Promise<void>): void {
    const scope = this.scope.getStore();
    if (scope) scope.after.push(fn);
    else void fn().catch((err) => this.log?.warn({ err: (err as Error).message }, 'after commit'));
  }

  /**
   * Runs `fn` unless another process runs something under `name` right now (a session advisory lock, tried
   * without waiting): undefined when it was busy.
   */
  async alone<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
    const client = await this.connect();
    let broken = false;
    try {
      const got = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended(current_schema() || $1, 0)) AS ok',
        [`:alone:${name}`],
      );
      if (!got.rows[0]?.ok) return undefined;
      try {
        return await fn();
      } finally {
        await client
          .query('SELECT pg_advisory_unlock(hashtextextended(current_schema() || $1, 0))', [`:alone:${name}`])
          .catch(() => (broken = true));
      }
    } catch (err) {
      broken ||= isUnavailable(err);
      throw storeError(err);
    } finally {
      client.release(broken);
    }
  }

  /** A connection of the pool (StoreUnavailableError when the database cannot be reached). */
  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err) {
      throw storeError(err);
    }
  }

  /** A transaction-scoped advisory lock on `name`, per schema (tests and tenants sharing a database never meet). */
  private async lock(client: Queryable, name: string): Promise<void> {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || $1, 0))', [`:${name}`]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
