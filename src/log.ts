import pino, { type Logger } from 'pino';

/**
 * Fields that would carry what people typed or their contact details. The code logs ids, codes and
 * counts only; this is the safety net should such a field ever reach a log call (also one level down,
 * e.g. inside `err` or `turn`).
 */
export const REDACTED_FIELDS = ['text', 'answers', 'reason', 'email', 'phone', 'value', 'body'].flatMap((f) => [
  f,
  `*.${f}`,
]);

/**
 * The process logger: JSON lines on stderr (stdout belongs to the terminal chat and `--json` output).
 * LOG_LEVEL overrides the level; `destination` is for tests.
 */
export function createLogger(
  level: string = process.env.LOG_LEVEL ?? 'info',
  destination: pino.DestinationStream = pino.destination(2),
): Logger {
  return pino({ level, base: { app: 'gnlc' }, redact: { paths: REDACTED_FIELDS, censor: '[redacted]' } }, destination);
}

export type { Logger };
