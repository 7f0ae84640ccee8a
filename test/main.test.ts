import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATA_DIR } from '../src/core/faq/schema.ts';
import { createLowdbStore } from '../src/store/lowdb.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** Starts `npm start`'s command (bin/server.mjs) with no terminal on stdin, on a free port; collects stderr. */
function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['bin/server.mjs'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const log = async (pattern: RegExp): Promise<string> => {
    // Up to 30 s: a start-up on a busy 2-core machine (the suite's other files run meanwhile) can take 10.
    for (let i = 0; i < 600; i++) {
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

  const alertsAtStartUp =
    'runs the deadline alerts at start-up (catching up after downtime) and records them, ' +
    'so a restart sends nothing again';
  it(alertsAtStartUp, async () => {
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

  it('creates its data folder for the owner only, and /healthz checks the store can be written', async () => {
    const data = path.join(mkdtempSync(path.join(tmpdir(), 'gnlc-health-')), 'data');
    const app = start({ GNLC_DATA_DIR: data });
    const { port } = JSON.parse(await app.log(/server listening/)) as { port: number };
    expect(statSync(data).mode & 0o777).toBe(0o700);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect([ok.status, await ok.json()]).toEqual([200, { ok: true }]);
    // The store's probe folder replaced by a file: writing fails, and the health check says so.
    rmSync(path.join(data, 'health'), { recursive: true, force: true });
    writeFileSync(path.join(data, 'health'), 'not a folder');
    const bad = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect([bad.status, await bad.json()]).toEqual([503, { ok: false, error: 'store_unavailable' }]);
  });

  const earlierRecordVersion =
    'starts on a store written by the earlier record version, and answers 50 health probes at once with 200';
  it(earlierRecordVersion, async () => {
    const data = mkdtempSync(path.join(tmpdir(), 'gnlc-v1-'));
    cpSync(path.join(ROOT, 'test/fixtures/store-v1'), data, { recursive: true });
    const app = start({ GNLC_DATA_DIR: data });
    const { port } = JSON.parse(await app.log(/server listening/)) as { port: number };
    const probes = await Promise.all(
      Array.from({ length: 50 }, () => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status)),
    );
    expect(probes).toEqual(Array(50).fill(200));
  });

  it('refuses to start on a damaged store record, naming it, and leaves it as it was', async () => {
    const data = mkdtempSync(path.join(tmpdir(), 'gnlc-damaged-'));
    mkdirSync(path.join(data, 'applications', '2025'), { recursive: true });
    const file = path.join(data, 'applications', '2025', 'DE.json');
    writeFileSync(file, '{"version":1,"applications":[{"id":"GNLC-2025-DE-001"');
    const app = start({ GNLC_DATA_DIR: data });
    expect(await app.exited).toBe(1);
    expect(app.stderr()).toContain('has 1 damaged record(s); nothing was changed');
    expect(app.stderr()).toContain('applications/2025/DE.json: (file): not valid JSON');
    expect(app.stderr()).toContain(path.join('applications', '2025', 'DE.json'));
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"applications":[{"id":"GNLC-2025-DE-001"');
  });

  it('on SIGTERM finishes the turn under way (its answer sent, its state saved) before exiting', async () => {
    // A Bot Connector that takes its time to accept the bot's answer.
    const posted: any[] = [];
    const connector = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () =>
        setTimeout(() => {
          posted.push(JSON.parse(body || '{}'));
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `a${posted.length}` }));
        }, 600),
      );
    });
    await new Promise<void>((r) => connector.listen(0, '127.0.0.1', () => r()));
    const serviceUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`;
    const data = mkdtempSync(path.join(tmpdir(), 'gnlc-term-'));
    const app = start({ GNLC_DATA_DIR: data, GNLC_NOW: '2025-06-01' });
    const { port } = JSON.parse(await app.log(/server listening/)) as { port: number };
    const activity = {
      type: 'message',
      id: 'm1',
      text: 'I want to apply',
      serviceUrl,
      channelId: 'msteams',
      locale: 'en-GB',
      from: { id: '29:user', aadObjectId: 'aad-user', name: 'Ana' },
      recipient: { id: '28:bot' },
      conversation: { id: 'a:conv1', conversationType: 'personal' },
    };
    const answer = fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    await new Promise((r) => setTimeout(r, 250));
    app.child.kill('SIGTERM');
    expect((await answer).status).toBe(200);
    expect(await app.exited).toBe(0);
    connector.close();
    expect(posted.length).toBeGreaterThan(0);
    expect(app.stderr()).toMatch(/"msg":"stopped"/);
    const store = createLowdbStore(data);
    const conv = await store.conversations.get('teams:aad-user');
    expect(conv?.intake?.field).toBe('city.name');
  });
});
