import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLowdbStore } from '../../src/store/lowdb.ts';
import { STORE_VERSION, type Address, type Conversation } from '../../src/store/types.ts';

const conv = (key: string, name: string): Conversation => ({
  version: STORE_VERSION,
  key,
  lang: { last: 'fr' },
  applications: [],
  updatedAt: '2025-06-01T10:00:00.000Z',
  intake: { mode: 'filling', field: 'city.country', answers: { 'city.name': name }, skipped: [], history: ['city.name'], returnToReview: false, startedAt: '2025-06-01T10:00:00.000Z' },
});

/** The file a conversation is stored in (found by listing, so the test does not re-derive the layout). */
function fileOf(dir: string): string {
  const root = path.join(dir, 'conversations');
  const sub = readdirSync(root)[0]!;
  return path.join(root, sub, readdirSync(path.join(root, sub)).find((f) => f.endsWith('.json'))!);
}

describe('embedded store (lowdb)', () => {
  it('round-trips a conversation through a fresh store on the same folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-low-'));
    await createLowdbStore(dir).conversations.save(conv('local:u1', 'Lyon'));
    const again = await createLowdbStore(dir).conversations.get('local:u1');
    expect(again?.intake?.answers['city.name']).toBe('Lyon');
  });

  it('stores records whose keys are too long for a file name (a Teams id of 1,024 characters), apart from each other', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-low-'));
    const long = (c: string) => `teams:29:${c.repeat(1024)}`;
    await createLowdbStore(dir).conversations.save(conv(long('a'), 'Lyon'));
    await createLowdbStore(dir).conversations.save(conv(long('b'), 'Nantes'));
    const store = createLowdbStore(dir);
    expect((await store.conversations.get(long('a')))?.intake?.answers['city.name']).toBe('Lyon');
    expect((await store.conversations.get(long('b')))?.intake?.answers['city.name']).toBe('Nantes');
    const keys: string[] = [];
    await store.conversations.scan((c) => keys.push(c.key));
    expect(keys.sort()).toEqual([long('a'), long('b')]);
    await store.addresses.put({ version: STORE_VERSION, key: long('c'), platform: 'teams', ref: { serviceUrl: 'http://127.0.0.1:1/' }, updatedAt: '2025-06-01T10:00:00.000Z' });
    expect((await createLowdbStore(dir).addresses.get(long('c')))?.ref).toEqual({ serviceUrl: 'http://127.0.0.1:1/' });
  });

  it('keeps proactive-message addresses across a restart, replacing one on update', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-low-'));
    const store = createLowdbStore(dir);
    const address: Address = { version: STORE_VERSION, key: 'teams:user:29:1', platform: 'teams', ref: { serviceUrl: 'http://127.0.0.1:1/' }, updatedAt: '2025-06-01T10:00:00.000Z' };
    await store.addresses.put(address);
    await store.addresses.put({ ...address, ref: { serviceUrl: 'http://127.0.0.1:2/' } });
    const again = await createLowdbStore(dir).addresses.get('teams:user:29:1');
    expect(again?.ref).toEqual({ serviceUrl: 'http://127.0.0.1:2/' });
    expect(await createLowdbStore(dir).addresses.get('teams:user:other')).toBeUndefined();
  });

  it('leaves a complete file after many concurrent writes, and no temporary file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-low-'));
    const store = createLowdbStore(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.conversations.save(conv('local:u2', `City ${i}`))));
    const file = fileOf(dir);
    expect(JSON.parse(readFileSync(file, 'utf8')).intake.answers['city.name']).toBe('City 49');
    expect(readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('drops a record of another version or a broken file deliberately, keeping it aside', async () => {
    for (const content of [JSON.stringify({ ...conv('local:u3', 'Old'), version: 0 }), '{ "version": 1, "key": ']) {
      const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-low-'));
      await createLowdbStore(dir).conversations.save(conv('local:u3', 'x'));
      const file = fileOf(dir);
      writeFileSync(file, content);
      expect(await createLowdbStore(dir).conversations.get('local:u3')).toBeUndefined();
      expect(existsSync(file)).toBe(false);
      expect(readdirSync(path.dirname(file)).some((f) => f.includes('.invalid-'))).toBe(true);
    }
  });

  it('numbers applications per call and country and refuses duplicates atomically', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-low-'));
    const store = createLowdbStore(dir);
    const make = (city: string) => (id: string) => ({
      version: STORE_VERSION as 1, id, cycle: '2025', country: 'FR', cityKey: city, status: 'submitted' as const,
      applicant: { key: 'local:u', platform: 'local' as const, userId: 'u', room: 'dm:u' }, lang: 'fr' as const,
      answers: JSON.parse(readFileSync(new URL('../fixtures/complete-answers.json', import.meta.url), 'utf8')),
      pledgeDate: '2025-06-01', mayorEndorsementConfirmed: true as const, submittedAt: '2025-06-01T10:00:00.000Z', history: [],
    });
    const results = await Promise.all(['lyon', 'lyon', 'nice'].map((c) => store.applications.add('2025', 'FR', make(c), (a) => a.cityKey === c)));
    expect(results.map((r) => [r.application.id, r.duplicate])).toEqual([
      ['GNLC-2025-FR-001', false],
      ['GNLC-2025-FR-001', true],
      ['GNLC-2025-FR-002', false],
    ]);
    expect((await createLowdbStore(dir).applications.get('GNLC-2025-FR-002'))?.cityKey).toBe('nice');
  });
});
