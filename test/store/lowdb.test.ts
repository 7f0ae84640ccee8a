import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLowdbStore, verifyStore } from '../../src/store/lowdb.ts';
import { StoreReadError, StoreWriteError } from '../../src/core/store-errors.ts';
import { fileName, keyedPaths } from '../../src/store/files.ts';
import { fileHashes } from '../helpers.ts';
import { applicationRecord, conversationRecord } from './records.ts';
import { ADDRESS_VERSION, type Address, type ApplicationInput } from '../../src/core/records.ts';

const conv = conversationRecord;
/** An application of a French city, as the form would submit it (its applicant as the store's tests give it). */
const makeApp =
  (city: string) =>
  (id: string): ApplicationInput => ({
    ...applicationRecord(city)(id),
    applicant: { key: 'local:u', platform: 'local', userId: 'u', room: 'dm:u' },
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

  const longKeys =
    'stores records whose keys are too long for a file name (a Teams id of 1,024 characters), apart from each other';
  it(longKeys, async () => {
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
    await store.addresses.put({
      version: ADDRESS_VERSION,
      key: long('c'),
      platform: 'teams',
      ref: { serviceUrl: 'http://127.0.0.1:1/' },
      updatedAt: '2025-06-01T10:00:00.000Z',
    });
    expect((await createLowdbStore(dir).addresses.get(long('c')))?.ref).toEqual({ serviceUrl: 'http://127.0.0.1:1/' });
  });

  it('keeps proactive-message addresses across a restart, replacing one on update', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-low-'));
    const store = createLowdbStore(dir);
    const address: Address = {
      version: ADDRESS_VERSION,
      key: 'teams:user:29:1',
      platform: 'teams',
      ref: { serviceUrl: 'http://127.0.0.1:1/' },
      updatedAt: '2025-06-01T10:00:00.000Z',
    };
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

  it('refuses to read a damaged record or one of a newer version, naming the field, and changes no file', async () => {
    const cases: [string, string, string][] = [
      [JSON.stringify({ ...conv('local:u3', 'Old'), version: 99 }), 'version', 'newer than this program'],
      ['{ "version": 1, "key": ', '(file)', 'not valid JSON'],
      [JSON.stringify({ ...conv('local:u3', 'Lyon'), lang: { last: 'xx' } }), 'lang.last', 'Invalid option'],
    ];
    for (const [content, field, rule] of cases) {
      const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-low-'));
      await createLowdbStore(dir).conversations.save(conv('local:u3', 'Lyon'));
      writeFileSync(fileOf(dir), content);
      const before = fileHashes(dir);
      const err = await createLowdbStore(dir)
        .conversations.get('local:u3')
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreReadError);
      const [problem] = (err as StoreReadError).problems;
      expect(problem!.file).toBe(path.relative(dir, fileOf(dir)));
      expect(problem!.field).toBe(field);
      expect(problem!.rule).toContain(rule);
      // Nothing of the content is in the problem, and nothing was moved or rewritten.
      expect(JSON.stringify(problem)).not.toContain('Old');
      expect(fileHashes(dir)).toEqual(before);
      expect(await verifyStore(dir)).toEqual([problem]);
    }
  });

  it('never writes a record that its reader would reject: the stored record stays as it was', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-low-'));
    const store = createLowdbStore(dir);
    await store.conversations.save(conv('local:u4', 'Lyon'));
    const before = fileHashes(dir);
    const bad = conv('local:u4', 'Nantes');
    bad.intake!.answers['profile.population'] = Number.NaN; // JSON writes null, which the schema refuses
    const err = await store.conversations.save(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreWriteError);
    expect((err as StoreWriteError).problem).toMatchObject({
      record: 'local:u4',
      field: 'intake.answers.profile.population',
    });
    expect(fileHashes(dir)).toEqual(before);
    expect((await store.conversations.get('local:u4'))?.intake?.answers['city.name']).toBe('Lyon');
    // A change record with a key left undefined (what a resubmission once wrote) is refused the same way.
    const app = makeApp('lyon')('GNLC-2025-FR-001');
    await store.applications.add(
      '2025',
      'FR',
      () => app,
      () => false,
    );
    const shard = fileHashes(dir);
    const refused = await store.applications
      .update('GNLC-2025-FR-001', (a) => ({
        app: { ...a, changes: [{ field: 'profile.gdpCity', before: undefined as never, after: 48000 }] },
        result: true,
      }))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StoreWriteError);
    expect((refused as StoreWriteError).problem).toMatchObject({
      file: path.join('applications', '2025', 'FR.json'),
      record: 'GNLC-2025-FR-001',
      field: 'applications.0.changes.0.before',
    });
    expect(fileHashes(dir)).toEqual(shard);
    expect((await createLowdbStore(dir).applications.get('GNLC-2025-FR-001'))?.changes).toEqual([]);
  });

  it('serializes first reads with writes of an unloaded shard: no update is lost', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-low-'));
    const first = createLowdbStore(dir);
    for (const city of ['lyon', 'nice', 'pau'])
      await first.applications.add('2025', 'FR', makeApp(city), (a) => a.cityKey === city);
    for (let round = 0; round < 20; round++) {
      // A fresh store has not read the shard yet: reads and updates race for its first load.
      const store = createLowdbStore(dir);
      const mark = (id: string) =>
        store.applications.update(id, (a) => ({
          app: { ...a, history: [...a.history, { at: `r${round}`, status: 'submitted', by: 'test' }] },
          result: true,
        }));
      // Reads keep arriving while the updates are written, some a little later than others.
      const later = (ms: number, read: () => Promise<unknown>) =>
        new Promise((resolve) => setTimeout(resolve, ms)).then(read);
      const reads = Array.from({ length: 30 }, (_, i) =>
        later(i % 4, () =>
          i % 2
            ? store.applications.get(`GNLC-2025-FR-00${(i % 3) + 1}`)
            : store.applications.listByCountry('2025', 'FR'),
        ),
      );
      await Promise.all([
        ...reads,
        mark('GNLC-2025-FR-001'),
        mark('GNLC-2025-FR-002'),
        later(1, () => mark('GNLC-2025-FR-003')),
      ]);
    }
    const apps = await createLowdbStore(dir).applications.listByCountry('2025', 'FR');
    expect(apps.map((a) => a.history.length)).toEqual([20, 20, 20]);
  });

  it('names files so that two keys never share one on a file system that ignores case', () => {
    // base64url of these two Teams ids differs only in case.
    const [a, b] = ['teams:29:01O', 'teams:29:01i'];
    expect(Buffer.from(a).toString('base64url').toLowerCase()).toBe(Buffer.from(b).toString('base64url').toLowerCase());
    expect(fileName(a).toLowerCase()).not.toBe(fileName(b).toLowerCase());
    for (const key of [a, b, 'slack:U0123ABC', `teams:29:${'x'.repeat(300)}`])
      expect(fileName(key)).toBe(fileName(key).toLowerCase());
  });

  const legacyName =
    "reads a record under the name earlier versions gave, and moves it to today's name at its next write";
  it(legacyName, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-low-'));
    const { file, legacy } = keyedPaths(dir, 'conversations', 'local:u5');
    mkdirSync(path.dirname(legacy), { recursive: true });
    writeFileSync(legacy, JSON.stringify(conv('local:u5', 'Lyon')));
    // Another key's record under that legacy name (a file system that ignores case) is not this key's.
    const { legacy: other } = keyedPaths(dir, 'conversations', 'local:u6');
    mkdirSync(path.dirname(other), { recursive: true });
    writeFileSync(other, JSON.stringify(conv('local:someone-else', 'Nice')));
    const store = createLowdbStore(dir);
    expect(await store.conversations.get('local:u6')).toBeUndefined();
    const found = await store.conversations.get('local:u5');
    expect(found?.intake?.answers['city.name']).toBe('Lyon');
    await store.conversations.save({ ...found!, lang: { last: 'es' } });
    expect(existsSync(legacy)).toBe(false);
    expect(JSON.parse(readFileSync(file, 'utf8')).lang).toEqual({ last: 'es' });
    const keys: string[] = [];
    await createLowdbStore(dir).conversations.scan((c) => keys.push(c.key));
    expect(keys.sort()).toEqual(['local:someone-else', 'local:u5']);
    await store.conversations.delete('local:u6');
    expect(existsSync(other)).toBe(true);
  });

  const cutShortAppend =
    'an audit append cut short by a crash is not a damaged line: readers skip it, the next append cuts it off';
  it(cutShortAppend, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-low-'));
    const entry = {
      at: '2025-06-01T10:00:00.000Z',
      actor: { key: 'system' },
      channel: 'system' as const,
      action: 'route',
      outcome: 'done',
    };
    await createLowdbStore(dir).audit.append(entry);
    const file = path.join(dir, 'audit', 'audit.jsonl');
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"at":"2025-06-01T10:00:01.000Z","act`);
    expect(await verifyStore(dir)).toEqual([]);
    expect(await createLowdbStore(dir).audit.list()).toHaveLength(1);
    await createLowdbStore(dir).audit.append({ ...entry, action: 'forward' });
    expect((await createLowdbStore(dir).audit.list()).map((e) => e.action)).toEqual(['route', 'forward']);
    expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
  });

  it('answers 50 health probes at once, each with its own probe file, leaving none behind', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-low-'));
    const store = createLowdbStore(dir);
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => store.health()));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(50);
    expect(readdirSync(path.join(dir, 'health'))).toEqual([]);
  });

  it('numbers applications per call and country and refuses duplicates atomically', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-low-'));
    const store = createLowdbStore(dir);
    const results = await Promise.all(
      ['lyon', 'lyon', 'nice'].map((c) => store.applications.add('2025', 'FR', makeApp(c), (a) => a.cityKey === c)),
    );
    expect(results.map((r) => [r.application.id, r.duplicate])).toEqual([
      ['GNLC-2025-FR-001', false],
      ['GNLC-2025-FR-001', true],
      ['GNLC-2025-FR-002', false],
    ]);
    expect((await createLowdbStore(dir).applications.get('GNLC-2025-FR-002'))?.cityKey).toBe('nice');
  });
});
