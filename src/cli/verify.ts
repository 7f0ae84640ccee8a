import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnv } from '../config.ts';
import { describeProblem } from '../core/store-errors.ts';
import { verifyStore } from '../store/lowdb.ts';
import type { CliIo } from './args.ts';

/** `gnlc verify`: reads every record of the store, changing nothing, and lists those that cannot be read. */
export async function runVerify(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' } } });
  const dir = path.resolve(values.data ?? loadEnv().GNLC_DATA_DIR);
  const problems = await verifyStore(dir);
  for (const p of problems) io.stdout.write(`${describeProblem(p)}\n`);
  io.stderr.write(
    problems.length
      ? `gnlc: ${problems.length} record(s) in ${dir} cannot be read; nothing was changed. ` +
          'See gnlc repair --file F, or restore them from a backup.\n'
      : `gnlc: every record in ${dir} reads.\n`,
  );
  return problems.length ? 1 : 0;
}
