import { createMemoryStore } from '../src/store/memory.ts';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../src/core/clock.ts';
import { createCore } from '../src/core/create.ts';
import { validAnswers } from './conversation.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('a scripted endorsement through gnlc chat --json with a GNLC_CONFIG from outside the project', () => {
  const scriptedEndorsement =
    'four cities apply, the fourth endorsement is refused, a stranger is refused, and the export lists three endorsed';
  it(scriptedEndorsement, async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'gnlc-outside-'));
    const config = path.join(outside, 'gnlc.json');
    writeFileSync(
      config,
      JSON.stringify({
        coordinators: {
          room: { channel: 'local', id: 'uil-coordinators' },
          members: [{ channel: 'local', user: 'coord' }],
        },
        commissions: {
          DE: {
            name: 'German Commission for UNESCO',
            room: { channel: 'local', id: 'commission-DE' },
            endorsers: [{ channel: 'local', user: 'endorser1' }],
          },
        },
      }),
    );
    const data = path.join(outside, 'data');
    const env = { ...process.env, GNLC_CONFIG: config, GNLC_DATA_DIR: data };
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'chat', '--json', '--now', '2025-06-01T10:00:00Z'],
      { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const send = (event: object) => child.stdin!.write(`${JSON.stringify(event)}\n`);
    const seen: any[] = [];
    const until = async (done: (m: any) => boolean) => {
      for (;;) {
        const { value, done: end } = await lines.next();
        if (end) throw new Error(`output ended; last lines ${JSON.stringify(seen.slice(-5))}`);
        const m = JSON.parse(value);
        seen.push(m);
        if (done(m)) return m;
      }
    };

    const { i18n } = createCore({ clock: fixedClock(new Date('2025-06-01T10:00:00Z')), store: createMemoryStore() });
    const ids: string[] = [];
    for (const city of ['Hamburg', 'Munich', 'Leipzig', 'Bonn']) {
      const user = `mayor-${city.toLowerCase()}`;
      const dm = `dm:${user}`;
      const answers: Record<string, string> = {
        ...validAnswers('en', i18n.t),
        'city.name': city,
        'city.country': 'Germany',
      };
      send({ user, text: 'I want to apply' });
      let last = await until((m) => m.room === dm && m.expects);
      while (!last.card) {
        send({ user, text: answers[last.expects.field] });
        last = await until((m) => m.room === dm && (m.expects || m.card));
      }
      send({ user, action: { id: 'submit', value: 'submit' } });
      await until((m) => m.room === dm && m.expects?.field === 'confirm');
      send({ user, action: { id: 'confirm_yes', value: 'confirm_yes' } });
      const card = await until((m) => m.room === 'commission-DE' && m.message);
      expect(card.actions.map((a: any) => a.id)).toEqual(['endorse', 'return', 'decline']);
      ids.push(card.actions[0].value);
      const told = await until((m) => m.room === dm && /GNLC-2025-DE-\d{3}/.test(m.text));
      expect(told.text).toContain('German Commission for UNESCO');
    }
    expect(ids).toEqual(['GNLC-2025-DE-001', 'GNLC-2025-DE-002', 'GNLC-2025-DE-003', 'GNLC-2025-DE-004']);

    send({ user: 'stranger', room: 'commission-DE', action: { id: 'endorse', value: ids[0] } });
    expect((await until((m) => m.room === 'dm:stranger')).text).toContain('Only the designated endorsers');
    for (const id of ids) send({ user: 'endorser1', room: 'commission-DE', action: { id: 'endorse', value: id } });
    const refusal = await until((m) => m.room === 'dm:endorser1' && /already endorsed 3 cities/.test(m.text));
    expect(refusal.text).toContain('GNLC-2025-DE-004 was not endorsed');
    child.stdin!.end();
    await new Promise((r) => child.on('exit', r));
    expect(seen.filter((m) => m.room === 'uil-coordinators')).toHaveLength(3);
    expect(seen.filter((m) => m.room === 'commission-DE' && m.update && !m.actions).map((m) => m.update)).toHaveLength(
      3,
    );

    const exported = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'export', '--call', '2025', '--format', 'json'],
      { cwd: ROOT, env, encoding: 'utf8' },
    );
    expect(exported.status).toBe(0);
    const apps = JSON.parse(exported.stdout) as { id: string; decision: { status: string } | null }[];
    expect(apps.filter((a) => a.decision?.status === 'endorsed').map((a) => a.id)).toEqual(ids.slice(0, 3));
    const csv = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'export', '--call', '2025', '--format', 'csv'],
      { cwd: ROOT, env, encoding: 'utf8' },
    );
    expect(csv.stdout.trim().split('\n')).toHaveLength(5);
    const bad = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'export', '--call', '2025', '--format', 'xml'],
      { cwd: ROOT, env, encoding: 'utf8' },
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--format must be csv or json');
  }, 60_000);

  it('names the file, entry and field of a broken GNLC_CONFIG', () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'gnlc-outside-'));
    const config = path.join(outside, 'gnlc.json');
    writeFileSync(config, JSON.stringify({ commissions: { DE: { room: { channel: 'telegram', id: 'x' } } } }));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'export', '--call', '2025'], {
      cwd: ROOT,
      env: { ...process.env, GNLC_CONFIG: config, GNLC_DATA_DIR: outside },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /gnlc\.json: entry "commissions", field "DE\.room\.channel": must be one of "slack", "teams", "web", "local"/,
    );
  });
});
