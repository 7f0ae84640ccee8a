import { createServer, Socket, type Server } from 'node:net';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { memoryRouting } from '../../src/core/endorsement/routing.ts';
import { NO_LIMITS } from '../helpers.ts';
import { freshDatabase } from '../postgres.ts';

/**
 * A TCP relay between the bot and PostgreSQL that the test can cut and restore: the database "goes away"
 * (every connection dropped, nothing listening) and "comes back" on the same address.
 */
class Relay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

describe('the database going away and coming back', () => {
  it('fails turns with the localized "nothing is lost" message and /healthz 503, then recovers by itself', async () => {
    const db = await freshDatabase();
    closers.push(db.drop);
    const real = new URL(db.url);
    const relay = new Relay({ host: real.hostname, port: Number(real.port || 5432) });
    await relay.up();
    closers.push(() => relay.down());
    const url = new URL(db.url);
    url.port = String(relay.port);
    const app = await createApp({
      env: {
        ...NO_LIMITS,
        GNLC_DATABASE_URL: url.toString(),
        GNLC_DATABASE_STATEMENT_TIMEOUT_MS: '2000',
        GNLC_ALERTS: 'off',
      },
      log: pino({ level: 'silent' }),
      clock: fixedClock(new Date('2025-06-01T10:00:00Z')),
      routing: memoryRouting(),
    });
    closers.push(() => app.stop());
    const port = await app.server.listen(0, '127.0.0.1');
    const health = async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status;
    const t = app.core.i18n.t;
    const say = (text: string) =>
      app.core.assistant.handle({
        platform: 'local',
        user: { id: 'ada', locale: 'fr-FR' },
        room: { id: 'dm:ada', direct: true },
        text,
      });

    expect(await health()).toBe(200);
    await say('postuler');
    expect((await app.store.conversations.get('local:ada'))?.intake?.field).toBe('city.name');

    await relay.down();
    expect(await health()).toBe(503);
    const failed = await say('Lyon');
    expect(failed[0]!.text).toContain(t('fr', 'common:store_unavailable'));

    await relay.up();
    expect(await health()).toBe(200);
    await say('Lyon');
    const conv = await app.store.conversations.get('local:ada');
    expect(conv?.intake?.answers['city.name']).toBe('Lyon');
    expect(conv?.intake?.field).toBe('city.country');
  });
});
