import type { Application } from '../records.ts';
import { addressKey } from '../notifier.ts';
import type { CallScope } from './call-scope.ts';
import { localDate, stagesBefore } from './schedule.ts';
import { REDELIVER_AFTER_MS, waitingSince } from './times.ts';

/**
 * The commissions' rooms' alerts of one call: their waiting applications before the commission deadline,
 * and cards that never arrived.
 */
export function commissionRules({ s, call, t, waiting, decisionEnds, add }: CallScope): void {
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
}
