import path from 'node:path';
import { z } from 'zod';
import { DataFileError, loadData } from '../data-file.ts';
import { isTimeZone } from '../time-zone.ts';

/** A calendar date written YYYY-MM-DD that exists (no 31 June). */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'is not a real calendar date');

const zone = z.string().refine(isTimeZone, 'must be an IANA time zone such as "Europe/Berlin"');

/** One call for applications (a cycle), as published by the coordination team. */
export const CallSchema = z
  .object({
    id: z.string().regex(/^\d{4}$/, 'must be the call year, e.g. "2025"'),
    cityWindow: z.object({ opens: CalendarDate, closes: CalendarDate }),
    /** Last day for National Commissions to endorse and forward; null when the call did not say. */
    commissionDeadline: CalendarDate.nullable(),
    /** A later deadline for applications to reach the coordination team (e.g. the 2021 extension). */
    finalDeadline: CalendarDate.nullable().default(null),
    finalDeadlineNote: z.enum(['extension']).optional(),
    limitPerCommission: z.number().int().positive().nullable(),
    limitSource: z.string().optional(),
    timeZone: zone,
    /** False when the sources give dates only: the bot then says it reads them as end of day in this zone. */
    timeZoneStated: z.boolean(),
    sources: z.array(z.string()).min(1),
  })
  .superRefine((c, ctx) => {
    if (c.cityWindow.closes < c.cityWindow.opens) {
      ctx.addIssue({ code: 'custom', path: ['cityWindow', 'closes'], message: 'is before cityWindow.opens' });
    }
    if (c.commissionDeadline && c.commissionDeadline < c.cityWindow.closes) {
      ctx.addIssue({ code: 'custom', path: ['commissionDeadline'], message: 'is before cityWindow.closes' });
    }
    if (c.finalDeadline && c.finalDeadline < c.cityWindow.closes) {
      ctx.addIssue({ code: 'custom', path: ['finalDeadline'], message: 'is before cityWindow.closes' });
    }
  });

export type Call = z.infer<typeof CallSchema>;

/** Loads data/calls.json, sorted by opening date; calls must not overlap. */
export function loadCalls(dataDir: string): Call[] {
  const file = path.join(dataDir, 'calls.json');
  const calls = loadData(file, z.object({ calls: z.array(CallSchema).min(1, 'needs at least one call') })).calls;
  const sorted = [...calls].sort((a, b) => a.cityWindow.opens.localeCompare(b.cityWindow.opens));
  const shown = path.relative(process.cwd(), file) || file;
  const seen = new Set<string>();
  for (const [i, c] of sorted.entries()) {
    if (seen.has(c.id)) throw new DataFileError(shown, c.id, 'id', 'duplicate call id');
    seen.add(c.id);
    const prev = sorted[i - 1];
    const prevEnd = prev && (prev.finalDeadline ?? prev.commissionDeadline ?? prev.cityWindow.closes);
    if (prev && prevEnd && c.cityWindow.opens <= prevEnd) {
      throw new DataFileError(
        shown,
        c.id,
        'cityWindow.opens',
        `overlaps call ${prev.id} (which runs until ${prevEnd})`,
      );
    }
  }
  return sorted;
}
