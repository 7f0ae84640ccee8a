import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnv, storeSettings } from '../config.ts';
import { openDatabase } from '../store/open.ts';
import { describeProblem, type RecordProblem } from '../core/store-errors.ts';
import { verifyStore } from '../store/lowdb.ts';
import type { CliIo } from './args.ts';

/**
 * `gnlc verify`: reads every record of the store (the database of GNLC_DATABASE_URL, else the data folder; `--data`
 * names a folder), changing nothing, and lists those that cannot be read.
 */
export async function runVerify(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' } } });
  const env = loadEnv();
  const settings = storeSettings(env, path.resolve(values.data ?? env.GNLC_DATA_DIR));
  let dir: string;
  let problems: RecordProblem[];
  if (settings.kind === 'postgres' && !values.data) {
    dir = 'the database';
    const store = await openDatabase(settings);
    try {
      const { verifyDatabase } = await import('../store/postgres/verify.ts');
      problems = await verifyDatabase(store.db);
    } finally {
      await store.close();
    }
  } else {
    dir = settings.kind === 'lowdb' ? settings.dir : path.resolve(values.data!);
    problems = await verifyStore(dir);
  }
  for (const p of problems) io.stdout.write(`${describeProblem(p)}\n`);
  io.stderr.write(
    problems.length
      ? `gnlc: ${problems.length} record(s) in ${dir} cannot be read; nothing was changed. ` +
          (settings.kind === 'postgres' && !values.data
            ? 'Restore them from a backup.\n'
            : 'See gnlc repair --file F, or restore them from a backup.\n')
      : `gnlc: every record in ${dir} reads.\n`,
  );
  return problems.length ? 1 : 0;
}
