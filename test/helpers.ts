import { createMemoryStore } from '../src/store/memory.ts';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../src/cli.ts';
import { fixedClock } from '../src/core/clock.ts';
import { createCore, type Core } from '../src/core/create.ts';
import type { Store } from '../src/core/records.ts';

let shared: Core | undefined;

/**
 * The abuse limits off (GNLC_LIMIT_*), for the apps of channel tests that send many turns from one address
 * and one person: the limits have tests of their own (test/channels/limits.test.ts, the hostile table).
 */
export const NO_LIMITS = { GNLC_LIMIT_ADDRESS: 'off', GNLC_LIMIT_PERSON: 'off', GNLC_LIMIT_NEW_PEOPLE: 'off' } as const;

/** The core over the project's real data and locales, with the clock frozen at `at`. */
export function coreAt(at: string): Core {
  return createCore({ clock: fixedClock(new Date(at)), store: createMemoryStore() });
}

/** `coreAt`, with the memory store it writes, for tests that read what was stored. */
export function coreOnStore(at: string): Core & { store: Store } {
  const store = createMemoryStore();
  return { ...createCore({ clock: fixedClock(new Date(at)), store }), store };
}

/** A core built once per test file (the data and locales are read-only), clock frozen on 10 June 2025. */
export function sharedCore(): Core {
  shared ??= coreAt('2025-06-10T12:00:00Z');
  return shared;
}

/** Every file under `dir` with a SHA-256 of its content (to show that something changed nothing). */
export function fileHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const e of readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, e.name);
      if (e.isDirectory()) walk(file);
      else out[path.relative(dir, file)] = createHash('sha256').update(readFileSync(file)).digest('hex');
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** A copy of a folder in a new temporary folder (a fixture store to work on). */
export function copyToTemp(src: string, prefix = 'gnlc-copy-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  cpSync(src, dir, { recursive: true });
  return dir;
}

/** Runs the gnlc CLI in-process with the given stdin lines; returns exit code, stdout and stderr. */
export async function cli(
  args: string[],
  stdinLines: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await runCli(args, { stdin: Readable.from(stdinLines.map((l) => `${l}\n`)), stdout, stderr });
  return { code, stdout: out, stderr: err };
}
