import type { Application } from '../records.ts';
import type { Person } from './situation.ts';

/** Per country: what the digest and the deadline alerts count. */
export interface CountryCounts {
  drafts: number;
  submitted: number;
  endorsed: number;
  returned: number;
  declined: number;
  pending: number;
}

/** Counts per country for the digest: applications by state, plus drafts that name the country. */
export function countByCountry(apps: Application[], people: Person[]): Map<string, CountryCounts> {
  const counts = new Map<string, CountryCounts>();
  const row = (cc: string) => {
    let r = counts.get(cc);
    if (!r) {
      r = { drafts: 0, submitted: 0, endorsed: 0, returned: 0, declined: 0, pending: 0 };
      counts.set(cc, r);
    }
    return r;
  };
  for (const a of apps) {
    const r = row(a.country);
    r.submitted++;
    if (a.status === 'endorsed' || a.status === 'forwarded') r.endorsed++;
    else if (a.status === 'returned') r.returned++;
    else if (a.status === 'declined') r.declined++;
    else r.pending++;
  }
  for (const p of people) if (p.draft && !p.draft.resubmit) row(p.draft.country ?? '??').drafts++;
  return new Map([...counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
