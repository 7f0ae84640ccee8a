import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLowdbStore, verifyStore } from './store/lowdb.ts';
import { describeProblem } from './core/store-errors.ts';
import { ConfigError, loadEnv } from './config.ts';
import { offsetClock, parseInstant, systemClock } from './core/clock.ts';
import { createCore } from './core/create.ts';
import { DataFileError } from './core/data-file.ts';
import { runTerminalChat } from './channels/local/terminal.ts';
import { LocalNotifier } from './channels/local/notifier.ts';
import { loadRouting } from './core/endorsement/routing.ts';
import { reconcileAudit } from './core/endorsement/reconcile.ts';
import { loadCalls } from './core/calls/schema.ts';
import { DATA_DIR } from './core/faq/schema.ts';
import { enablePlatforms, type Platforms } from './channels/platforms.ts';
import { slackSettings } from './channels/slack/config.ts';
import { DEFAULT_ALERTS_CRON, startAlertScheduler } from './scheduler.ts';
import { createLogger } from './log.ts';
import { HttpServer } from './server.ts';

/**
 * Wiring: configuration → core → HTTP server → terminal chat when stdin is a terminal.
 * Runs with no configuration at all; the end of terminal input never stops the server.
 */
export async function main(): Promise<void> {
  const started = performance.now();
  const interactive = Boolean(process.stdin.isTTY);
  let env;
  let slackConfig;
  try {
    env = loadEnv();
    slackConfig = slackSettings(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`gnlc: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  // In the terminal chat, routine logs would interleave with the conversation: show warnings only.
  const log = createLogger(env.LOG_LEVEL ?? (interactive ? 'warn' : 'info'));
  const clock = env.GNLC_NOW ? offsetClock(parseInstant(env.GNLC_NOW)!) : systemClock;
  if (clock.simulated) log.warn({ now: clock.now().toISOString() }, `clock simulated from GNLC_NOW=${env.GNLC_NOW}`);

  let core;
  const dataDir = path.resolve(env.GNLC_DATA_DIR);
  // Applicants' data: the folder is the owner's only (when the server creates it; readers create nothing).
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const store = createLowdbStore(dataDir, log);
  // A damaged record stops start-up, untouched, instead of being moved aside while applicants are served.
  const problems = await verifyStore(dataDir);
  if (problems.length) {
    for (const p of problems) log.fatal({ file: p.file, record: p.record, field: p.field, rule: p.rule }, 'damaged store record');
    const list = problems.slice(0, 5).map((p) => `  ${describeProblem(p)}`).join('\n');
    process.stderr.write(
      `gnlc: cannot start: the store in ${dataDir} has ${problems.length} damaged record(s); nothing was changed.\n${list}\n` +
        'Run gnlc verify for the whole list. Restore the file(s) from a backup, or set them aside with gnlc repair --file F (a copy is kept).\n',
    );
    process.exit(1);
  }
  try {
    const routing = loadRouting(env.GNLC_CONFIG, dataDir);
    core = createCore({ clock, dataDir: env.GNLC_CONTENT_DIR, store, routing, warn: (o, m) => log.warn(o, m), error: (o, m) => log.error(o, m) });
  } catch (err) {
    if (err instanceof DataFileError) {
      log.fatal({ file: err.file, entry: err.entry, field: err.field }, err.message);
      process.stderr.write(`gnlc: cannot start: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  // Decisions stored by a process that was stopped before it appended their audit lines get them now.
  const recovered = await reconcileAudit(store, loadCalls(env.GNLC_CONTENT_DIR ?? DATA_DIR).map((c) => c.id));
  if (recovered.length) {
    log.warn({ lines: recovered.length, applications: [...new Set(recovered.map((e) => e.application))] }, 'audit lines written for decisions stored just before the process stopped');
  }

  // Local rooms (the demo's commission-<CC> and coordinators): shown in the terminal chat, else logged.
  const local = new LocalNotifier();
  local.attach(({ room, id, update }) => log.info({ room, id, update }, 'message to a local room (no terminal attached)'));
  core.outbox.add(local);

  const server = new HttpServer(log, () => store.health());
  let platforms: Platforms;
  try {
    // Teams: POST /api/messages, anonymous (Emulator) unless MicrosoftAppId is set; Slack when configured.
    platforms = enablePlatforms(core, { store, log, env: process.env, server, slack: slackConfig });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`gnlc: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const slack = platforms.slack;
  try {
    const port = await server.listen(env.PORT);
    log.info({ port, startupMs: Math.round(performance.now() - started) }, 'server listening');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    process.stderr.write(`gnlc: cannot listen on port ${env.PORT} (${code}). Set PORT to a free port, e.g. PORT=3999 npm start\n`);
    process.exit(1);
  }

  if (slack) {
    try {
      await slack.start();
      log.info({ mode: slackConfig!.mode }, 'Slack channel on');
    } catch (err) {
      process.stderr.write(`gnlc: cannot connect to Slack in Socket Mode: ${(err as Error).message}. Check SLACK_APP_TOKEN and SLACK_BOT_TOKEN.\n`);
      process.exit(1);
    }
  }

  // Deadline alerts: once now (catching up after downtime), then on the cron pattern.
  const alertsCron = env.GNLC_ALERTS ?? DEFAULT_ALERTS_CRON;
  const scheduler = alertsCron === 'off' ? undefined : startAlertScheduler(core.alerts, log, alertsCron);
  void scheduler?.tick();

  // Graceful stop: no new requests; requests, turns, alert runs and writes under way finish; then exit.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error({ signal }, 'shutdown took more than 10 s; exiting anyway');
      process.exit(1);
    }, 10_000);
    force.unref();
    await scheduler?.stop();
    await slack?.stop();
    await server.close();
    await core.assistant.drain();
    await store.close();
    log.info({ signal }, 'stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  if (interactive) {
    const locale = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG;
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    await runTerminalChat({
      assistant: core.assistant,
      t: core.i18n.t,
      local,
      input: process.stdin,
      output: process.stdout,
      user: { id: process.env.USER || 'local', locale, timeZone },
      color: Boolean(process.stdout.isTTY),
    });
    const lang = core.assistant.languageFor(locale);
    process.stdout.write(`\n${core.i18n.t(lang, 'common:chat_closed', { port: env.PORT })}\n`);
  }
}

await main();
