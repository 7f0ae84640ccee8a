/**
 * The composition root: the one place that picks the implementations and wires them. From the environment
 * (and, for tests and benches, a few seams), `createApp` builds the store, verifies it, loads the routing and
 * the content into the core, writes the audit lines a stopped process owed, and mounts the enabled platforms
 * on one HTTP server. `main.ts` listens and talks to the terminal; tests get the same wiring.
 */
import path from 'node:path';
import type { RetryOptions } from '@slack/web-api';
import type { Platforms } from './channels/platforms.ts';
import { LocalNotifier } from './channels/local/notifier.ts';
import type { TeamsDeps } from './channels/teams/index.ts';
import { slackSettings } from './channels/slack/config.ts';
import { loadEnv, storeSettings, type Env } from './config.ts';
import { offsetClock, parseInstant, systemClock, type Clock } from './core/clock.ts';
import { createCore, type Core } from './core/create.ts';
import { loadCalls } from './core/calls/schema.ts';
import { loadRouting, type Routing } from './core/endorsement/routing.ts';
import { reconcileAudit } from './core/endorsement/reconcile.ts';
import { DATA_DIR } from './core/faq/schema.ts';
import type { Store } from './core/records.ts';
import type { Logger } from './log.ts';
import { DEFAULT_ALERTS_CRON, startAlertScheduler, type AlertScheduler } from './scheduler.ts';
import { HttpServer } from './server.ts';
import { openServerStore, StoreDamagedError } from './store/open.ts';

export { StoreDamagedError };

export interface AppOptions {
  /** The environment (GNLC_*, SLACK_*, Microsoft*, TEAMS_*, PORT, LOG_LEVEL); validated here. */
  env: NodeJS.ProcessEnv;
  log: Logger;
  /**
   * Seams for tests and benches: a fixed clock, another store, routing in memory, quicker Slack retries, the
   * addresses the anonymous Teams endpoint counts as this machine (to stand for the internet from 127.0.0.1).
   */
  clock?: Clock;
  store?: Store;
  routing?: Routing;
  slack?: { retryConfig?: RetryOptions; unackedTimeoutMs?: number };
  teams?: Pick<TeamsDeps, 'local'>;
  /**
   * Whether to write the audit lines a stopped process owed (default true: the server, before it takes
   * requests). `gnlc alerts` runs beside a server and leaves them to it: written beside a running server, a
   * line could repeat one the server is about to write.
   */
  reconcile?: boolean;
}

/** The wired application: nothing listens yet. */
export interface App {
  env: Env;
  core: Core;
  store: Store;
  server: HttpServer;
  platforms: Platforms;
  /** The local rooms (the demo's commission-<CC> and coordinators), shown in the terminal chat. */
  local: LocalNotifier;
  dataDir: string;
  /**
   * Starts the deadline alerts (once now, then on GNLC_ALERTS), unless they are off, and the delivery passes of
   * the outbox (now, then every 10 s) when the store keeps one.
   */
  startAlerts(): AlertScheduler | undefined;
  /** Stops accepting requests, lets the turns, alert runs and writes under way finish, and closes the store. */
  stop(): Promise<void>;
}

/**
 * Builds the application. Throws ConfigError (a wrong setting), DataFileError (a content file) or
 * StoreDamagedError (records that cannot be read), having changed nothing.
 */
export async function createApp(opts: AppOptions): Promise<App> {
  const { log } = opts;
  const env = loadEnv(opts.env);
  const slack = slackSettings(opts.env);
  const clock = opts.clock ?? (env.GNLC_NOW ? offsetClock(parseInstant(env.GNLC_NOW)!) : systemClock);
  const dataDir = path.resolve(env.GNLC_DATA_DIR);
  // Applicants' data: the embedded store's folder is the owner's only, and a damaged record stops start-up
  // untouched instead of being moved aside while applicants are served; a database gets its migrations.
  const store = opts.store ?? (await openServerStore(storeSettings(env, dataDir), log));
  const core = serverCore(env, { clock, store, log, dataDir, routing: opts.routing });

  // Decisions stored by a process that was stopped before it appended their audit lines get them now.
  // One instance at a time: two starting together would each write the owed lines.
  const calls = loadCalls(env.GNLC_CONTENT_DIR ?? DATA_DIR).map((c) => c.id);
  const recovered =
    opts.reconcile === false ? [] : ((await store.alone('reconcile', () => reconcileAudit(store, calls))) ?? []);
  if (recovered.length) {
    log.warn(
      { lines: recovered.length, applications: [...new Set(recovered.map((e) => e.application))] },
      'audit lines written for decisions stored just before the process stopped',
    );
  }

  const local = new LocalNotifier();
  local.attach(({ room, id, update }) =>
    log.info({ room, id, update }, 'message to a local room (no terminal attached)'),
  );
  core.outbox.add(local);

  const server = new HttpServer(log, () => store.health());
  // Teams: POST /api/messages (anonymous on loopback unless MicrosoftAppId is set); Slack when configured.
  // Their SDKs load here, not with this module: the gnlc commands that only read the store start without them.
  const { enablePlatforms } = await import('./channels/platforms.ts');
  const platforms = await enablePlatforms(core, {
    store,
    log,
    env: opts.env,
    server,
    dataDir,
    slack,
    slackOptions: opts.slack,
    teamsOptions: opts.teams,
  });

  let scheduler: AlertScheduler | undefined;
  let deliveries: NodeJS.Timeout | undefined;
  let delivering: Promise<unknown> = Promise.resolve();
  const deliver = () => {
    delivering = delivering
      .then(() => core.assistant.deliveries.run())
      .catch((err) => log.warn({ err: (err as Error).message }, 'delivery pass failed; the next one tries again'));
  };
  return {
    env,
    core,
    store,
    server,
    platforms,
    local,
    dataDir,
    startAlerts() {
      const cron = env.GNLC_ALERTS ?? DEFAULT_ALERTS_CRON;
      scheduler = cron === 'off' ? undefined : startAlertScheduler(core.alerts, log, cron);
      void scheduler?.tick();
      if (store.outbox && !deliveries) {
        deliver();
        deliveries = setInterval(deliver, 10_000);
        deliveries.unref();
      }
      return scheduler;
    },
    async stop() {
      await scheduler?.stop();
      clearInterval(deliveries);
      await delivering;
      await platforms.slack?.stop();
      await server.close();
      await core.assistant.drain();
      await store.close();
    },
  };
}

/**
 * The core over `store` as the server builds it: the routing of GNLC_CONFIG (else the data folder's
 * routing.json, else the local demo) unless one is given, the content of GNLC_CONTENT_DIR, and warnings and
 * failures to the log. `createApp` uses it, and so do the gnlc commands that work on the server's data
 * without its channels (`chat --json`, `alerts --dry-run`).
 */
export function serverCore(
  env: Env,
  deps: { clock: Clock; store: Store; log: Logger; dataDir: string; routing?: Routing },
): Core {
  const { log } = deps;
  const routing = deps.routing ?? loadRouting(env.GNLC_CONFIG, deps.dataDir);
  return createCore({
    clock: deps.clock,
    dataDir: env.GNLC_CONTENT_DIR,
    store: deps.store,
    routing,
    warn: (o, m) => log.warn(o, m),
    error: (o, m) => log.error(o, m),
  });
}
