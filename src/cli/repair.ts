import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnv } from '../config.ts';
import { describeProblem } from '../core/store-errors.ts';
import { repairFile } from '../store/lowdb.ts';
import { RepairError } from '../store/verify.ts';
import { type CliIo, UsageError } from './args.ts';

/** `gnlc repair --file F`: sets aside a damaged file that verify lists, keeping a copy and the records that read. */
export async function runRepair(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { file: { type: 'string' }, data: { type: 'string' } } });
  if (!values.file)
    throw new UsageError(
      'repair: give the file that gnlc verify lists, e.g. gnlc repair --file applications/2025/DE.json',
    );
  const dir = path.resolve(values.data ?? loadEnv().GNLC_DATA_DIR);
  let outcome: Awaited<ReturnType<typeof repairFile>>;
  try {
    outcome = await repairFile(dir, values.file, new Date());
  } catch (err) {
    if (!(err instanceof RepairError)) throw err;
    io.stderr.write(`gnlc: repair: ${err.message}\n`);
    return 2;
  }
  if (!outcome.backup) {
    io.stdout.write(`${outcome.file} reads without a problem; nothing was changed.\n`);
    return 0;
  }
  for (const p of outcome.problems) io.stdout.write(`problem: ${describeProblem(p)}\n`);
  io.stdout.write(`backup: ${outcome.backup}\n`);
  io.stdout.write(
    outcome.kept > 0
      ? `kept ${outcome.kept} record(s) in ${outcome.file}; taken out: ${outcome.removed.join(', ')}\n`
      : `removed ${outcome.file}\n`,
  );
  if (outcome.file.startsWith('applications'))
    io.stdout.write('Applications taken out no longer count towards the quota: check them against the backup.\n');
  return 0;
}
