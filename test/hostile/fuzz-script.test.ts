import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('npm run fuzz', () => {
  // A fixed seed: the suite gives the same verdict on every run. By hand, `npm run fuzz` draws a fresh seed each
  // time (payloads never seen before), and a failure it finds is kept in regressions.test.ts.
  it('runs from a folder outside the project against a server process it starts, and passes', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'gnlc-fuzz-cwd-'));
    const child = spawn(
      process.execPath,
      [
        '--import',
        import.meta.resolve('tsx'),
        path.join(ROOT, 'scripts/fuzz.ts'),
        '--runs',
        '12',
        '--seed',
        '20261121',
      ],
      {
        cwd,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, out).toBe(0);
    expect(out).toMatch(/^fuzz: \d+ requests in [\d.]+ s against a fresh server process \(seed 20261121, --runs 12\)/m);
    // Every kind of request went out (which payload shapes a small run draws is up to the seed).
    for (const kind of [
      /^ {2}slack:(event|block_actions|command|url_verification|ssl_check)/m,
      /^ {2}slack:garbage/m,
      /^ {2}teams:(?!garbage)/m,
      /^ {2}teams:garbage/m,
      /^ {2}fault:oversized +\d+ +413/m,
      /^ {2}fault:endless +\d+ +413/m,
    ]) {
      expect(out).toMatch(kind);
    }
    expect(out).toContain('fuzz: OK');
    // Nothing left behind in the folder it ran from.
    expect(readdirSync(cwd)).toEqual([]);
    rmSync(cwd, { recursive: true, force: true });
  }, 60_000);
});
