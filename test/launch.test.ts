import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isBuilt } from '../bin/launch.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('the launcher runs the built program only while it is current', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gnlc-launch-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
  const src = path.join(root, 'src');
  mkdirSync(path.join(src, 'core'), { recursive: true });
  const file = (p: string, s: number) => {
    writeFileSync(path.join(src, p), 'x');
    utimesSync(path.join(src, p), at(s), at(s));
  };
  const dirs = (s: number) => {
    utimesSync(path.join(src, 'core'), at(s), at(s));
    utimesSync(src, at(s), at(s));
  };

  it('without a build, never; after one, yes; after a source changes, no longer', () => {
    file('core/a.ts', 1);
    file('core/b.ts', 1);
    dirs(1);
    expect(isBuilt(root)).toBe(false);
    mkdirSync(path.join(root, 'dist'));
    writeFileSync(path.join(root, 'dist', '.built'), '');
    utimesSync(path.join(root, 'dist', '.built'), at(5), at(5));
    expect(isBuilt(root)).toBe(true);
    file('core/a.ts', 9);
    expect(isBuilt(root)).toBe(false);
  });

  it('a source deleted since the build makes it stale too (its folder changed)', () => {
    utimesSync(path.join(root, 'dist', '.built'), at(20), at(20));
    expect(isBuilt(root)).toBe(true);
    rmSync(path.join(src, 'core', 'b.ts'));
    expect(isBuilt(root)).toBe(false);
  });
});

describe('the built program', () => {
  const out = `.build-test-${process.pid}`;
  afterAll(() => rmSync(path.join(ROOT, out), { recursive: true, force: true }));

  it('answers as the sources do, finding data and locales from dist/', { timeout: 60_000 }, () => {
    const b = spawnSync(process.execPath, ['scripts/build.mjs', '--out', out], { cwd: ROOT, encoding: 'utf8' });
    expect(b.status, b.stderr).toBe(0);
    const ask = ['ask', '--json', '--now', '2025-06-10'];
    const input = `${JSON.stringify({ id: '1', text: 'Qui peut postuler ?' })}\n`;
    const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', input });
    const built = run([path.join(out, 'cli.js'), ...ask]);
    const sources = run(['--import', 'tsx', 'src/cli.ts', ...ask]);
    expect(built.status, built.stderr).toBe(0);
    expect(sources.status, sources.stderr).toBe(0);
    const answer = JSON.parse(built.stdout);
    expect(answer.faqId).toBe('eligibility');
    expect(answer.lang).toBe('fr');
    expect(built.stdout).toBe(sources.stdout);
  });

  it('refuses to build outside the project top (paths to data/ would be wrong)', () => {
    const b = spawnSync(process.execPath, ['scripts/build.mjs', '--out', 'dist/inner'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(b.status).not.toBe(0);
    expect(b.stderr).toMatch(/not a folder at the project's top/);
  });
});
