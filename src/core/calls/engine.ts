import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import type { Call } from './schema.ts';

/** Where a call stands at an instant. */
export type Phase = 'upcoming' | 'open' | 'endorsement' | 'closed';

/** The call relevant at an instant and its phase. */
export interface PhaseInfo {
  call: Call;
  phase: Phase;
}

/**
 * Day boundaries are pure functions of (date, zone) but cost several time-zone conversions each, and
 * every turn asks for the phase: they are computed once per date and zone (a handful of call dates).
 */
const boundaries = new Map<string, number>();
function memo(key: string, compute: () => number): Date {
  let t = boundaries.get(key);
  if (t === undefined) {
    t = compute();
    if (boundaries.size > 10_000) boundaries.clear();
    boundaries.set(key, t);
  }
  return new Date(t);
}

/** The instant a date starts in a zone (00:00 local). */
export function startOf(date: string, timeZone: string): Date {
  return memo(`s ${date} ${timeZone}`, () => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return new TZDate(y, m - 1, d, 0, 0, 0, timeZone).getTime();
  });
}

/**
 * The instant a deadline day is over in a zone: a deadline "15 June" still admits 23:59 on 15 June,
 * and has passed at 00:00 on 16 June (computed on the calendar, so it holds across DST changes).
 */
export function endOf(date: string, timeZone: string): Date {
  return memo(`e ${date} ${timeZone}`, () => {
    const next = addDays(new TZDate(startOf(date, timeZone).getTime(), timeZone), 1);
    const [y, m, d] = [next.getFullYear(), next.getMonth(), next.getDate()];
    return new TZDate(y, m, d, 0, 0, 0, timeZone).getTime();
  });
}

/** The last day on which the endorsement phase of a call runs, if it has one. */
export function endorsementEnd(call: Call): string | null {
  return call.commissionDeadline ?? call.finalDeadline ?? null;
}

/**
 * The phase at `now`: the first call (by date) that has not ended is `upcoming`, `open` or in
 * `endorsement`; when every call has ended, the latest one is `closed`.
 */
export function phaseAt(calls: readonly Call[], now: Date): PhaseInfo {
  const t = now.getTime();
  for (const call of calls) {
    const tz = call.timeZone;
    if (t < startOf(call.cityWindow.opens, tz).getTime()) return { call, phase: 'upcoming' };
    if (t < endOf(call.cityWindow.closes, tz).getTime()) return { call, phase: 'open' };
    const end = endorsementEnd(call);
    if (end && t < endOf(end, tz).getTime()) return { call, phase: 'endorsement' };
  }
  return { call: calls[calls.length - 1]!, phase: 'closed' };
}

/**
 * Whole calendar days from `now` to `date`, both read in `timeZone`: 0 on the day itself,
 * 1 the day before, negative once it has passed.
 */
export function daysUntil(date: string, now: Date, timeZone: string): number {
  // Every zone's days begin on a quarter hour of UTC (offsets are whole quarter hours): within one quarter hour
  // the count cannot change, and each answer asks for it several times (a time-zone conversion costs ~0.1 ms).
  const key = `${date} ${timeZone} ${Math.floor(now.getTime() / 900_000)}`;
  let days = dayCounts.get(key);
  if (days === undefined) {
    const today = new TZDate(now.getTime(), timeZone);
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    days = differenceInCalendarDays(new TZDate(y, m - 1, d, 12, 0, 0, timeZone), today);
    if (dayCounts.size > 10_000) dayCounts.clear();
    dayCounts.set(key, days);
  }
  return days;
}

const dayCounts = new Map<string, number>();

/** The machine-readable facts of a date-aware answer (`gnlc ask --json`). */
export interface CallFacts {
  cycle: string;
  phase: Phase;
  opens: string;
  closes: string;
  commissionDeadline: string | null;
}

/** Facts for the phase at an instant. */
export function callFacts(info: PhaseInfo): CallFacts {
  return {
    cycle: info.call.id,
    phase: info.phase,
    opens: info.call.cityWindow.opens,
    closes: info.call.cityWindow.closes,
    commissionDeadline: info.call.commissionDeadline,
  };
}
