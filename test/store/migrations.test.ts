import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StoreReadError } from '../../src/core/store-errors.ts';
import { keyedPaths } from '../../src/store/files.ts';
import { createLowdbStore, verifyStore } from '../../src/store/lowdb.ts';
import { APPLICATION, decode, type RecordKind } from '../../src/store/records.ts';
import { APPLICATION_VERSION, type Conversation } from '../../src/core/records.ts';
import { ENDORSE_ACTIONS } from '../../src/core/endorsement/decisions.ts';
import { inRoom, world } from '../endorsement-world.ts';
import { cli, copyToTemp, fileHashes } from '../helpers.ts';

/** The data folder written by the store at record version 1 (see its README). */
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/store-v1');
const raw = (rel: string) => JSON.parse(readFileSync(path.join(FIXTURE, rel), 'utf8'));
/** Every record file of a fixture folder (`conversations`, `addresses`, `alerts`), parsed. */
const rawRecords = (folder: string): any[] =>
  readdirSync(path.join(FIXTURE, folder)).flatMap((sub) =>
    readdirSync(path.join(FIXTURE, folder, sub)).map((f) => raw(path.join(folder, sub, f))),
  );

describe('records written by an earlier version (test/fixtures/store-v1)', () => {
  it('verify and read without a problem, migrated, losing nothing, and reading changes no file', async () => {
    const dir = copyToTemp(FIXTURE, 'gnlc-v1-');
    const before = fileHashes(dir);
    expect(await verifyStore(dir)).toEqual([]);
    const store = createLowdbStore(dir);

    // Applications: version 1 → 3; the change record without `before` (a skipped answer filled in) reads as null.
    for (const country of ['DE', 'KE']) {
      const stored = raw(`applications/2025/${country}.json`).applications as any[];
      const read = await store.applications.listByCountry('2025', country);
      expect(read.map((a) => a.id)).toEqual(stored.map((a) => a.id));
      read.forEach((app, i) => {
        const { version, changes, ...rest } = app;
        const { version: oldVersion, changes: oldChanges, ...oldRest } = stored[i];
        expect([oldVersion, version]).toEqual([1, APPLICATION_VERSION]);
        // Version 3: the pledge's date, the day of submission then, is an answer of the form.
        expect(rest).toEqual({ ...oldRest, answers: { ...oldRest.answers, 'pledge.date': oldRest.pledgeDate } });
        expect(changes).toEqual(oldChanges.map((c: any) => ({ before: null, after: null, ...c })));
      });
    }
    expect((await store.applications.get('GNLC-2025-DE-001'))!.changes).toEqual([
      { field: 'profile.gdpCity', before: null, after: 48000 },
    ]);

    // Conversations (drafts in the middle of the form and at the review), addresses and alerts, under their old names.
    for (const conv of rawRecords('conversations') as Conversation[])
      expect(await store.conversations.get(conv.key)).toEqual(conv);
    const scanned: string[] = [];
    await store.conversations.scan((c) => scanned.push(c.key));
    expect(scanned.sort()).toEqual(
      rawRecords('conversations')
        .map((c) => c.key)
        .sort(),
    );
    for (const address of rawRecords('addresses')) expect(await store.addresses.get(address.key)).toEqual(address);
    for (const alert of rawRecords('alerts')) expect(await store.alerts.get(alert.key)).toEqual(alert);
    expect(await store.alerts.claim(rawRecords('alerts')[0])).toBe(false);
    expect((await store.audit.list()).length).toBe(
      readFileSync(path.join(FIXTURE, 'audit/audit.jsonl'), 'utf8').trim().split('\n').length,
    );

    expect(fileHashes(dir)).toEqual(before);
  });

  it('are written at the current version at their next write, and the product goes on with them', async () => {
    const dir = copyToTemp(FIXTURE, 'gnlc-v1-');
    const w = world({
      dir,
      config: {
        coordinators: {
          room: { channel: 'local', id: 'coordinators' },
          members: [{ channel: 'local', user: 'coord1' }],
        },
        commissions: {
          DE: {
            name: 'German Commission for UNESCO',
            room: { channel: 'local', id: 'commission-DE' },
            endorsers: [{ channel: 'local', user: 'anna' }],
          },
        },
      },
    });
    // The resubmitted application that version 1 could no longer read is endorsed and forwarded.
    await w.core.assistant.handle(
      inRoom('anna', 'commission-DE', 'Anna Berg').press(ENDORSE_ACTIONS.endorse, 'GNLC-2025-DE-001@2'),
    );
    const shard = JSON.parse(readFileSync(path.join(dir, 'applications/2025/DE.json'), 'utf8'));
    expect(shard.applications.map((a: any) => [a.id, a.version, a.status])).toEqual([
      ['GNLC-2025-DE-001', APPLICATION_VERSION, 'forwarded'],
      ['GNLC-2025-DE-002', APPLICATION_VERSION, 'forwarded'],
    ]);
    expect(shard.applications[0].changes).toEqual([{ field: 'profile.gdpCity', before: null, after: 48000 }]);
    // The draft goes on, and moves from its old file name to today's.
    const chat = {
      platform: 'local' as const,
      user: { id: 'draft-lyon', locale: 'fr-FR' },
      room: { id: 'dm:draft-lyon', direct: true },
    };
    await w.core.assistant.handle({ ...chat, text: 'https://www.lyon.fr' });
    const { file, legacy } = keyedPaths(dir, 'conversations', 'local:draft-lyon');
    expect(JSON.parse(readFileSync(file, 'utf8')).intake.answers['city.website']).toBe('https://www.lyon.fr');
    expect(() => readFileSync(legacy)).toThrow();
    expect(await verifyStore(dir)).toEqual([]);
    // The export lists both German applications.
    const { code, stdout } = await cli(['export', '--call', '2025', '--format', 'json', '--data', dir]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).map((a: any) => a.id)).toEqual([
      'GNLC-2025-DE-001',
      'GNLC-2025-DE-002',
      'GNLC-2025-KE-001',
      'GNLC-2025-KE-002',
    ]);
  });

  it('of a newer version than this program are refused, not dropped', async () => {
    const dir = copyToTemp(FIXTURE, 'gnlc-v1-');
    const file = path.join(dir, 'applications/2025/KE.json');
    const shard = JSON.parse(readFileSync(file, 'utf8'));
    shard.applications[1].version = APPLICATION_VERSION + 1;
    writeFileSync(file, JSON.stringify(shard));
    const before = fileHashes(dir);
    const problems = await verifyStore(dir);
    expect(problems).toEqual([
      {
        file: path.join('applications', '2025', 'KE.json'),
        record: 'GNLC-2025-KE-002',
        field: 'applications.1.version',
        rule: expect.stringContaining('newer than this program'),
      },
    ]);
    await expect(createLowdbStore(dir).applications.listByCountry('2025', 'KE')).rejects.toBeInstanceOf(StoreReadError);
    expect(fileHashes(dir)).toEqual(before);
  });
});

