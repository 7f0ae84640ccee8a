import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';
import { format } from 'date-fns/format';

/**
 * Time arithmetic of the alerts, with every zone explicit: a call's dates are read in the call's zone
 * (end of day, Hamburg, unless the call says otherwise), and an alert goes out at 09:00 on a day of the
 * recipient's own calendar.
 */

/**
 * The schedule is a pure function of a call's dates and a zone, asked for on every tick: results are kept
 * (a few per call and zone). Callers get copies of the dates inside.
 */
const memo = new Map<string, unknown>();
function remember<T>(key: string, compute: () => T): T {
  if (!memo.has(key)) {
    if (memo.size > 10_000) memo.clear();
    memo.set(key, compute());
  }
  return structuredClone(memo.get(key) as T);
}

/** The hour of the recipient's day at which alerts go out. */
export const ALERT_HOUR = 9;

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(at: Date, zone: string): string {
  return format(new TZDate(at.getTime(), zone), 'yyyy-MM-dd');
}

/** The instant of a wall-clock hour on a calendar date in a zone (DST-aware). */
export function atHour(date: string, hour: number, zone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, hour, 0, 0, zone).getTime());
}

/** A calendar date moved by whole days. */
export function shiftDate(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return format(addDays(new Date(y, m - 1, d, 12), days), 'yyyy-MM-dd');
}

/** One reminder before a deadline: `days` before its last day, and the window in which it still makes sense. */
export interface Stage {
  /** `7d` or `1d`. */
  name: string;
  due: Date;
  /** After this the reminder is overtaken (by the next reminder, or by the deadline itself). */
  until: Date;
}

/** The reminders' distances from a deadline, farthest first. */
export const STAGES = [7, 1] as const;

/**
 * The reminders before a deadline that ends at `end`, for a recipient in `zone`: at 09:00 of their day
 * that lies 7 and 1 days before the deadline's last day as they see it. Each holds until the next one is
 * due, the last until the deadline; a reminder that would fall before `notBefore` (a call shorter than a
 * week) is left out.
 */
export function stagesBefore(end: Date, zone: string, notBefore: Date): Stage[] {
  return remember(`stages ${end.getTime()} ${zone} ${notBefore.getTime()}`, () => computeStages(end, zone, notBefore));
}

function computeStages(end: Date, zone: string, notBefore: Date): Stage[] {
  const lastDay = localDate(new Date(end.getTime() - 1), zone);
  const stages = STAGES.map((days) => ({ name: `${days}d`, due: atHour(shiftDate(lastDay, -days), ALERT_HOUR, zone) }));
  return stages
    .map((s, i) => ({ ...s, until: stages[i + 1]?.due ?? end }))
    .filter((s) => s.due.getTime() >= notBefore.getTime() && s.due.getTime() < s.until.getTime());
}

/**
 * When an event at `at` is announced to someone in `zone`: 09:00 of that day for them,
 * or the event itself if later.
 */
export function announceAt(at: Date, zone: string): Date {
  return remember(`announce ${at.getTime()} ${zone}`, () => computeAnnounce(at, zone));
}

function computeAnnounce(at: Date, zone: string): Date {
  const nine = atHour(localDate(at, zone), ALERT_HOUR, zone);
  return nine.getTime() >= at.getTime() ? nine : at;
}

/** Every Monday 09:00 in `zone` from `from` (inclusive) to `to` (exclusive), with the Monday's date. */
export function mondays(from: Date, to: Date, zone: string): { date: string; due: Date }[] {
  return remember(`mondays ${from.getTime()} ${to.getTime()} ${zone}`, () => computeMondays(from, to, zone));
}

function computeMondays(from: Date, to: Date, zone: string): { date: string; due: Date }[] {
  const out: { date: string; due: Date }[] = [];
  let date = localDate(from, zone);
  // Step to the first Monday (ISO weekday 1) on or after the first day.
  while (new TZDate(atHour(date, 12, zone).getTime(), zone).getDay() !== 1) date = shiftDate(date, 1);
  for (;;) {
    const due = atHour(date, ALERT_HOUR, zone);
    if (due.getTime() >= to.getTime()) return out;
    if (due.getTime() >= from.getTime()) out.push({ date, due });
    date = shiftDate(date, 7);
  }
}
