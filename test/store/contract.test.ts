import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLowdbStore } from '../../src/store/lowdb.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { createPostgresStore } from '../../src/store/postgres/index.ts';
import { StoreWriteError } from '../../src/core/store-errors.ts';
import {
  ADDRESS_VERSION,
  ALERT_VERSION,
  type AlertRecord,
  type Address,
  type Application,
  type Conversation,
  type Store,
} from '../../src/core/records.ts';
import { freshDatabase } from '../postgres.ts';
import { applicationRecord, conversationRecord } from './records.ts';

/**
 * One contract for every store: memory, the embedded lowdb store and PostgreSQL pass the same cases,
 * concurrency included. `instances()` gives two handles on one store: for PostgreSQL two stores (two
 * processes' pools) on one database, for the single-process stores the same store twice.
 */
type Maker = () => Promise<{ instances: [Store, Store]; close(): Promise<void> }>;

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

const MAKERS: Record<string, Maker> = {
  memory: async () => {
    const s = createMemoryStore();
    return { instances: [s, s], close: () => s.close() };
  },
  lowdb: async () => {
    const s = createLowdbStore(mkdtempSync(path.join(tmpdir(), 'gnlc-contract-')));
    return { instances: [s, s], close: () => s.close() };
  },
  postgres: async () => {
    const db = await freshDatabase();
    const a = createPostgresStore({ url: db.url, pool: 4 });
    const b = createPostgresStore({ url: db.url, pool: 4 });
    await Promise.all([a.migrate(), b.migrate()]); // two instances starting together: the steps run once
    return {
      instances: [a, b],
      close: async () => {
        await a.close();
        await b.close();
        await db.drop();
      },
    };
  },
};

const conversation = conversationRecord;
const application = applicationRecord;

const alert = (key: string): AlertRecord => ({
  version: ALERT_VERSION,
  key,
  rule: 'commission-deadline',
  call: '2025',
  to: 'local:room:commission-FR',
  state: 'sending',
  attempts: 1,
  claimedAt: '2025-07-01T09:00:00.000Z',
  updatedAt: '2025-07-01T09:00:00.000Z',
});

