/**
 * What a flood of unauthenticated requests costs: 40 activities of 832 kB (100,000 keys) and no token, at
 * once, to the Teams endpoint with MicrosoftAppId set, while /healthz is probed every 10 ms. Authentication
 * comes before the body is walked, so each is refused (401) in about the time its upload takes.
 */
import { SIZE } from './size.ts';
import { performance } from 'node:perf_hooks';
import { createApp } from '../src/app.ts';
import { fixedClock } from '../src/core/clock.ts';
import { memoryRouting } from '../src/core/endorsement/routing.ts';
import { createLogger } from '../src/log.ts';
import { createMemoryStore } from '../src/store/memory.ts';
import { NO_LIMITS } from '../test/helpers.ts';

export async function benchRefusals(requests = SIZE.floodRequests) {
  const { server } = await createApp({
    // The abuse limits off: the flood measures the cost of refusing unauthenticated bodies, not the 429s.
    env: {
      MicrosoftAppId: '2f8a9d1e-1111-4222-8333-444455556666',
      MicrosoftAppPassword: 'bench',
      ...NO_LIMITS,
    },
    log: createLogger('silent'),
    clock: fixedClock(new Date('2025-06-10T12:00:00Z')),
    store: createMemoryStore(),
    routing: memoryRouting(),
  });
  const base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  const channelData: Record<string, number> = {};
  for (let i = 0; i < 100_000; i++) channelData[i.toString(36)] = 0;
  const body = JSON.stringify({
    type: 'message',
    id: 'x',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    from: { id: '29:a' },
    conversation: { id: 'a:1' },
    text: 'hi',
    channelData,
  });
  let done = false;
  const health: number[] = [];
  const probe = (async () => {
    while (!done) {
      const t = performance.now();
      await fetch(`${base}/healthz`);
      health.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const t0 = performance.now();
  const statuses = await Promise.all(
    Array.from(
      { length: requests },
      async () =>
        (await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }))
          .status,
    ),
  );
  const ms = performance.now() - t0;
  done = true;
  await probe;
  await server.close();
  if (statuses.some((s) => s !== 401))
    throw new Error(`expected 401 for every request, got ${[...new Set(statuses)].join(', ')}`);
  health.sort((a, b) => a - b);
  return { requests, kb: Math.round(body.length / 1024), ms, healthMax: health.at(-1) ?? 0 };
}
