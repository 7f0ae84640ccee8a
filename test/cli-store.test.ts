import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLowdbStore, verifyStore } from '../src/store/lowdb.ts';
import { cli, copyToTemp, fileHashes } from './helpers.ts';
import { inRoom, world } from './endorsement-world.ts';
import { ENDORSE_ACTIONS } from '../src/core/endorsement/decisions.ts';

const FIXTURE = path.resolve(import.meta.dirname, 'fixtures/store-v1');
const SHARD = path.join('applications', '2025', 'KE.json');

/** The fixture store with Kenya's shard damaged: its second application has a status no version knows. */
function damaged(): string {
  const dir = copyToTemp(FIXTURE, 'gnlc-damaged-');
  const shard = JSON.parse(readFileSync(path.join(dir, SHARD), 'utf8'));
  shard.applications[1].status = 'approved';
  writeFileSync(path.join(dir, SHARD), JSON.stringify(shard));
  return dir;
}

describe('readers of a store holding a damaged file', () => {
  it('gnlc export and gnlc alerts --dry-run stop, name the file, record and field, and change no file', async () => {
    const dir = damaged();
    const before = fileHashes(dir);
    for (const args of [
      ['export', '--call', '2025', '--format', 'csv'],
      ['alerts', '--dry-run', '--now', '2025-06-20T08:00:00Z'],
    ]) {
      const r = await cli([...args, '--data', dir]);
      expect(r.code, args[0]).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`${SHARD}: GNLC-2025-KE-002: applications.1.status`);
      expect(r.stderr).toContain('nothing was changed');
      expect(fileHashes(dir)).toEqual(before);
    }
    // A reader never creates the data folder either.
    const missing = path.join(dir, 'not-there');
    expect((await cli(['export', '--call', '2025', '--format', 'json', '--data', missing])).code).toBe(0);
    expect(existsSync(missing)).toBe(false);
  });

  const damagedQuotaCount =
    "the quota count of a damaged shard is never read as zero: the decision fails, in the endorser's language, " +
    'and changes nothing';
  it(damagedQuotaCount, async () => {
    const dir = damaged();
    const errors: Record<string, unknown>[] = [];
    const w = world({
      dir,
      config: {
        commissions: {
          KE: { room: { channel: 'local', id: 'commission-KE' }, endorsers: [{ channel: 'local', user: 'kip' }] },
        },
      },
      error: (o) => errors.push(o),
    });
    const before = fileHashes(dir);
    const kip = inRoom('kip', 'commission-KE', 'Kip Rono');
    const [reply] = await w.core.assistant.handle({
      ...kip.press(ENDORSE_ACTIONS.endorse, 'GNLC-2025-KE-001'),
      user: { id: 'kip', locale: 'fr-FR' },
    });
    expect(reply!.lang).toBe('fr');
    expect(reply!.text).toContain(w.core.i18n.t('fr', 'common:store_unreadable'));
    expect(fileHashes(dir)).toEqual(before);
    // The log names the record and the field, not what it holds.
    expect(JSON.stringify(errors)).toContain('applications.1.status');
    expect(JSON.stringify(errors)).not.toContain('approved');
  });
});

describe('gnlc verify and gnlc repair', () => {
  const verifyThenRepair =
    'verify lists each damaged record and exits 1; repair keeps a backup, keeps what reads, and verify passes after';
  it(verifyThenRepair, async () => {
    const dir = damaged();
    const before = fileHashes(dir);
    const v = await cli(['verify', '--data', dir]);
    expect(v.code).toBe(1);
    expect(v.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^applications\/2025\/KE\.json: GNLC-2025-KE-002: applications\.1\.status: Invalid option/),
    ]);
    expect(fileHashes(dir)).toEqual(before);

    const r = await cli(['repair', '--file', SHARD, '--data', dir]);
    expect(r.code).toBe(0);
    const backup = /^backup: (.+)$/m.exec(r.stdout)![1]!;
    expect(fileHashes(dir)[backup]).toBe(before[SHARD]);
    expect(r.stdout).toContain('kept 1 record(s) in applications/2025/KE.json; taken out: GNLC-2025-KE-002');
    expect(r.stdout).toContain('no longer count towards the quota');
    expect(await verifyStore(dir)).toEqual([]);
    expect((await createLowdbStore(dir).applications.listByCountry('2025', 'KE')).map((a) => a.id)).toEqual([
      'GNLC-2025-KE-001',
    ]);
    expect((await cli(['verify', '--data', dir])).code).toBe(0);
    // A file without a problem is left alone; a path outside the store is refused.
    expect((await cli(['repair', '--file', SHARD, '--data', dir])).stdout).toContain(
      'reads without a problem; nothing was changed',
    );
    expect((await cli(['repair', '--file', '../etc/passwd', '--data', dir])).code).toBe(2);
  });

  it('repair removes a single damaged record file, keeping its backup', async () => {
    const dir = copyToTemp(FIXTURE, 'gnlc-damaged-');
    const rel = Object.keys(fileHashes(dir)).find((f) => f.startsWith('conversations'))!;
    writeFileSync(path.join(dir, rel), '{"version": 1, "key": ');
    const v = await cli(['verify', '--data', dir]);
    expect(v.stdout.trim()).toBe(`${rel}: (file): not valid JSON`);
    const r = await cli(['repair', '--file', path.join(dir, rel), '--data', dir]);
    expect(r.stdout).toContain(`removed ${rel}`);
    expect(existsSync(path.join(dir, rel))).toBe(false);
    expect(readFileSync(path.join(dir, /^backup: (.+)$/m.exec(r.stdout)![1]!), 'utf8')).toBe('{"version": 1, "key": ');
    expect(await verifyStore(dir)).toEqual([]);
  });
});
