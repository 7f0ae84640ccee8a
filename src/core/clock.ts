import { TZDate } from '@date-fns/tz';

/** Where the core reads the time from; a simulated clock lets people try a call that is not open today. */
export interface Clock {
  now(): Date;
  /** True when the time is not the real time (GNLC_NOW or --now). */
  readonly simulated: boolean;
}

/** The real time. */
export const systemClock: Clock = { now: () => new Date(), simulated: false };

/** A clock frozen at one instant (tests, `gnlc ask --now`). */
export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()), simulated: true };
}

/** A clock that starts at `start` and then runs at real speed (GNLC_NOW for `npm start`). */
export function offsetClock(start: Date, real: () => number = Date.now): Clock {
  const offset = start.getTime() - real();
  return { now: () => new Date(real() + offset), simulated: true };
}

/** The zone in which call dates are read when a call does not say otherwise (shared/domain.md). */
export const DEFAULT_ZONE = 'Europe/Berlin';

/**
 * Parses a user-supplied instant. A bare date ("2025-06-01") means noon of that day in Hamburg,
 * so it falls inside the day whatever the reader's zone; anything else must be an ISO 8601 instant.
 * Returns undefined when the text is not a valid date.
 */
export function parseInstant(text: string): Date | undefined {
  const s = text.trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const at = new TZDate(y, m - 1, d, 12, 0, 0, DEFAULT_ZONE);
    return at.getDate() === d ? new Date(at.getTime()) : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s)) return undefined;
  const at = new Date(s);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
