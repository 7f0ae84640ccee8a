import { stringify } from 'csv-stringify/sync';
import type { Application, ApplicationStatus } from '../records.ts';
import { FIELDS } from '../application/form.ts';

/** The statuses in the order a lifecycle goes, for counts and columns. */
export const STATUS_ORDER: readonly ApplicationStatus[] = [
  'submitted',
  'returned',
  'endorsed',
  'forwarded',
  'declined',
];

/** Counts of applications per country and status, countries in code order. */
export function countsByCountry(apps: readonly Application[]): Map<string, Record<ApplicationStatus, number>> {
  const out = new Map<string, Record<ApplicationStatus, number>>();
  for (const a of [...apps].sort((x, y) => x.country.localeCompare(y.country))) {
    const row = out.get(a.country) ?? { submitted: 0, returned: 0, endorsed: 0, forwarded: 0, declined: 0 };
    row[a.status]++;
    out.set(a.country, row);
  }
  return out;
}

/** The columns before the answers. */
const BASE_COLUMNS = [
  'id',
  'cycle',
  'country',
  'city',
  'status',
  'revision',
  'submitted_at',
  'decision',
  'decided_by',
  'decided_at',
  'reason',
  'applicant',
];

/** One flat row per application: identity, status, the decision, then every answer by field key. */
function row(a: Application): Record<string, string | number> {
  const out: Record<string, string | number> = {
    id: a.id,
    cycle: a.cycle,
    country: a.country,
    city: String(a.answers['city.name']),
    status: a.status,
    revision: a.revision,
    submitted_at: a.submittedAt,
    decision: a.decision?.status ?? '',
    decided_by: a.decision ? (a.decision.by.name ?? a.decision.by.key) : '',
    decided_at: a.decision?.at ?? '',
    reason: a.decision?.reason ?? '',
    applicant: a.applicant.key,
  };
  for (const f of FIELDS) {
    const v = (a.answers as Record<string, unknown>)[f.key];
    out[f.key] = v === undefined || v === null ? '' : Array.isArray(v) ? v.join(';') : String(v);
  }
  return out;
}

/** All applications of a call as CSV (RFC 4180 quoting by csv-stringify), with a header line. */
export function toCsv(apps: readonly Application[]): string {
  return stringify(apps.map(row), { header: true, columns: [...BASE_COLUMNS, ...FIELDS.map((f) => f.key)] });
}

/** All applications of a call as JSON: each record with its decision and full history. */
export function toJson(apps: readonly Application[]): string {
  return `${JSON.stringify(
    apps.map((a) => ({
      id: a.id,
      cycle: a.cycle,
      country: a.country,
      city: a.answers['city.name'],
      status: a.status,
      revision: a.revision,
      submittedAt: a.submittedAt,
      decision: a.decision ?? null,
      history: a.history,
      changes: a.changes,
      applicant: a.applicant,
      lang: a.lang,
      answers: a.answers,
    })),
    null,
    2,
  )}\n`;
}
