import { afterAll, describe, expect, it } from 'vitest';
import { LocalNotifier } from '../../src/channels/local/notifier.ts';
import { createCore, type Core } from '../../src/core/create.ts';
import { memoryRouting } from '../../src/core/endorsement/routing.ts';
import { NotifyError } from '../../src/core/notifier.ts';
import type { Store } from '../../src/core/records.ts';
import { createPostgresStore } from '../../src/store/postgres/index.ts';
import { CONFIG_DE, handClock, inRoom, submitApplication, type LocalMessage } from '../endorsement-world.ts';
import { freshDatabase } from '../postgres.ts';

/**
 * The outbox of the PostgreSQL store: the applicant's notice of a decision is written in the transaction of
 * the decision and delivered at least once: right after the commit, or by a later delivery pass (of any
 * instance) when the process stopped in between or the platform failed.
 */
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers) await c();
});

/** An instance: a core on its own pool; `wrap` changes its store (a crash after commit, a failing platform). */
async function instance(url: string, clock: ReturnType<typeof handClock>, wrap: (s: Store) => Store = (s) => s) {
  const store = createPostgresStore({ url, pool: 4 });
  await store.migrate();
  closers.push(() => store.close());
  const core: Core = createCore({ clock, store: wrap(store), routing: memoryRouting(CONFIG_DE) });
  const messages: LocalMessage[] = [];
  const local = new LocalNotifier();
  local.attach((m) => messages.push(m));
  core.outbox.add(local);
  return { core, store, messages };
}

const toApplicant = (messages: LocalMessage[]) => messages.filter((m) => m.room === 'dm:mayor-hh' && !m.update);

describe('the outbox', () => {
  it("delivers the applicant's notice once, after the decision commits", async () => {
    const db = await freshDatabase();
    closers.push(db.drop);
    const clock = handClock('2025-06-01T10:00:00Z');
    const a = await instance(db.url, clock);
    const id = await submitApplication(a.core, 'mayor-hh', 'Hamburg');
    const before = toApplicant(a.messages).length;
    await a.core.assistant.handle(inRoom('anna', 'commission-DE').press('endorse', id));
    const notices = toApplicant(a.messages).slice(before);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.reply.text).toContain(id);
    const rows = await a.store.db.query("SELECT record->>'state' AS state FROM outbox");
    expect(rows.rows).toEqual([{ state: 'sent' }]);
    clock.set('2025-06-01T12:00:00Z');
    expect(await a.core.assistant.deliveries.run()).toBe(0);
  });

  it('delivers it from another instance when the first stopped between the commit and the delivery', async () => {
    const db = await freshDatabase();
    closers.push(db.drop);
    const clock = handClock('2025-06-01T10:00:00Z');
    // The first instance "dies" right after each commit: what it was to do next never runs.
    const a = await instance(db.url, clock, (s) => ({ ...s, afterCommit: () => undefined }));
    const b = await instance(db.url, clock);
    const id = await submitApplication(a.core, 'mayor-hh', 'Hamburg');
    const before = toApplicant(a.messages).length;
    await a.core.assistant.handle(inRoom('anna', 'commission-DE').press('endorse', id));
    expect(toApplicant(a.messages).slice(before)).toEqual([]);
    expect((await a.store.applications.get(id))!.status).not.toBe('submitted');
    // Not yet due: a message is first left to its own delivery.
    expect(await b.core.assistant.deliveries.run()).toBe(0);
    clock.set('2025-06-01T10:01:00Z');
    const [first, second] = await Promise.all([b.core.assistant.deliveries.run(), b.core.assistant.deliveries.run()]);
    expect(first! + second!).toBe(1);
    expect(toApplicant(b.messages)).toHaveLength(1);
    expect(toApplicant(b.messages)[0]!.reply.text).toContain(id);
    expect(await b.core.assistant.deliveries.run()).toBe(0);
  });

  it('tries again with a back-off while the platform fails, then delivers', async () => {
    const db = await freshDatabase();
    closers.push(db.drop);
    const clock = handClock('2025-06-01T10:00:00Z');
    const a = await instance(db.url, clock);
    const id = await submitApplication(a.core, 'mayor-hh', 'Hamburg');
    let down = true;
    const local = new LocalNotifier();
    const sent: LocalMessage[] = [];
    local.attach((m) => sent.push(m));
    a.core.outbox.add({
      platform: 'local',
      send: (key, replies) =>
        down && key === 'local:user:mayor-hh'
          ? Promise.reject(new NotifyError('not_reachable', 'down'))
          : local.send(key, replies),
      update: (p, r) => local.update(p, r),
    });
    await a.core.assistant.handle(inRoom('anna', 'commission-DE').press('endorse', id));
    const row = await a.store.db.query("SELECT record->>'state' AS s, record->>'attempts' AS n FROM outbox");
    expect(row.rows).toEqual([{ s: 'pending', n: '1' }]);
    clock.set('2025-06-01T10:00:20Z');
    expect(await a.core.assistant.deliveries.run()).toBe(0); // before its back-off
    down = false;
    clock.set('2025-06-01T10:01:00Z');
    expect(await a.core.assistant.deliveries.run()).toBe(1);
    expect(sent.filter((m) => m.room === 'dm:mayor-hh')).toHaveLength(1);
  });
});