/** Endorses `id` unless three of its call and country are endorsed already (the quota rule, in miniature). */
const endorse = (store: Store, id: string) =>
  store.applications.update(id, (app, siblings) => {
    const endorsed = siblings.filter((a) => a.id !== id && a.status === 'endorsed').length;
    if (endorsed >= 3) return { result: 'quota_reached' };
    return { app: { ...app, status: 'endorsed' } as Application, result: 'done' };
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(Object.keys(MAKERS))('the %s store', (name) => {
  const open = async () => {
    const made = await MAKERS[name]!();
    cleanups.push(made.close);
    return made.instances;
  };

  it('keeps conversations: saved, read back as copies, listed, deleted', async () => {
    const [a, b] = await open();
    await a.conversations.save(conversation('local:u1'));
    await a.conversations.save(conversation('local:u2', 'Nantes'));
    const got = await b.conversations.get('local:u1');
    expect(got?.intake?.answers['city.name']).toBe('Lyon');
    got!.intake!.answers['city.name'] = 'changed';
    expect((await a.conversations.get('local:u1'))?.intake?.answers['city.name']).toBe('Lyon');
    await b.conversations.save({ ...conversation('local:u1'), lang: { last: 'ar' } });
    expect((await a.conversations.get('local:u1'))?.lang.last).toBe('ar');
    const keys: string[] = [];
    await a.conversations.scan((c) => keys.push(c.key));
    expect(keys.sort()).toEqual(['local:u1', 'local:u2']);
    await a.conversations.delete('local:u1');
    expect(await b.conversations.get('local:u1')).toBeUndefined();
    expect(await b.conversations.get('local:nobody')).toBeUndefined();
  });

  it('refuses to write a record its reader would reject, and keeps what was there', async () => {
    const [a] = await open();
    await a.conversations.save(conversation('local:u1'));
    const bad = { ...conversation('local:u1'), lang: { last: 'xx' } } as unknown as Conversation;
    await expect(a.conversations.save(bad)).rejects.toBeInstanceOf(StoreWriteError);
    expect((await a.conversations.get('local:u1'))?.lang.last).toBe('fr');
    await expect(
      a.applications.add(
        '2025',
        'FR',
        (id) => ({ ...application('Lyon')(id), pledgeDate: 7 }) as never,
        () => false,
      ),
    ).rejects.toBeInstanceOf(StoreWriteError);
    expect(await a.applications.listByCountry('2025', 'FR')).toEqual([]);
    await expect(a.audit.append({ at: 'x', action: 'x' } as never)).rejects.toBeInstanceOf(StoreWriteError);
    expect(await a.audit.list()).toEqual([]);
  });

  it('numbers applications per call and country, finds duplicates, lists them in order', async () => {
    const [a, b] = await open();
    const lyon = await a.applications.add('2025', 'FR', application('Lyon'), () => false);
    const nantes = await b.applications.add('2025', 'FR', application('Nantes'), (x) => x.cityKey === 'Nantes');
    const bonn = await a.applications.add('2025', 'DE', application('Bonn', 'DE'), () => false);
    expect([lyon.application.id, nantes.application.id, bonn.application.id]).toEqual([
      'GNLC-2025-FR-001',
      'GNLC-2025-FR-002',
      'GNLC-2025-DE-001',
    ]);
    const again = await b.applications.add('2025', 'FR', application('Lyon'), (x) => x.cityKey === 'Lyon');
    expect(again).toMatchObject({ duplicate: true, application: { id: 'GNLC-2025-FR-001' } });
    expect((await a.applications.listByCycle('2025')).map((x) => x.id)).toEqual([
      'GNLC-2025-DE-001',
      'GNLC-2025-FR-001',
      'GNLC-2025-FR-002',
    ]);
    expect((await b.applications.get('GNLC-2025-FR-002'))?.cityKey).toBe('Nantes');
    expect(await b.applications.get('GNLC-2025-FR-009')).toBeUndefined();
    expect(await a.applications.update('GNLC-2025-FR-009', () => ({ result: 1 }))).toBeUndefined();
  });

  it('gives simultaneous submissions of one country distinct numbers, and one city one application', async () => {
    const [a, b] = await open();
    const cities = Array.from({ length: 12 }, (_, i) => `City${i}`);
    const added = await Promise.all(
      [...cities, ...cities].map((city, i) =>
        (i % 2 ? a : b).applications.add('2025', 'FR', application(city), (x) => x.cityKey === city),
      ),
    );
    expect(added.filter((r) => !r.duplicate)).toHaveLength(12);
    const list = await a.applications.listByCountry('2025', 'FR');
    expect(list.map((x) => x.id)).toEqual(cities.map((_, i) => `GNLC-2025-FR-${String(i + 1).padStart(3, '0')}`));
    expect(new Set(list.map((x) => x.cityKey)).size).toBe(12);
  });

  it('holds the quota under simultaneous endorsements arriving at both instances', async () => {
    const [a, b] = await open();
    const ids: string[] = [];
    for (const city of ['A', 'B', 'C', 'D', 'E', 'F']) {
      ids.push((await a.applications.add('2025', 'FR', application(city), () => false)).application.id);
    }
    const results = await Promise.all(ids.map((id, i) => endorse(i % 2 ? a : b, id)));
    expect(results.filter((r) => r === 'done')).toHaveLength(3);
    expect(results.filter((r) => r === 'quota_reached')).toHaveLength(3);
    const endorsed = (await b.applications.listByCountry('2025', 'FR')).filter((x) => x.status === 'endorsed');
    expect(endorsed).toHaveLength(3);
  });

  it('keeps addresses and an append-only audit log in order', async () => {
    const [a, b] = await open();
    const address: Address = {
      version: ADDRESS_VERSION,
      key: 'local:room:commission-FR',
      platform: 'local',
      ref: { id: 'commission-FR' },
      updatedAt: '2025-06-01T10:00:00.000Z',
    };
    await a.addresses.put(address);
    expect(await b.addresses.get(address.key)).toEqual(address);
    await b.addresses.delete(address.key);
    expect(await a.addresses.get(address.key)).toBeUndefined();
    for (let i = 0; i < 5; i++) {
      await (i % 2 ? a : b).audit.append({
        at: `2025-06-0${i + 1}T10:00:00.000Z`,
        actor: { key: 'local:anna' },
        channel: 'local',
        action: `step${i}`,
        outcome: 'done',
      });
    }
    expect((await a.audit.list()).map((e) => e.action)).toEqual(['step0', 'step1', 'step2', 'step3', 'step4']);
  });

  it('lets one of simultaneous claims of an alert win, and keeps its later state', async () => {
    const [a, b] = await open();
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).alerts.claim(alert('k1'))));
    expect(claims.filter(Boolean)).toHaveLength(1);
    await a.alerts.put({ ...alert('k1'), state: 'sent' });
    expect((await b.alerts.get('k1'))?.state).toBe('sent');
    expect(await b.alerts.claim(alert('k1'))).toBe(false);
    expect(await b.alerts.get('k2')).toBeUndefined();
  });

  it('answers a request id once across instances, and again once its window has passed', async () => {
    const [a, b] = await open();
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).seen.claim('ev-1', 300)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await a.seen.claim('ev-2', 60_000)).toBe(true);
    await sleep(400);
    expect(await b.seen.claim('ev-1', 300)).toBe(true);
    expect(await a.seen.claim('ev-2', 60_000)).toBe(false);
  });

  it("runs one person's turns one at a time, other people's at once", async () => {
    const [a, b] = await open();
    const log: string[] = [];
    const turn = (store: Store, key: string, tag: string) =>
      store.exclusive(key, async () => {
        log.push(`${tag}+`);
        await store.conversations.get(key);
        await sleep(60);
        log.push(`${tag}-`);
      });
    const started = Date.now();
    // The single-process stores leave one person's order to the Assistant's queue: only PostgreSQL's is checked.
    await Promise.all([turn(a, 'local:u1', 'x'), turn(b, 'local:u1', 'y'), turn(b, 'local:u2', 'z')]);
    if (name === 'postgres') {
      const x = log.indexOf('x+');
      const y = log.indexOf('y+');
      const [first, second] = x < y ? ['x', 'y'] : ['y', 'x'];
      expect(log.indexOf(`${first}-`)).toBeLessThan(log.indexOf(`${second}+`));
      expect(Date.now() - started).toBeGreaterThanOrEqual(115);
    }
    expect(log).toHaveLength(6);
  });

  it('runs a named pass in one instance at a time', async () => {
    const [a, b] = await open();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = a.alone('alerts-pass', async () => {
      await gate;
      return 'ran';
    });
    await sleep(50);
    expect(await b.alone('alerts-pass', async () => 'also')).toBeUndefined();
    release();
    expect(await first).toBe('ran');
    expect(await b.alone('alerts-pass', async () => 'next')).toBe('next');
  });

  it('answers its health probe', async () => {
    const [a] = await open();
    await expect(a.health()).resolves.toBeUndefined();
  });
});
