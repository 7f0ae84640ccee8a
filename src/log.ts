import pino, { type Logger } from 'pino';

/**
 * The process logger: JSON lines on stderr (stdout belongs to the terminal chat and `--json` output).
 * LOG_LEVEL overrides the level.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { app: 'gnlc' } }, pino.destination(2));
}

export type { Logger };
