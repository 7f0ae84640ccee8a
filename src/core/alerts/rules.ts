import type { Application } from '../records.ts';
import { endOf, startOf } from '../calls/engine.ts';
import { decisionDeadline } from '../endorsement/decisions.ts';
import type { Call } from '../calls/schema.ts';
import type { Lang } from '../lang.ts';
import { addressKey, type Endpoint } from '../notifier.ts';
import { announceAt, localDate, mondays, stagesBefore } from './schedule.ts';

/** An application waits this long for a decision before the coordinators are alerted. */
export const ESCALATE_AFTER_MS = 14 * 24 * 3600_000;
/**
 * A submitted application whose card has not reached its commission's room (or an endorsed one that has not
 * reached the coordinators) after this long is sent again (the first attempt happens within the turn that
 * submitted or endorsed it; this leaves it time to finish).
 */
export const REDELIVER_AFTER_MS = 15 * 60_000;
/** Stands for "no end" (a call without a commission deadline). */
const NEVER = new Date(8.64e15);

/** Someone the bot talks with, as the alerts see them. */
export interface Person {
  to: Endpoint;
  lang: Lang;
  zone?: string;
  /** Their unfinished application form: the country when given, the application when it is a resubmission. */
  draft?: { country?: string; city?: string; resubmit?: string };
  /** The call whose opening they wait for: the first to open after they asked "tell me when the next call opens". */
  waitsFor?: string;
  /** They stopped alerts. */
  off: boolean;
}

/** A group of recipients that read in one language and zone. */
export interface Audience {
  to: Endpoint[];
  lang: Lang;
  zone?: string;
}

/** What the rules are computed from: the calls, who receives what, the applications and the people. */
export interface Situation {
  calls: readonly Call[];
  coordinators: Audience;
  /** The commission's room of a country, if it has one here. */
  commission(country: string): { room: Endpoint; lang: Lang; zone?: string } | undefined;
  /** The applications of a call. */
  applications(call: string): Application[];
  people: Person[];
}

/** Per country: what the digest and the deadline alerts count. */
export interface CountryCounts {
  drafts: number;
  submitted: number;
  endorsed: number;
  returned: number;
  declined: number;
  pending: number;
}

/** What an alert is about; the text is written from it when it is sent. */
export type Payload =
  | { kind: 'opens' }
  | { kind: 'closes'; drafts: number; submitted: number }
  | { kind: 'commission_deadline'; pending: Map<string, number> }
  | { kind: 'digest'; counts: Map<string, CountryCounts> }
  | { kind: 'escalation'; app: Application; since: Date }
  | { kind: 'room_deadline'; country: string; apps: Application[] }
  | { kind: 'card'; app: Application }
  | { kind: 'forward'; app: Application }
  | { kind: 'draft'; city?: string; resubmit?: string }
  | { kind: 'next_call' };

/** One alert the rules say should exist, sent when `due <= now < until` unless it already was. */
export interface Candidate {
  /** Stable: rule, call, recipient and the date it is about (plus the application for per-application rules). */
  key: string;
  rule: string;
  call: Call;
  to: Endpoint;
  lang: Lang;
  /** The zone the alert is timed and written in: the recipient's own, else the call's. */
  zone: string;
  /** True when `zone` is the recipient's own (a person whose platform told it). */
  zoneKnown: boolean;
  /** The calendar date (in the call's zone) the alert is about: a deadline, an opening, a Monday. */
  date: string;
  /** The deadline the alert counts down to, if any (YYYY-MM-DD in the call's zone). */
  deadline?: string;
  due: Date;
  until: Date;
  payload: Payload;
}

/** The key of an alert: rule, call, recipient, date, and the application for per-application rules. */
export function alertKey(rule: string, call: string, to: Endpoint, date: string, subject?: string): string {
  return [rule, call, addressKey(to), date, ...(subject ? [subject] : [])].join('/');
}

