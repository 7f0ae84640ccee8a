import { createMemoryStore } from './store/memory.ts';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runJsonChat } from './channels/local/json.ts';
import { forEachJsonLine } from './channels/local/json-lines.ts';
import { createLowdbStore, repairFile, verifyStore } from './store/lowdb.ts';
import { RepairError } from './store/verify.ts';
import { describeProblem, StoreReadError } from './core/store-errors.ts';
import { loadRouting } from './core/endorsement/routing.ts';
import { toCsv, toJson } from './core/endorsement/export.ts';
import { loadCalls } from './core/calls/schema.ts';
import { DATA_DIR } from './core/faq/schema.ts';
import { createLogger } from './log.ts';
import { fixedClock, parseInstant, systemClock, type Clock } from './core/clock.ts';
import { createCore, type Core } from './core/create.ts';
import type { Store } from './core/records.ts';
import { DataFileError } from './core/data-file.ts';
import { isLang, LANGS, type Lang } from './core/lang.ts';
import { z } from 'zod';
import { ConfigError, loadEnv } from './config.ts';

const USAGE = `Usage: gnlc <command> [options]

Commands:
  ask "question" [--lang xx] [--locale xx-XX] [--now ISO] [--tz Zone]   answer one question
  ask --json [--now ISO]          answer JSON lines from stdin: {"id","text","locale"?,"now"?,"lang"?}
  chat --json [--now ISO] [--data DIR]   the local chat with JSON lines on stdin/stdout:
                                  in {"user","text"|"action":{"id","value"},"locale"?,"room"?}
                                  out {"room","text","lang","expects"?,"actions"?}
  export --call ID --format csv|json [--data DIR]
                                  every application of a call with its decisions, on stdout
                                  (reads GNLC_DATA_DIR and GNLC_CONFIG like the server)
  alerts [--now ISO] [--dry-run] [--json] [--data DIR]
                                  the deadline alerts due at that instant: sends them and records
                                  them as sent (with --dry-run only lists them); --json prints
                                  {"key","rule","call","to":{"channel","kind","id"},"lang","text"}
                                  (reads GNLC_DATA_DIR and GNLC_CONFIG like the server, and sends
                                  through the Slack and Teams settings of the environment)
  verify [--data DIR]             reads every record of the store, changing nothing, and lists those
                                  that cannot be read (file, record, field, rule); exit 1 when any
  repair --file F [--data DIR]    sets aside a damaged file that verify lists: keeps a copy under
                                  repair/<time>/ in the data folder, keeps the records of the file
                                  that read, and removes the rest (stop the server first)
  help                            this text

--now takes an ISO date or instant (2025-06-10 or 2025-06-10T12:00:00Z) and simulates the clock.
Languages: ${LANGS.join(', ')}.`;

/** Thrown for a bad command line; the CLI prints it with the usage and exits 2. */
class UsageError extends Error {}

/** Parses --now, or fails with a usage error naming the bad value. */
function clockFrom(now: string | undefined): Clock {
  if (now === undefined) return systemClock;
  const at = parseInstant(now);
  if (!at)
    throw new UsageError(`--now: "${now}" is not an ISO date or instant (e.g. 2025-06-10 or 2025-06-10T12:00:00Z)`);
  return fixedClock(at);
}

function langFrom(lang: string | undefined): Lang | undefined {
  if (lang === undefined) return undefined;
  if (!isLang(lang)) throw new UsageError(`--lang: "${lang}" is not one of ${LANGS.join(', ')}`);
  return lang;
}

/** One line of `gnlc ask --json` input. */
const AskLine = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  text: z.string().min(1, 'text must not be empty'),
  locale: z.string().optional(),
  lang: z
    .string()
    .refine(isLang, `must be one of ${LANGS.join(', ')}`)
    .optional(),
  now: z
    .string()
    .refine((s) => parseInstant(s) !== undefined, 'must be an ISO date or instant')
    .optional(),
  timeZone: z.string().optional(),
});

/** Answers JSON lines from `input`, writing one JSON line per input line, in order. */
export async function askJsonLines(
  core: Core,
  input: NodeJS.ReadableStream,
  write: (line: string) => void,
): Promise<void> {
  await forEachJsonLine(
    input,
    AskLine,
    write,
    (q) => {
      const r = core.assistant.ask(q.text, {
        locale: q.locale,
        lang: q.lang as Lang | undefined,
        now: q.now ? parseInstant(q.now) : undefined,
        timeZone: q.timeZone,
      });
      const out: Record<string, unknown> = {
        id: q.id ?? null,
        faqId: r.faqId,
        lang: r.lang,
        score: r.score,
        answer: r.answer,
      };
      if (r.facts) out.facts = r.facts;
      if (!r.faqId) out.suggestions = r.suggestions;
      write(JSON.stringify(out));
    },
    { withId: true },
  );
}

