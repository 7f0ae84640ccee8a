import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp, StoreDamagedError, type App } from './app.ts';
import { runTerminalChat } from './channels/local/terminal.ts';
import { ConfigError, loadEnv } from './config.ts';
import { DataFileError } from './core/data-file.ts';
import { describeProblem } from './core/store-errors.ts';
import { createLogger } from './log.ts';

/**
 * The process: the application (src/app.ts) on PORT, the terminal chat when stdin is a terminal, and a
 * graceful stop on SIGTERM or Ctrl-C.
 * Runs with no configuration at all; the end of terminal input never stops the server.
 */
export async function main(): Promise<void> {
  const started = performance.now();
  const interactive = Boolean(process.stdin.isTTY);
  let level: ReturnType<typeof loadEnv>['LOG_LEVEL'];
  try {
    level = loadEnv().LOG_LEVEL;
  } catch (err) {
    return fail(err);
  }
  // In the terminal chat, routine logs would interleave with the conversation: show warnings only.
  const log = createLogger(level ?? (interactive ? 'warn' : 'info'));
  let app: App;
  try {
    app = await createApp({ env: process.env, log });
  } catch (err) {
    if (err instanceof StoreDamagedError) {
      for (const p of err.problems)
        log.fatal({ file: p.file, record: p.record, field: p.field, rule: p.rule }, 'damaged store record');
      const list = err.problems
        .slice(0, 5)
        .map((p) => `  ${describeProblem(p)}`)
        .join('\n');
      process.stderr.write(
        `gnlc: cannot start: the store in ${err.dataDir} has ${err.problems.length} damaged record(s); ` +
          `nothing was changed.\n${list}\n` +
          'Run gnlc verify for the whole list. Restore the file(s) from a backup, ' +
          'or set them aside with gnlc repair --file F (a copy is kept).\n',
      );
      process.exit(1);
    }
    if (err instanceof DataFileError) {
      log.fatal({ file: err.file, entry: err.entry, field: err.field }, err.message);
      process.stderr.write(`gnlc: cannot start: ${err.message}\n`);
      process.exit(1);
    }
    return fail(err);
  }
  const { core, env, server } = app;
  if (core.clock.simulated)
    log.warn({ now: core.clock.now().toISOString() }, `clock simulated from GNLC_NOW=${env.GNLC_NOW}`);
  const slack = app.platforms.slack;
  try {
    const port = await server.listen(env.PORT);
    log.info({ port, startupMs: Math.round(performance.now() - started) }, 'server listening');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    process.stderr.write(
      `gnlc: cannot listen on port ${env.PORT} (${code}). Set PORT to a free port, e.g. PORT=3999 npm start\n`,
    );
    process.exit(1);
  }

  if (slack) {
    try {
      await slack.start();
      log.info('Slack channel on');
    } catch (err) {
      process.stderr.write(
        `gnlc: cannot connect to Slack in Socket Mode: ${(err as Error).message}. ` +
          'Check SLACK_APP_TOKEN and SLACK_BOT_TOKEN.\n',
      );
      process.exit(1);
    }
  }

  // Deadline alerts: once now (catching up after downtime), then on the cron pattern.
  app.startAlerts();
  // Every language's FAQ index, between other work, so that no first question in a language waits for it.
  void core.assistant.warm();

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
    await app.stop();
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
      local: app.local,
      input: process.stdin,
      output: process.stdout,
      user: { id: process.env.USER || 'local', locale, timeZone },
      color: Boolean(process.stdout.isTTY),
      filesDir: path.resolve(env.GNLC_DATA_DIR, 'exports'),
      onInterrupt: () => process.emit('SIGINT'),
    });
    const lang = core.assistant.languageFor(locale);
    process.stdout.write(`\n${core.i18n.t(lang, 'common:chat_closed', { port: env.PORT })}\n`);
  }
}

/** A wrong setting stops start-up with its message; anything else is a bug and is thrown. */
function fail(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`gnlc: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}

await main();
