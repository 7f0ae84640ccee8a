import { parseArgs } from 'node:util';
import { loadCalls } from '../core/calls/schema.ts';
import { toCsv, toJson } from '../core/endorsement/export.ts';
import { DATA_DIR } from '../core/faq/schema.ts';
import { type CliIo, UsageError } from './args.ts';
import { serverData } from './server-data.ts';

/** `gnlc export`: every application of a call with its decisions, as CSV or JSON on stdout. */
export async function runExport(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { call: { type: 'string' }, format: { type: 'string', default: 'csv' }, data: { type: 'string' } },
  });
  if (!values.call) throw new UsageError('export: give the call, e.g. gnlc export --call 2025 --format csv');
  if (values.format !== 'csv' && values.format !== 'json')
    throw new UsageError(`export: --format must be csv or json, not "${values.format}"`);
  const { env, store } = await serverData(values.data);
  const calls = loadCalls(env.GNLC_CONTENT_DIR ?? DATA_DIR);
  if (!calls.some((c) => c.id === values.call))
    throw new UsageError(`export: there is no call "${values.call}" (known: ${calls.map((c) => c.id).join(', ')})`);
  const apps = await store.applications.listByCycle(values.call);
  io.stdout.write(values.format === 'csv' ? toCsv(apps) : toJson(apps));
  return 0;
}
