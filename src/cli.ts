import { realpathSync } from 'node:fs';
import { ConfigError } from './config.ts';
import { DataFileError } from './core/data-file.ts';
import { describeProblem, StoreReadError } from './core/store-errors.ts';
import { type CliIo, UsageError } from './cli/args.ts';
import { USAGE } from './cli/usage.ts';

export { askJsonLines } from './cli/ask.ts';

type Command = (args: string[], io: CliIo) => Promise<number>;

/**
 * Each command's implementation, given the arguments after its name, loaded when that command runs: `gnlc ask`
 * does not load the terminal chat, the exports or the store's repair tools.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  ask: async () => (await import('./cli/ask.ts')).runAsk,
  chat: async () => (await import('./cli/chat.ts')).runChat,
  export: async () => (await import('./cli/export.ts')).runExport,
  verify: async () => (await import('./cli/verify.ts')).runVerify,
  repair: async () => (await import('./cli/repair.ts')).runRepair,
  alerts: async () => (await import('./cli/alerts.ts')).runAlerts,
  migrate: async () => (await import('./cli/database.ts')).runMigrate,
  copy: async () => (await import('./cli/database.ts')).runCopy,
  invite: async () => (await import('./cli/invite.ts')).runInvite,
};

/** Runs the gnlc command line; returns the exit code. */
export async function runCli(
  argv: string[],
  io: CliIo = {
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
    const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (load) return await (await load())(rest, io);
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
        `gnlc: ${command}: stopped, nothing was changed: the store cannot read\n` +
          err.problems.map((p) => `  ${describeProblem(p)}\n`).join('') +
          'Run gnlc verify for the whole list.\n',
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
