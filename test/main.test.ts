import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATA_DIR } from '../src/core/faq/schema.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** Starts `npm start`'s command with no terminal on stdin, on a free port; collects stderr. */
function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const log = async (pattern: RegExp): Promise<string> => {
    for (let i = 0; i < 200; i++) {
      const line = stderr.split('\n').find((l) => pattern.test(l));
      if (line) return line;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no log line matching ${pattern}; stderr:\n${stderr}`);
  };
  return { child, log, exited, stderr: () => stderr };
}

describe('npm start without a terminal', () => {
  it('serves alone, survives the end of stdin, and says the clock is simulated', async () => {
    const app = start({ GNLC_NOW: '2025-06-01' });
    expect(await app.log(/clock simulated/)).toContain('GNLC_NOW=2025-06-01');
    const { port } = JSON.parse(await app.log(/server listening/)) as { port: number };
    app.child.stdin!.end();
    await new Promise((r) => setTimeout(r, 300));
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await res.json()).toEqual({ ok: true });
    expect(app.child.exitCode).toBeNull();
  });

  it('refuses to start on a broken data file, naming file, entry and field', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-content-'));
    cpSync(DATA_DIR, dir, { recursive: true });
    const f = path.join(dir, 'faq', 'ar.json');
    const faq = JSON.parse(readFileSync(f, 'utf8'));
    faq.contact.answer = 42;
    writeFileSync(f, JSON.stringify(faq));
    const app = start({ GNLC_CONTENT_DIR: dir });
    expect(await app.exited).toBe(1);
    expect(app.stderr()).toMatch(/faq\/ar\.json: entry "contact", field "answer"/);
  });

  it('refuses a bad setting, naming the variable', async () => {
    const app = start({ GNLC_NOW: 'next tuesday' });
    expect(await app.exited).toBe(1);
    expect(app.stderr()).toContain('GNLC_NOW="next tuesday"');
  });

  it('runs the deadline alerts at start-up (catching up after downtime) and records them, so a restart sends nothing again', async () => {
    const data = mkdtempSync(path.join(tmpdir(), 'gnlc-data-'));
    const env = { GNLC_NOW: '2025-06-08T07:30:00Z', GNLC_DATA_DIR: data };
    const first = start(env);
    const run = JSON.parse(await first.log(/"msg":"alerts run"/)) as { sent: number; failed: number };
    expect(run).toMatchObject({ sent: 1, failed: 0 });
    // The demo's coordinators are the local room "coordinators"; with no terminal the message is logged.
    expect(await first.log(/message to a local room/)).toContain('"room":"coordinators"');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const again = start(env);
    await again.log(/server listening/);
    await new Promise((r) => setTimeout(r, 500));
    expect(again.stderr()).not.toMatch(/alerts run/);
  });

  it('refuses a bad alerts schedule, naming the variable', async () => {
    const app = start({ GNLC_ALERTS: 'every hour' });
    expect(await app.exited).toBe(1);
    expect(app.stderr()).toContain('GNLC_ALERTS="every hour"');
  });
});
