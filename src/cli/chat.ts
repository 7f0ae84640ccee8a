import { parseArgs } from 'node:util';
import { runJsonChat } from '../channels/local/json.ts';
import { type CliIo, clockFrom, UsageError } from './args.ts';
import { serverData } from './server-data.ts';

/** `gnlc chat --json`: the local chat over the server's data, JSON lines on stdin and stdout. */
export async function runChat(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false }, now: { type: 'string' }, data: { type: 'string' } },
  });
  if (!values.json) throw new UsageError('chat: only --json is supported here; for a terminal chat run npm start');
  const { store, core } = await serverData(values.data);
  await runJsonChat(core(clockFrom(values.now)), io.stdin, (line) => io.stdout.write(`${line}\n`));
  await store.close();
  return 0;
}