/** When the current version of an application was (re)submitted: the wait for a decision starts there. */
export function waitingSince(app: Application): Date {
  const last = [...app.history].reverse().find((h) => h.status === 'submitted');
  return new Date(last?.at ?? app.submittedAt);
}

/** The key dates of a call as instants (the decision deadline as the commissions' desk reads it). */
export function callTimes(call: Call): { opens: Date; closes: Date; decision?: { date: string; ends: Date } } {
  const decision = decisionDeadline(call);
  return {
    opens: startOf(call.cityWindow.opens, call.timeZone),
    closes: endOf(call.cityWindow.closes, call.timeZone),
    ...(decision ? { decision } : {}),
  };
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

/**
 * Every alert the situation calls for, whatever the time: each with the window in which it is due.
 * Alerts about a state (a draft, a waiting application) exist only while that state does, so an alert
 * overtaken by events simply stops being a candidate.
 */
export function candidates(s: Situation): Candidate[] {
  const out: Candidate[] = [];
  for (const call of s.calls) out.push(...forCall(s, call));
  return out;
}

function forCall(s: Situation, call: Call): Candidate[] {
  const out: Candidate[] = [];
  const t = callTimes(call);
  const apps = s.applications(call.id);
  const waiting = apps.filter((a) => a.status === 'submitted');
  const decisionEnds = t.decision?.ends ?? NEVER;
  const phaseEnd = t.decision?.ends ?? t.closes;
  const add = (c: Omit<Candidate, 'key' | 'call'>, subject?: string) =>
    out.push({ ...c, call, key: alertKey(c.rule, call.id, c.to, c.date, subject) });

  // The coordinators. What they are told is the same for each of their addresses: worked out once.
  const co = s.coordinators;
  const coZone = co.zone ?? call.timeZone;
  const closing = stagesBefore(t.closes, coZone, t.opens);
  const drafts = s.people.filter((p) => p.draft && !p.draft.resubmit).length;
  const pending = new Map<string, number>();
  for (const a of [...waiting].sort((x, y) => x.country.localeCompare(y.country)))
    pending.set(a.country, (pending.get(a.country) ?? 0) + 1);
  const counts = countByCountry(apps, s.people);
  // The opening is news for two days (after a longer downtime it gives way to the closing reminders).
  const opensAt = announceAt(t.opens, coZone);
  const opensUntil = new Date(
    Math.min(opensAt.getTime() + 2 * 24 * 3600_000, closing[0]?.due.getTime() ?? Infinity, t.closes.getTime()),
  );
  const weeks = mondays(t.opens, phaseEnd, coZone);
  for (const to of co.to) {
    const base = { to, lang: co.lang, zone: coZone, zoneKnown: co.zone !== undefined };
    add({
      ...base,
      rule: 'coord.opens',
      date: call.cityWindow.opens,
      due: opensAt,
      until: opensUntil,
      payload: { kind: 'opens' },
    });
    for (const st of closing) {
      add({
        ...base,
        rule: `coord.closes.${st.name}`,
        date: call.cityWindow.closes,
        deadline: call.cityWindow.closes,
        due: st.due,
        until: st.until,
        payload: { kind: 'closes', drafts, submitted: apps.length },
      });
    }
    if (t.decision) {
      for (const st of stagesBefore(t.decision.ends, coZone, t.opens)) {
        add({
          ...base,
          rule: `coord.commission.${st.name}`,
          date: t.decision.date,
          deadline: t.decision.date,
          due: st.due,
          until: st.until,
          payload: { kind: 'commission_deadline', pending },
        });
      }
    }
    weeks.forEach((w, i) => {
      // A digest is news for a day; one missed for longer (downtime) gives way to the next week's.
      const until = new Date(
        Math.min(weeks[i + 1]?.due.getTime() ?? Infinity, phaseEnd.getTime(), w.due.getTime() + 24 * 3600_000),
      );
      add({ ...base, rule: 'coord.digest', date: w.date, due: w.due, until, payload: { kind: 'digest', counts } });
    });
    // An endorsement whose forwarding to the coordinators failed: forwarded again.
    for (const app of apps.filter((a) => a.status === 'endorsed' && a.decision)) {
      const at = new Date(app.decision!.at);
      add(
        {
          ...base,
          rule: 'coord.forward',
          date: localDate(at, call.timeZone),
          due: new Date(at.getTime() + REDELIVER_AFTER_MS),
          until: decisionEnds,
          payload: { kind: 'forward', app },
        },
        `${app.id}@${app.revision}`,
      );
    }
    for (const app of waiting) {
      const since = waitingSince(app);
      const due = new Date(since.getTime() + ESCALATE_AFTER_MS);
      add(
        {
          ...base,
          rule: 'coord.escalation',
          date: localDate(since, call.timeZone),
          deadline: t.decision?.date,
          due,
          until: decisionEnds,
          payload: { kind: 'escalation', app, since },
        },
        `${app.id}@${app.revision}`,
      );
    }
  }

  // The commissions' rooms: their waiting applications before the commission deadline, and cards that never arrived.
  const byCountry = new Map<string, Application[]>();
  for (const a of waiting) byCountry.set(a.country, [...(byCountry.get(a.country) ?? []), a]);
  for (const [country, list] of [...byCountry].sort(([a], [b]) => a.localeCompare(b))) {
    const c = s.commission(country);
    if (!c) continue;
    const zone = c.zone ?? call.timeZone;
    const base = { to: c.room, lang: c.lang, zone, zoneKnown: c.zone !== undefined };
    if (t.decision) {
      for (const st of stagesBefore(t.decision.ends, zone, t.opens)) {
        add({
          ...base,
          rule: `commission.deadline.${st.name}`,
          date: t.decision.date,
          deadline: t.decision.date,
          due: st.due,
          until: st.until,
          payload: { kind: 'room_deadline', country, apps: list },
        });
      }
    }
    const roomKey = addressKey(c.room);
    for (const app of list.filter((a) => !a.posts.some((p) => p.key === roomKey))) {
      const since = waitingSince(app);
      add(
        {
          ...base,
          rule: 'commission.card',
          date: localDate(since, call.timeZone),
          due: new Date(since.getTime() + REDELIVER_AFTER_MS),
          until: decisionEnds,
          payload: { kind: 'card', app },
        },
        `${app.id}@${app.revision}`,
      );
    }
  }

  // Applicants with an unfinished form, and people waiting for this call to open.
  for (const p of s.people) {
    if (p.off) continue;
    const zone = p.zone ?? call.timeZone;
    const base = { to: p.to, lang: p.lang, zone, zoneKnown: p.zone !== undefined };
    if (p.draft && !p.draft.resubmit) {
      for (const st of stagesBefore(t.closes, zone, t.opens)) {
        add({
          ...base,
          rule: `applicant.draft.${st.name}`,
          date: call.cityWindow.closes,
          deadline: call.cityWindow.closes,
          due: st.due,
          until: st.until,
          payload: { kind: 'draft', city: p.draft.city },
        });
      }
    }
    const resubmit = p.draft?.resubmit;
    if (resubmit && t.decision && apps.some((a) => a.id === resubmit && a.status === 'returned')) {
      for (const st of stagesBefore(t.decision.ends, zone, t.opens)) {
        add(
          {
            ...base,
            rule: `applicant.resubmit.${st.name}`,
            date: t.decision.date,
            deadline: t.decision.date,
            due: st.due,
            until: st.until,
            payload: { kind: 'draft', city: p.draft?.city, resubmit },
          },
          resubmit,
        );
      }
    }
    if (p.waitsFor === call.id) {
      add({
        ...base,
        rule: 'subscriber.opens',
        date: call.cityWindow.opens,
        deadline: call.cityWindow.closes,
        due: announceAt(t.opens, zone),
        until: t.closes,
        payload: { kind: 'next_call' },
      });
    }
  }
  return out;
}
