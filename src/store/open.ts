import { mkdirSync } from 'node:fs';
import type { Logger } from '../log.ts';
import type { Store } from '../core/records.ts';
import type { RecordProblem } from '../core/store-errors.ts';
import { createLowdbStore, verifyStore } from './lowdb.ts';

/** Where the records are: the embedded store in a folder (the default), or a PostgreSQL database. */
export type StoreSettings =
  | { kind: 'lowdb'; dir: string }
  | {
      kind: 'postgres';
      url: string;
      pool?: number;
      statementTimeoutMs?: number;
      ssl?: 'off' | 'require' | 'verify';
    };

/** The store has records that cannot be read: the server does not start on it (nothing was changed). */
export class StoreDamagedError extends Error {
  override name = 'StoreDamagedError';
  constructor(
    readonly dataDir: string,
    readonly problems: RecordProblem[],
  ) {
    super(`the store in ${dataDir} has ${problems.length} damaged record(s)`);
  }
}

/**
 * Opens the store a server serves from. The embedded store's folder is created (the owner's only) and
 * verified: a damaged record stops start-up, untouched. A database's schema is created or upgraded by its
 * migrations. The PostgreSQL client loads only here, when a database is configured.
 */
export async function openServerStore(settings: StoreSettings, log?: Logger): Promise<Store> {
  if (settings.kind === 'postgres') {
    const store = await openDatabase(settings, log);
    try {
      await store.migrate();
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }
  mkdirSync(settings.dir, { recursive: true, mode: 0o700 });
  const problems = await verifyStore(settings.dir);
  if (problems.length) throw new StoreDamagedError(settings.dir, problems);
  return createLowdbStore(settings.dir, log);
}

/** Opens the store for a command that reads it (nothing created, no migration run). */
export async function openReaderStore(settings: StoreSettings, log?: Logger): Promise<Store> {
  return settings.kind === 'postgres' ? openDatabase(settings, log) : createLowdbStore(settings.dir, log);
}

/** The PostgreSQL store of `settings`, its schema as it is. */
export async function openDatabase(settings: Extract<StoreSettings, { kind: 'postgres' }>, log?: Logger) {
  const { createPostgresStore } = await import('./postgres/index.ts');
  const { kind: _, ...options } = settings;
  return createPostgresStore(options, log);
}
