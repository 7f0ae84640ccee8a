/** Time zones: whether the runtime knows a zone's IANA name. */
import { memo } from '../lib/memo.ts';

/** One formatter per valid zone (building one costs more than the rest of a turn; about 600 zones exist). */
const known = new Map<string, Intl.DateTimeFormat>();

/** True when `tz` is an IANA zone the runtime knows. */
export function isTimeZone(tz: string | undefined): tz is string {
  if (!tz) return false;
  if (known.has(tz)) return true;
  try {
    known.set(tz, new Intl.DateTimeFormat('en', { timeZone: tz }));
    return true;
  } catch {
    return false;
  }
}

/** The calendar day (YYYY-MM-DD) of an instant in a zone; the default zone is Hamburg's, where the calls are dated. */
export function dayIn(at: Date, zone: string | undefined): string {
  return days(isTimeZone(zone) ? zone : 'Europe/Berlin').format(at);
}

/** One day formatter per zone, like `known` above: every turn of the form asks for today. */
const days = memo(
  (tz: string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }),
);
