import type { CallScope } from './call-scope.ts';
import { countByCountry } from './counts.ts';
import { announceAt, localDate, mondays, stagesBefore } from './schedule.ts';
import { ESCALATE_AFTER_MS, REDELIVER_AFTER_MS, waitingSince } from './times.ts';

/**
 * The coordinators' alerts of one call: its opening, the closing reminders, the commission deadline, the
 * weekly digest, endorsements to forward again and applications waiting too long.
 */
export function coordinatorRules({ s, call, t, apps, waiting, decisionEnds, add }: CallScope): void {
  const phaseEnd = t.decision?.ends ?? t.closes;
  // What they are told is the same for each of their addresses: worked out once.
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
}
