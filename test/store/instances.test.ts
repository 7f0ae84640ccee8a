import { afterAll, describe, expect, it } from 'vitest';
import { LocalNotifier } from '../../src/channels/local/notifier.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { createCore, type Core } from '../../src/core/create.ts';
import { memoryRouting } from '../../src/core/endorsement/routing.ts';
import { INTAKE_ACTIONS } from '../../src/core/actions.ts';
import { createPostgresStore, type PostgresStore } from '../../src/store/postgres/index.ts';
import { Chat, validAnswers } from '../conversation.ts';
import { CONFIG_DE, inRoom, submitApplication, type LocalMessage } from '../endorsement-world.ts';
import { freshDatabase } from '../postgres.ts';

/**
 * Two instances of the bot (two cores, each with its own pool) on one PostgreSQL database, as two `npm start`
 * processes would be: a person's turns may arrive at either, one commission's presses at both at once.
 */
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers) await c();
});

async function twoInstances(): Promise<{ cores: [Core, Core]; stores: PostgresStore[]; messages: LocalMessage[] }> {
  const db = await freshDatabase();
  const messages: LocalMessage[] = [];
  const stores = [0, 1].map(() => createPostgresStore({ url: db.url, pool: 4 }));
  await Promise.all(stores.map((s) => s.migrate()));
  const cores = stores.map((store) => {
    const core = createCore({
      clock: fixedClock(new Date('2025-06-01T10:00:00Z')),
      store,
      routing: memoryRouting(CONFIG_DE),
    });
    const local = new LocalNotifier();
    local.attach((m) => messages.push(m));
    core.outbox.add(local);
    return core;
  }) as [Core, Core];
  closers.push(async () => {
    for (const s of stores) await s.close();
    await db.drop();
  });
  return { cores, stores, messages };
}

describe('two instances on one database', () => {
  it("keeps one person's application whole when their turns alternate between instances", async () => {
    const { cores, stores } = await twoInstances();
    const chats = cores.map((c) => new Chat(c.assistant, 'mayor-hh', 'en-GB'));
    const answers: Record<string, string> = {
      ...validAnswers('en', cores[0].i18n.t),
      'city.name': 'Hamburg',
      'city.country': 'DE',
    };
    let turn = 0;
    const next = () => chats[turn++ % 2]!;
    await next().press(INTAKE_ACTIONS.start);
    for (let i = 0; i < 60; i++) {
      const field = chats[(turn + 1) % 2]!.expecting;
      if (!field || field === 'confirm') break;
      const chat = next();
      await chat.say(answers[field] ?? '');
      if (chat.expecting === field && field === 'interests') await next().press(INTAKE_ACTIONS.done);
    }
    await next().press(INTAKE_ACTIONS.submit);
    const done = await next().press(INTAKE_ACTIONS.yes);
    const id = /GNLC-2025-DE-\d{3}/.exec(done.map((r) => r.text).join('\n'))?.[0];
    expect(id).toBeDefined();
    const stored = await stores[1]!.applications.get(id!);
    expect(stored!.answers['city.name']).toBe('Hamburg');
    expect(stored!.answers['mayor.lastName']).toBe(answers['mayor.lastName']);
    expect((await stores[0]!.conversations.get('local:mayor-hh'))!.applications).toEqual([id]);
  });

  it("handles one person's simultaneous messages to both instances one after the other", async () => {
    const { cores, stores } = await twoInstances();
    const turn = (core: Core, text: string) =>
      core.assistant.handle({ platform: 'local', user: { id: 'ada' }, room: { id: 'dm:ada', direct: true }, text });
    await turn(cores[0], 'apply');
    // Both at once: the first is the city's name; the second, handled after it, answers the country (and is
    // refused as one), not the name again: the two replies differ.
    const [a, b] = await Promise.all([turn(cores[0], 'Hamburg'), turn(cores[1], 'Hamburg')]);
    expect(a.map((r) => r.text).join('\n')).not.toBe(b.map((r) => r.text).join('\n'));
    const conv = await stores[0]!.conversations.get('local:ada');
    expect(conv!.intake!.answers['city.name']).toBe('Hamburg');
    expect(conv!.intake!.history).toEqual(['city.name']);
    expect(conv!.intake!.field).toBe('city.country');
  });

  it('holds the quota when a commission presses endorse on five applications at both instances at once', async () => {
    const { cores, stores, messages } = await twoInstances();
    const ids: string[] = [];
    for (const [i, city] of ['Hamburg', 'Munich', 'Leipzig', 'Bonn', 'Kiel'].entries())
      ids.push(await submitApplication(cores[i % 2]!, `applicant-${i}`, city));
    const presses = ids.map((id, i) =>
      cores[i % 2]!.assistant.handle(inRoom(i % 2 ? 'ben' : 'anna', 'commission-DE').press('endorse', id)),
    );
    await Promise.all(presses);
    const stored = await stores[0]!.applications.listByCountry('2025', 'DE');
    expect(stored.filter((a) => a.status !== 'submitted')).toHaveLength(3);
    const log = await stores[1]!.audit.list();
    expect(log.filter((e) => e.action === 'endorse' && e.outcome === 'done')).toHaveLength(3);
    expect(log.filter((e) => e.action === 'endorse' && e.outcome === 'quota_reached')).toHaveLength(2);
    // Each endorsed application's commission card was updated in place, whichever instance posted it.
    const updated = new Set(messages.filter((m) => m.room === 'commission-DE' && m.update).map((m) => m.id));
    for (const app of stored.filter((a) => a.status !== 'submitted')) {
      const card = app.posts.find((p) => p.key === 'local:room:commission-DE');
      expect(card && updated.has(card.id)).toBe(true);
    }
  });
});