/**
 * The server's data, opened the way the server opens it, for the commands that read it or chat locally
 * without the platforms (chat, export, alerts --dry-run): the store in GNLC_DATA_DIR (or --data), the routing
 * of GNLC_CONFIG (a broken file is reported here as by the server), and the core as createApp builds it
 * (serverCore: the content of GNLC_CONTENT_DIR). No folder is created. Warnings go to stderr; stdout is the output.
 */
async function serverData(data: string | undefined) {
  // The composition root loads only for the commands that need it: `gnlc ask` starts without it.
  const { serverCore } = await import('./app.ts');
  const env = loadEnv();
  const dataDir = path.resolve(data ?? env.GNLC_DATA_DIR);
  const log = createLogger(env.LOG_LEVEL ?? 'warn');
  const store = createLowdbStore(dataDir, log);
  const routing = loadRouting(env.GNLC_CONFIG, dataDir);
  const core = (clock: Clock) => serverCore(env, { clock, store, log, dataDir, routing });
  return { env, log, store, core };
}

/**
 * `gnlc alerts`: the rules evaluated once at `now` over the server's data directory and routing. Sending
 * goes through the server's own wiring (createApp, not listening): the same notifiers as the server's (Slack
 * and Teams from the environment; local rooms are only recorded, since no chat is attached here), and the
 * same records keep each alert to one delivery, even with the server running beside it. A dry run only reads.
 */
async function runAlerts(
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
    const { createApp } = await import('./app.ts');
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

/** Runs the gnlc command line; returns the exit code. */
export async function runCli(
  argv: string[],
  io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  },
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      io.stdout.write(`${USAGE}\n`);
      return command ? 0 : 2;
    }
    if (command === 'ask') {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          json: { type: 'boolean', default: false },
          lang: { type: 'string' },
          locale: { type: 'string' },
          now: { type: 'string' },
          tz: { type: 'string' },
          data: { type: 'string' },
        },
      });
      const core = createCore({ clock: clockFrom(values.now), dataDir: values.data, store: createMemoryStore() });
      if (values.json) {
        await askJsonLines(core, io.stdin, (line) => io.stdout.write(`${line}\n`));
        return 0;
      }
      const text = positionals.join(' ').trim();
      if (!text) throw new UsageError('ask: give a question, e.g. gnlc ask "When is the deadline?"');
      const r = core.assistant.ask(text, { lang: langFrom(values.lang), locale: values.locale, timeZone: values.tz });
      io.stdout.write(`${r.answer}\n`);
      return 0;
    }
    if (command === 'chat') {
      const { values } = parseArgs({
        args: rest,
        options: { json: { type: 'boolean', default: false }, now: { type: 'string' }, data: { type: 'string' } },
      });
      if (!values.json) throw new UsageError('chat: only --json is supported here; for a terminal chat run npm start');
      const { store, core } = await serverData(values.data);
      await runJsonChat(core(clockFrom(values.now)), io.stdin, (line) => io.stdout.write(`${line}\n`));
      await store.close();
      return 0;
    }
    if (command === 'export') {
      const { values } = parseArgs({
        args: rest,
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
    if (command === 'verify') {
      const { values } = parseArgs({ args: rest, options: { data: { type: 'string' } } });
      const dir = path.resolve(values.data ?? loadEnv().GNLC_DATA_DIR);
      const problems = await verifyStore(dir);
      for (const p of problems) io.stdout.write(`${describeProblem(p)}\n`);
      io.stderr.write(
        problems.length
          ? `gnlc: ${problems.length} record(s) in ${dir} cannot be read; nothing was changed. See gnlc repair --file F, or restore them from a backup.\n`
          : `gnlc: every record in ${dir} reads.\n`,
      );
      return problems.length ? 1 : 0;
    }
    if (command === 'repair') {
      const { values } = parseArgs({ args: rest, options: { file: { type: 'string' }, data: { type: 'string' } } });
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
    if (command === 'alerts') {
      const { values } = parseArgs({
        args: rest,
        options: {
          now: { type: 'string' },
          'dry-run': { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
          data: { type: 'string' },
        },
      });
      return await runAlerts(
        { now: values.now, dryRun: values['dry-run'], json: values.json, data: values.data },
        io.stdout,
      );
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`gnlc: ${(err as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof DataFileError) {
      io.stderr.write(`gnlc: data error: ${err.message}\n`);
      return 1;
    }
    if (err instanceof ConfigError) {
      io.stderr.write(`gnlc: ${err.message}\n`);
      return 1;
    }
    if (err instanceof StoreReadError || err instanceof (await import('./app.ts')).StoreDamagedError) {
      io.stderr.write(
        `gnlc: ${command}: stopped, nothing was changed: the store cannot read\n${err.problems.map((p) => `  ${describeProblem(p)}\n`).join('')}Run gnlc verify for the whole list.\n`,
      );
      return 1;
    }
    throw err;
  }
}

// Run when executed directly (npm run gnlc, bin/gnlc.mjs), not when imported by tests.
if (process.argv[1] && realpathSync(process.argv[1]) === import.meta.filename) {
  process.exitCode = await runCli(process.argv.slice(2));
}
