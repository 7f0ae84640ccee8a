import type { CallScope } from './call-scope.ts';
import { announceAt, stagesBefore } from './schedule.ts';

/** The people's alerts of one call: applicants with an unfinished form, and people waiting for it to open. */
export function peopleRules({ s, call, t, apps, add }: CallScope): void {
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
}
