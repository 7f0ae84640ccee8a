import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * `npm run load` and `npm run crash` at a small size, so the scripts the figures come from keep working:
 * the real server process, applicants on Slack and Teams, endorsers, askers, and two SIGKILLs.
 */
describe('the load and crash scripts', () => {
  it('a small crash run: every application on disk as typed, once; decisions and audit agree after two kills', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/load.ts',
        '--applicants',
        '10',
        '--askers',
        '2',
        '--questions',
        '2',
        '--think',
        '150',
        '--kills',
        '2',
        '--seed',
        '7',
        '--warmup',
        '2',
        '--ramp',
        '1',
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(r.stdout).toContain('PASSED');
    expect(r.stdout).toMatch(/warm-up \(not counted\): \d+ turns by 2 people/);
    expect(r.stdout).toMatch(/on disk: 10 applications \(10 equal to what was typed\), 10 decisions/);
    expect(r.stdout).toMatch(/kills 2 \(SIGKILL, then restart\), server starts 3/);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  }, 150_000);

  const twoInstances =
    'two instances on one PostgreSQL database, one killed twice while the other serves: nothing lost or duplicated';
  it(twoInstances, () => {
    const args = ['--applicants', '10', '--askers', '2', '--questions', '2', '--think', '150', '--kills', '2'];
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/load.ts',
        ...args,
        ...['--seed', '11', '--warmup', '0', '--ramp', '1', '--store', 'postgres', '--instances', '2'],
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, GNLC_TEST_DATABASE_URL: inject('postgresUrl') },
      },
    );
    expect(r.stdout).toContain('PostgreSQL (2 instance(s)');
    expect(r.stdout).toContain('PASSED');
    expect(r.stdout).toMatch(/on disk: 10 applications \(10 equal to what was typed\), 10 decisions/);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  }, 150_000);
});
