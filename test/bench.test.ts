import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `npm run bench` in its smoke size: every section runs end to end (FAQ, cold start, intake on a lowdb store,
 * Slack and Teams side by side with their bare framework's echo, the unauthenticated flood) and prints its
 * figures. Only that it runs is checked here; the figures are `npm run bench`'s, on a quiet machine.
 */
const ROOT = path.resolve(import.meta.dirname, '..');

describe('the bench', () => {
  it('runs every section and prints its figures', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, BENCH_SMOKE: '1' },
      timeout: 240_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const figure = String.raw`p50 \d+\.\d{3} ms, p99 \d+\.\d{3} ms`;
    for (const section of [
      `FAQ answer latency over 200 questions .*: ${figure}`,
      String.raw`Cold start to first answer .*: median \d+\.\d{3} ms`,
      `empty store: +${figure}`,
      `GNLC app: +${figure}`,
      `bare Bolt echo: +${figure}`,
      `GNLC bot: +${figure}`,
      `bare botbuilder echo: +${figure}`,
      String.raw`all 401 in \d+\.\d{3} ms`,
    ])
      expect(r.stdout).toMatch(new RegExp(section));
  }, 300_000);
});