describe('the migration mechanism', () => {
  // A kind as a later form change will make it: version 2 added a field with a default, version 3 relaxed one.
  const V3 = z.object({
    version: z.literal(3),
    key: z.string(),
    postcode: z.string().optional(),
    pledgeDate: z.string(),
  });
  const kind: RecordKind<z.infer<typeof V3>> = {
    name: 'draft',
    version: 3,
    schema: V3,
    steps: {
      1: (r) => ({ ...r, pledgeDate: '2025-06-01' }),
      2: (r) => (r.postcode === '' ? (({ postcode: _, ...rest }) => rest)(r) : r),
    },
  };

  it("runs every step from the record's version, in order, then validates", () => {
    expect(decode(kind, { version: 1, key: 'k', postcode: '' })).toEqual({
      ok: true,
      migrated: true,
      value: { version: 3, key: 'k', pledgeDate: '2025-06-01' },
    });
    expect(decode(kind, { version: 2, key: 'k', postcode: '20095', pledgeDate: '2025-07-01' })).toEqual({
      ok: true,
      migrated: true,
      value: { version: 3, key: 'k', postcode: '20095', pledgeDate: '2025-07-01' },
    });
    expect(decode(kind, { version: 3, key: 'k', pledgeDate: '2025-07-01' })).toMatchObject({
      ok: true,
      migrated: false,
    });
  });

  it('names what fails: a missing step, a newer version, no version, a field', () => {
    expect(decode({ ...kind, steps: { 2: kind.steps[2]! } }, { version: 1, key: 'k' })).toMatchObject({
      ok: false,
      field: 'version',
      rule: 'no migration of a draft from version 1',
    });
    expect(decode(kind, { version: 4, key: 'k' })).toMatchObject({
      ok: false,
      field: 'version',
      rule: expect.stringContaining('newer'),
    });
    expect(decode(kind, { key: 'k' })).toMatchObject({ ok: false, field: 'version' });
    expect(decode(kind, { version: 3, key: 7, pledgeDate: 'x' })).toMatchObject({ ok: false, field: 'key' });
  });

  it('the application steps are never dropped: version 1 records still read', () => {
    const v1 = raw('applications/2025/DE.json').applications[0];
    expect(decode(APPLICATION, v1)).toMatchObject({ ok: true, migrated: true });
  });
});
