import path from 'node:path';
import { loadEnv, storeSettings } from '../config.ts';
import type { Clock } from '../core/clock.ts';
import { loadRouting } from '../core/endorsement/routing.ts';
import { createLogger } from '../log.ts';
import { openReaderStore } from '../store/open.ts';

/**
 * The server's data, opened the way the server opens it, for the commands that read it or chat locally
 * without the platforms (chat, export, alerts --dry-run): the store of GNLC_DATABASE_URL, else GNLC_DATA_DIR
 * (or --data), the routing of GNLC_CONFIG (a broken file is reported here as by the server), and the core as
 * createApp builds it (serverCore: the content of GNLC_CONTENT_DIR). No folder is created. Warnings go to
 * stderr; stdout is the output.
 */
export async function serverData(data: string | undefined) {
  // The composition root loads only for the commands that need it: `gnlc ask` starts without it.
  const { serverCore } = await import('../app.ts');
  const env = loadEnv();
  const dataDir = path.resolve(data ?? env.GNLC_DATA_DIR);
  const log = createLogger(env.LOG_LEVEL ?? 'warn');
  const store = await openReaderStore(storeSettings(env, dataDir), log);
  const routing = loadRouting(env.GNLC_CONFIG, dataDir);
  const core = (clock: Clock) => serverCore(env, { clock, store, log, dataDir, routing });
  return { env, log, store, core };
}
