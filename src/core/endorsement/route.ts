import { countryName } from '../application/parse.ts';
import type { RouteOutcome } from '../application/ports.ts';
import { daysUntil } from '../calls/engine.ts';
import { addressKey } from '../notifier.ts';
import type { Actor, Application, Posted } from '../records.ts';
import { decisionDeadline } from './decisions.ts';
import type { Postings } from './post.ts';
import { roomEndpoint } from './routing.ts';
import { errCode } from './post.ts';

export type { RouteOutcome } from '../application/ports.ts';

/**
 * A new or resubmitted application: posts its card to the commission's room and records where; tells the
 * coordinators when it cannot. Every attempt is audited.
 */
export async function routeApplication(post: Postings, app: Application): Promise<RouteOutcome> {
  const { routing, outbox, contact, clock, warn } = post.deps;
  const city = String(app.answers['city.name']);
  const commission = routing.commission(app.country);
  const system: Actor = { key: 'system' };
  const base = {
    actor: system,
    channel: 'system',
    action: 'route',
    application: app.id,
    cycle: app.cycle,
    country: app.country,
  } as const;
  if (!commission?.room) {
    await post.audit({ ...base, outcome: 'no_commission' });
    await post.toCoordinators(
      (l) => [
        {
          lang: l,
          text: post.deps.t(l, 'endorse:coord.no_commission', {
            id: app.id,
            city,
            country: countryName(app.country, l),
            code: app.country,
          }),
        },
      ],
      'no_commission',
    );
    return {
      outcome: 'no_commission',
      country: app.country,
      emails: [...(commission?.email ? [commission.email] : []), contact.email],
    };
  }
  const key = addressKey(roomEndpoint(commission.room));
  let posted: Posted[] | undefined;
  let code = '';
  try {
    posted = await outbox.send(key, [await post.card(app)]);
  } catch (err) {
    code = errCode(err);
  }
  await post.audit({ ...base, room: key, outcome: posted ? 'done' : code });
  if (!posted) {
    warn?.({ key, application: app.id, code }, 'could not post an application to its commission');
    await post.toCoordinators(
      (l) => [
        {
          lang: l,
          text: post.deps.t(l, 'endorse:coord.not_delivered', {
            id: app.id,
            city,
            country: countryName(app.country, l),
            commission: post.commissionName(app.country, l),
            code,
          }),
        },
      ],
      'not_delivered',
    );
    return { outcome: 'not_delivered', country: app.country };
  }
  await post.addPosts(app, posted);
  const call = post.call(app);
  const d = decisionDeadline(call);
  const deadline = d ? { date: d.date, days: daysUntil(d.date, clock.now(), call.timeZone) } : undefined;
  return { outcome: 'routed', country: app.country, ...(deadline ? { deadline } : {}), limit: call.limitPerCommission };
}
