import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnv, storeSettings } from '../config.ts';
import { openDatabase } from '../store/open.ts';
import { type CliIo, UsageError } from './args.ts';

/** The PostgreSQL settings of the environment with the database `url` (GNLC_DATABASE_URL when not given). */
function databaseSettings(url: string | undefined, flag: string) {
  const env = loadEnv(url ? { ...process.env, GNLC_DATABASE_URL: url } : process.env);
  const settings = storeSettings(env, '');
  if (settings.kind !== 'postgres') throw new UsageError(`${flag}: give a postgres:// URL (or set GNLC_DATABASE_URL)`);
  return settings;
}

/** `gnlc migrate [--to URL]`: creates or upgrades the database's schema (the server also does at start-up). */
export async function runMigrate(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { to: { type: 'string' } } });
  const store = await openDatabase(databaseSettings(values.to, '--to'));
  try {
    const { migrate } = await import('../store/postgres/migrate.ts');
    const done = await migrate(store.db);
    for (const m of done.applied) io.stdout.write(`applied ${String(m.version).padStart(3, '0')}-${m.name}\n`);
    io.stderr.write(`gnlc: the database's schema is at version ${done.version}.\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * `gnlc copy --from DIR --to URL`: moves an embedded store into an empty PostgreSQL database, every record
 * compared after the copy (all or nothing). The embedded store is only read; stop the server first.
 */
export async function runCopy(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' } } });
  if (!values.from) throw new UsageError('copy: --from DIR (the data folder of the embedded store) is required');
  const dir = path.resolve(values.from);
  const { readEmbeddedStore, copyIntoDatabase, CopyError } = await import('../store/copy.ts');
  const contents = await readEmbeddedStore(dir);
  const store = await openDatabase(databaseSettings(values.to, '--to'));
  try {
    await store.migrate();
    const counts = await copyIntoDatabase(contents, store);
    for (const [kind, n] of Object.entries(counts)) io.stdout.write(`${kind}\t${n}\n`);
    io.stderr.write(`gnlc: copied ${dir} into the database; every record read back equal.\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof CopyError)) throw err;
    io.stderr.write(`gnlc: copy: ${err.message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}
