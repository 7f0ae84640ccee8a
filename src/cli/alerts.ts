import { parseArgs } from 'node:util';
import { loadEnv } from '../config.ts';
import type { Core } from '../core/create.ts';
import type { Store } from '../core/records.ts';
import { createLogger } from '../log.ts';
import { type CliIo, clockFrom } from './args.ts';
import { serverData } from './server-data.ts';

/** `gnlc alerts [--now ISO] [--dry-run] [--json] [--data DIR]`. */
export async function runAlerts(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      now: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      data: { type: 'string' },
    },
  });
  return await alertsAt(
    { now: values.now, dryRun: values['dry-run'], json: values.json, data: values.data },
    io.stdout,
  );
}

/**
 * `gnlc alerts`: the rules evaluated once at `now` over the server's data directory and routing. Sending
 * goes through the server's own wiring (createApp, not listening): the same notifiers as the server's (Slack
 * and Teams from the environment; local rooms are only recorded, since no chat is attached here), and the
 * same records keep each alert to one delivery, even with the server running beside it. A dry run only reads.
 */
async function alertsAt(
  opts: { now?: string; dryRun: boolean; json: boolean; data?: string },
  out: NodeJS.WritableStream,
): Promise<number> {
  const clock = clockFrom(opts.now);
  let core: Core;
  let store: Store;
  if (opts.dryRun) {
    // Reads only: no folder is created, and Slack's and Teams' SDKs are not loaded.
    const data = await serverData(opts.data);
    store = data.store;
    core = data.core(clock);
  } else {
    const env = opts.data === undefined ? process.env : { ...process.env, GNLC_DATA_DIR: opts.data };
    // The audit lines a stopped server owed are the server's to write, at its start-up (reconcile: false).
    const { createApp } = await import('../app.ts');
    ({ core, store } = await createApp({
      env,
      log: createLogger(loadEnv(env).LOG_LEVEL ?? 'warn'),
      clock,
      reconcile: false,
    }));
  }
  const lines = await core.alerts.run({ now: clock.now(), dryRun: opts.dryRun });
  for (const l of lines) {
    if (opts.json) out.write(`${JSON.stringify(l)}\n`);
    else out.write(`${l.outcome ? `[${l.outcome}] ` : ''}${l.key}\n  ${l.text.replace(/\n/g, '\n  ')}\n`);
  }
  await store.close();
  return lines.some((l) => l.outcome === 'failed') ? 1 : 0;
}
