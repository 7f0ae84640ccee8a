import { fixedClock, parseInstant, systemClock, type Clock } from '../core/clock.ts';
import { isLang, LANGS, type Lang } from '../core/lang.ts';

/** The streams a command reads and writes. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Thrown for a bad command line; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {}

/** Parses --now, or fails with a usage error naming the bad value. */
export function clockFrom(now: string | undefined): Clock {
  if (now === undefined) return systemClock;
  const at = parseInstant(now);
  if (!at)
    throw new UsageError(`--now: "${now}" is not an ISO date or instant (e.g. 2025-06-10 or 2025-06-10T12:00:00Z)`);
  return fixedClock(at);
}

export function langFrom(lang: string | undefined): Lang | undefined {
  if (lang === undefined) return undefined;
  if (!isLang(lang)) throw new UsageError(`--lang: "${lang}" is not one of ${LANGS.join(', ')}`);
  return lang;
}
