import type { Conversation, Store } from '../records.ts';
import type { Call } from '../calls/schema.ts';
import { roomEndpoint } from '../endorsement/routing.ts';
import { languageOf } from '../lang.ts';
import type { AlertDeps } from './deps.ts';
import type { Person, Situation } from './situation.ts';
import { callTimes } from './times.ts';
import { isPlatform } from '../turn.ts';

/** The situation the rules read, loaded from the store; calls far from `from`…`to` are left out. */
export async function loadSituation(
  deps: Pick<AlertDeps, 'calls' | 'routing' | 'store'>,
  from: Date,
  to: Date,
): Promise<Situation> {
  const { routing, store } = deps;
  // A call matters from a day before its opening (subscribers, the first digest) until its endorsement phase ends.
  const calls = deps.calls.filter((c) => {
    const t = callTimes(c);
    const end = t.decision?.ends ?? t.closes;
    return to.getTime() >= t.opens.getTime() - 24 * 3600_000 && from.getTime() < end.getTime();
  });
  const apps = new Map<string, Awaited<ReturnType<Store['applications']['listByCycle']>>>();
  for (const c of calls) apps.set(c.id, await store.applications.listByCycle(c.id));
  const people: Person[] = [];
  if (calls.length)
    await store.conversations.scan((conv) => {
      const p = personOf(conv, deps.calls);
      if (p) people.push(p);
    });
  return {
    calls,
    coordinators: {
      to: routing.coordinatorEndpoints(),
      lang: routing.coordinatorsLang(),
      zone: routing.coordinatorsZone(),
    },
    commission: (country) => {
      const c = routing.commission(country);
      return c?.room
        ? { room: roomEndpoint(c.room), lang: routing.commissionLang(country), zone: c.timeZone }
        : undefined;
    },
    applications: (id) => apps.get(id) ?? [],
    people,
  };
}

/**
 * A conversation as the alerts see its person; undefined when it has nothing an alert could be about.
 * `calls` are all the calls, by opening: the one a subscriber waits for is the first to open after they
 * asked, whichever calls the current run looks at.
 */
export function personOf(conv: Conversation, calls: readonly Call[]): Person | undefined {
  const i = conv.key.indexOf(':');
  const channel = conv.key.slice(0, i);
  if (!isPlatform(channel)) return undefined;
  const asked = conv.alerts?.nextCall ? Date.parse(conv.alerts.nextCall) : undefined;
  const waitsFor = asked === undefined ? undefined : calls.find((c) => callTimes(c).opens.getTime() > asked)?.id;
  if (!conv.intake && !waitsFor) return undefined;
  const answers = conv.intake?.answers as Record<string, unknown> | undefined;
  return {
    to: { channel, kind: 'user', id: conv.key.slice(i + 1) },
    lang: languageOf(conv),
    ...(conv.timeZone ? { zone: conv.timeZone } : {}),
    ...(conv.intake
      ? {
          draft: {
            ...(typeof answers?.['city.country'] === 'string' ? { country: answers['city.country'] } : {}),
            ...(typeof answers?.['city.name'] === 'string' ? { city: answers['city.name'] } : {}),
            ...(conv.intake.resubmit ? { resubmit: conv.intake.resubmit.id } : {}),
          },
        }
      : {}),
    ...(waitsFor ? { waitsFor } : {}),
    off: conv.alerts?.off === true,
  };
}
