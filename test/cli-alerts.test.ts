import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTAKE_ACTIONS } from '../src/core/actions.ts';
import { createCore } from '../src/core/create.ts';
import { loadRouting } from '../src/core/endorsement/routing.ts';
import { createLowdbStore } from '../src/store/lowdb.ts';
import { Chat } from './conversation.ts';
import { handClock, submitApplication } from './endorsement-world.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Runs `gnlc alerts …` as a separate process (the installed `gnlc` command), from a folder outside the project. */
function alerts(env: NodeJS.ProcessEnv, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/gnlc.mjs'), 'alerts', ...args], {
    cwd: tmpdir(),
    env,
    encoding: 'utf8',
  });
  const lines = r.stdout.split('\n').filter(Boolean);
  return {
    status: r.status,
    stderr: r.stderr,
    stdout: r.stdout,
    lines: args.includes('--json') ? lines.map((l) => JSON.parse(l)) : lines,
  };
}

describe('gnlc alerts over a prepared data folder', () => {
  it('lists the due alerts at chosen instants, sends and records them, and lists none of them again', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'gnlc-alerts-cli-'));
    const data = path.join(outside, 'data');
    const config = path.join(outside, 'gnlc.json');
    writeFileSync(
      config,
      JSON.stringify({
        coordinators: {
          room: { channel: 'local', id: 'uil-coordinators' },
          members: [{ channel: 'local', user: 'coord' }],
          lang: 'fr',
        },
        commissions: {
          DE: { room: { channel: 'local', id: 'commission-DE' }, endorsers: [{ channel: 'local', user: 'endorser1' }] },
        },
      }),
    );
    // The data a running server would have left: an application waiting since 20 May, and a draft in Mexico City.
    // That server had no local rooms attached, so the application's card never reached the commission.
    const clock = handClock('2025-05-20T10:00:00Z');
    const core = createCore({ clock, store: createLowdbStore(data), routing: loadRouting(config, data) });
    const id = await submitApplication(core, 'bo', 'Bonn', 'DE');
    const chat = new Chat(core.assistant, 'ana', 'es-MX', 'America/Mexico_City');
    await chat.press(INTAKE_ACTIONS.start);
    await chat.say('Puebla');

    const env = { ...process.env, GNLC_DATA_DIR: data, GNLC_CONFIG: config, LOG_LEVEL: 'silent' };
    const at = '2025-06-08T16:00:00Z';
    const dry = alerts(env, '--now', at, '--dry-run', '--json');
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.lines.map((l: any) => l.key).sort()).toEqual([
      'applicant.draft.7d/2025/local:user:ana/2025-06-15',
      `commission.card/2025/local:room:commission-DE/2025-05-20/${id}@1`,
      `coord.closes.7d/2025/local:room:uil-coordinators/2025-06-15`,
      `coord.escalation/2025/local:room:uil-coordinators/2025-05-20/${id}@1`,
    ]);
    const draft = dry.lines.find((l: any) => l.rule === 'applicant.draft.7d');
    expect(draft).toMatchObject({ call: '2025', to: { channel: 'local', kind: 'user', id: 'ana' }, lang: 'en' });
    expect(draft.text).toContain('15:59'); // the last minute of 15 June in Hamburg, on a Mexico City clock
    const coord = dry.lines.find((l: any) => l.rule === 'coord.escalation');
    expect(coord.lang).toBe('fr');
    expect(coord.text).toContain('Bonn');

    // Sending records them; a second look at the same instant lists none of them.
    const sent = alerts(env, '--now', at, '--json');
    expect(sent.status, sent.stderr).toBe(0);
    expect(sent.lines.map((l: any) => l.outcome)).toEqual(['sent', 'sent', 'sent', 'sent']);
    // The card delivered late is recorded on the application, to be redrawn when the commission decides.
    const posts = (await createLowdbStore(data).applications.get(id))!.posts;
    expect(posts.map((p) => p.key)).toEqual(['local:room:commission-DE']);
    expect(alerts(env, '--now', at, '--dry-run', '--json').lines).toEqual([]);

    // A week later only the next reminders are due: the escalation is not repeated.
    const later = alerts(env, '--now', '2025-06-14T16:00:00Z', '--dry-run', '--json');
    expect(later.lines.map((l: any) => l.key).sort()).toEqual([
      'applicant.draft.1d/2025/local:user:ana/2025-06-15',
      'coord.closes.1d/2025/local:room:uil-coordinators/2025-06-15',
    ]);
    // Without --json: one readable block per alert.
    const text = alerts(env, '--now', '2025-06-14T16:00:00Z', '--dry-run');
    expect(text.lines).toContain('applicant.draft.1d/2025/local:user:ana/2025-06-15');
    expect(text.lines).toContain('coord.closes.1d/2025/local:room:uil-coordinators/2025-06-15');

    const bad = alerts(env, '--now', 'next tuesday');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--now: "next tuesday" is not an ISO date or instant');
  }, 60_000);
});
