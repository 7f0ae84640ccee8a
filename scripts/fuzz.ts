/**
 * npm run fuzz — a fault and fuzz run against the real server, from outside: `src/main.ts` in its own process,
 * started from a fresh temporary folder (nothing of the project copied), with its store there too, and only
 * Slack's Web API and Microsoft's Bot Connector faked on 127.0.0.1. It sends what neither platform would:
 * - every Slack payload shape (events, button and menu presses, the slash command, url_verification), signed,
 *   with fields removed, retyped, made huge, bombed or polluted (`__proto__`), and unsigned or badly signed;
 * - every Teams activity shape, mutated the same way;
 * - garbage to both endpoints: random and invalid UTF-8 bytes, non-JSON, JSON bombs, the wrong content type;
 * - faults: bodies over the size limit (announced or streamed without end), uploads cut halfway, bare
 *   connections, bytes that are not HTTP, unknown paths and methods; and Slack's and the connector's answers
 *   failing (5xx, 429, cut connections) while all this goes on.
 * It then checks that no answer was a 5xx, the process is alive and /healthz answers 200, a normal Slack DM
 * and Teams message are answered, and the store loads without a problem (verifyStore). The payloads come
 * from fast-check arbitraries with a fresh seed each run (printed: `--seed N` repeats a run). Exits 1 on any
 * failure. Talks to 127.0.0.1 only.
 *
 * Options: --runs N (payloads of each kind, 150) --seed N (random) --url URL (a server already running on
 * 127.0.0.1: no process started; Slack payloads signed with $SLACK_SIGNING_SECRET when set; --data DIR to
 * verify its store) --keep (keep the temporary folder).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { unescapeMrkdwn } from '../src/channels/slack/mrkdwn.ts';
import { createI18n } from '../src/i18n/index.ts';
import { verifyStore } from '../src/store/lowdb.ts';
import { describeProblem } from '../src/core/store-errors.ts';
import { asSlackText, FakeSlackApi, sign } from '../test/channels/slack/fake-slack.ts';
import { FakeConnector } from '../test/channels/teams/harness.ts';
import {
  closeConnections,
  garbageBody,
  garbageContentType,
  post,
  slackHeaders,
  slackRequest,
  teamsRequest,
  type Answer,
  type Outbound,
} from '../test/hostile/payloads.ts';
import { NO_LIMITS } from '../test/helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '150' },
    seed: { type: 'string' },
    url: { type: 'string' },
    data: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const RUNS = Number(opt.runs);
const SEED = opt.seed !== undefined ? Number(opt.seed) : Math.floor(Math.random() * 2 ** 31);
if (!Number.isInteger(RUNS) || RUNS < 1 || !Number.isInteger(SEED)) {
  process.stderr.write(
    'usage: npm run fuzz -- [--runs N] [--seed N] [--url http://127.0.0.1:PORT] [--data DIR] [--keep]\n',
  );
  process.exit(2);
}
if (opt.url && !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/?$/.test(opt.url)) {
  process.stderr.write(`fuzz: --url must be a server on 127.0.0.1 (http://127.0.0.1:PORT), not ${opt.url}\n`);
  process.exit(2);
}
/** The moment the simulated clock of the spawned server starts at (a call is open). */
const NOW = '2025-06-01T10:00:00Z';
/** Requests sent at once. */
const BATCH = 50;
const started = performance.now();
const failures: string[] = [];
const fail = (what: string) => {
  if (failures.length < 50) failures.push(what);
};

// ---------------------------------------------------------------------------------------------------------
// The outside world

const secret = opt.url ? (process.env.SLACK_SIGNING_SECRET ?? '') : randomBytes(16).toString('hex');
const slackApi = await FakeSlackApi.start('xoxb-fuzz');
const connector = await new FakeConnector().start();
const temp = opt.url ? undefined : mkdtempSync(path.join(tmpdir(), 'gnlc-fuzz-'));
const dataDir = opt.url ? opt.data : path.join(temp!, 'data');

/** The server process, its log lines (stderr), and how it ended if it did. */
let child: ChildProcess | undefined;
const logLines: string[] = [];
let exited: string | undefined;
/** Set once the run stops the server itself. */
let stopping = false;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function startServer(): Promise<string> {
  const port = await freePort();
  child = spawn(process.execPath, [path.join(ROOT, 'bin/server.mjs')], {
    cwd: temp,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      GNLC_DATA_DIR: dataDir,
      GNLC_NOW: NOW,
      SLACK_BOT_TOKEN: 'xoxb-fuzz',
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: slackApi.url,
      LOG_LEVEL: 'warn',
      GNLC_ALERTS: 'off',
      // Every fuzzed payload comes from 127.0.0.1, most as a new person: the abuse limits (tested on their own) would
      // turn them away.
      ...NO_LIMITS,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let pending = '';
  child.stderr!.on('data', (d: Buffer) => {
    pending += d;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    logLines.push(...lines);
  });
  child.once('exit', (code, signal) => (exited = `exit code ${code ?? ''}${signal ?? ''}`));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the server exited on start (${exited}): ${logLines.slice(-5).join('\n')}`);
    const status = await fetch(`${url}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return url;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the server did not answer /healthz within 30 s');
}

/** Stops the server as an operator would (SIGTERM: a graceful stop); resolves to how it ended. */
async function stopServer(): Promise<string | undefined> {
  if (!child || exited) return exited;
  stopping = true;
  const done = new Promise((r) => child!.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child!.kill('SIGKILL'), 12_000);
  await done;
  clearTimeout(timer);
  return exited;
}

// ---------------------------------------------------------------------------------------------------------
// Traffic

/** Requests sent and answers seen, by shape. */
const sent = new Map<string, number>();
const statuses = new Map<string, Map<string, number>>();
function record(shape: string, status: string): void {
  const group = shape.replace(/~$/, '').replace(/:garbage:.*/, ':garbage');
  sent.set(group, (sent.get(group) ?? 0) + 1);
  const s = statuses.get(group) ?? new Map<string, number>();
  s.set(status, (s.get(status) ?? 0) + 1);
  statuses.set(group, s);
}

/** Sends requests BATCH at a time; every answer must come, and none may be a 5xx. */
async function send(url: string, requests: Outbound[]): Promise<void> {
  for (let i = 0; i < requests.length; i += BATCH) {
    const batch = requests.slice(i, i + BATCH);
    const answers: Answer[] = await Promise.all(batch.map((r) => post(url, r.body, r.headers)));
    answers.forEach((a, j) => {
      const r = batch[j]!;
      record(r.shape, a.status ? String(a.status) : `no answer (${a.error})`);
      if (a.status === 0 || a.status >= 500)
        fail(`${r.shape}: ${a.status || a.error} ${a.body} for ${r.body.toString('utf8').slice(0, 200)}`);
    });
    if (exited) return;
  }
}

/**
 * Outbound faults: some of Slack's and the connector's answers fail (the server retries or gives up, never
 * crashes).
 */
function injectFaults(rng: () => number): void {
  for (let i = 0; i < Math.ceil(RUNS / 10); i++) {
    const method = ['chat.postMessage', 'users.info', 'chat.update', 'views.publish'][Math.floor(rng() * 4)]!;
    const r = rng();
    slackApi.failNext(
      method,
      r < 0.3
        ? 'drop'
        : r < 0.6
          ? { status: 500, body: { ok: false } }
          : r < 0.8
            ? { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } }
            : { status: 200, body: { ok: false, error: 'channel_not_found' } },
    );
    connector.failNext(rng() < 0.5 ? 500 : 429, { 'Retry-After': '1' });
  }
}

/** The errors of a Slack Web API call that injectFaults' answers (or a dropped connection) explain. */
const FAULT_ERRORS = [
  /channel_not_found/,
  /ratelimited/,
  /A rate limit was exceeded[^"]*/,
  /An HTTP protocol error occurred: statusCode = 5\d\d/,
  /socket hang up/,
  /[^"]*ECONNRESET[^"]*/,
];
const FAULT_ERROR = new RegExp(`"error":"(${FAULT_ERRORS.map((r) => r.source).join('|')})"`);

/** A Slack Web API call that failed for good because of one of injectFaults' answers (or a dropped connection). */
function explainedByFault(line: string): boolean {
  return /"msg":"Slack Web API call failed"/.test(line) && FAULT_ERROR.test(line);
}

/** One raw exchange over a socket (for what an HTTP client cannot send); resolves to the status line's code, or ''. */
function raw(url: string, bytes: Buffer, opts: { closeAfterMs?: number } = {}): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let data = '';
    const done = () => {
      socket.destroy();
      resolve(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? '');
    };
    socket.on('data', (d) => {
      data += d;
      if (/^HTTP\/1\.1 \d{3}/.test(data)) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(bytes);
    setTimeout(done, opts.closeAfterMs ?? 2_000);
  });
}

/**
 * A chunked upload that never ends by itself: the server must answer 413 while it is still coming. It sends as
 * fast as the connection takes it, and gives up after 10 s or 200 MB (a busy server may take a while to answer,
 * which is no failure as long as it answers before then).
 */
function endless(url: string): Promise<string> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(64 * 1024, ' ');
    const until = performance.now() + 10_000;
    let total = 0;
    let answered = false;
    const req = http.request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
      (res) => {
        answered = true;
        res.resume();
        req.destroy();
        resolve(String(res.statusCode));
      },
    );
    req.on('error', () => answered || resolve('no answer'));
    const pump = () => {
      while (!answered) {
        if (performance.now() > until || total > 200 * 1024 * 1024) {
          req.destroy();
          return resolve(`no answer (${Math.round(total / 1024 / 1024)} MB sent)`);
        }
        total += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

async function faults(base: string, rng: () => number): Promise<void> {
  const endpoints = slackOn ? [`${base}/slack/events`, `${base}/api/messages`] : [`${base}/api/messages`];
  const runs = Math.max(2, Math.ceil(RUNS / 15));
  const jobs: Promise<void>[] = [];
  const expect = (shape: string, got: string, ok: (s: string) => boolean) => {
    record(shape, got || 'no answer');
    if (!ok(got)) fail(`${shape}: ${got || 'no answer'}`);
  };
  for (let i = 0; i < runs; i++) {
    const url = endpoints[i % endpoints.length]!;
    const { pathname } = new URL(url);
    // A body over the limit, announced by Content-Length, then one streamed without end.
    jobs.push(
      post(url, Buffer.alloc(1024 * 1024 + 1 + Math.floor(rng() * 1024 * 1024), ' '), {
        'content-type': 'application/json',
      }).then((a) => expect('fault:oversized', String(a.status), (s) => s === '413')),
    );
    jobs.push(endless(url).then((s) => expect('fault:endless', s, (x) => x === '413')));
    // An upload cut halfway, bare connections, bytes that are not HTTP: no answer needed, the server must live on.
    jobs.push(
      raw(
        url,
        Buffer.from(
          `POST ${pathname} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
            'Content-Length: 5000\r\n\r\n{"type":"mess',
        ),
        { closeAfterMs: 200 },
      ).then((s) => expect('fault:cut-upload', s, (x) => x === '')),
    );
    jobs.push(
      raw(url, Buffer.from(`POST ${pathname} HTTP/1.1\r\nHost: x\r\n`), { closeAfterMs: 200 }).then((s) =>
        expect('fault:half-headers', s, (x) => x === ''),
      ),
    );
    jobs.push(
      raw(url, randomBytes(64 + Math.floor(rng() * 512))).then((s) =>
        expect('fault:not-http', s, (x) => x === '' || x.startsWith('4')),
      ),
    );
    jobs.push(
      raw(
        url,
        Buffer.from(
          `POST ${pathname} HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
        ),
      ).then((s) => expect('fault:smuggling', s, (x) => x === '' || x.startsWith('4'))),
    );
    // Unknown paths and methods.
    jobs.push(
      post(
        `${base}/${['slack/event', 'api/message', 'healthz', '..%2f..%2fetc/passwd', 'slack/events/'][i % 5]}`,
        Buffer.from('{}'),
        {},
      ).then((a) => expect('fault:unknown-path', String(a.status), (s) => s.startsWith('4'))),
    );
    jobs.push(
      fetch(url, { method: ['GET', 'PUT', 'DELETE', 'PATCH'][i % 4] }).then(
        (r) => expect('fault:wrong-method', String(r.status), (s) => s.startsWith('4')),
        (e: Error) => expect('fault:wrong-method', `error ${e.message}`, () => false),
      ),
    );
  }
  await Promise.all(jobs);
}

// ---------------------------------------------------------------------------------------------------------
// Checks after the storm

const t = createI18n().t;
const helpText = t('en', 'common:help').slice(0, 60);

async function normalTraffic(base: string): Promise<void> {
  slackApi.clearFailures();
  connector.clearFailures();
  // A Slack DM from someone new: answered with the help text (when the secret is known).
  if (secret && slackOn) {
    const user = `UFUZZNORMAL${SEED % 1000}`;
    const body = JSON.stringify({
      token: 'unused',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: `EvNormal${SEED}`,
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'message',
        channel_type: 'im',
        channel: `D${user.slice(1)}`,
        user,
        text: asSlackText('help'),
        ts: `${Date.now() / 1000}`,
      },
    });
    const ts = Math.floor(Date.now() / 1000);
    const from = slackApi.calls.length;
    const a = await post(`${base}/slack/events`, Buffer.from(body), {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': sign(secret, ts, body),
    });
    if (a.status !== 200) fail(`a normal Slack DM was answered ${a.status} ${a.body}`);
    else if (!opt.url) {
      const until = Date.now() + 10_000;
      const answered = () =>
        slackApi.calls
          .slice(from)
          .some(
            (c) =>
              c.method === 'chat.postMessage' &&
              String(c.args.channel) === `D${user.slice(1)}` &&
              unescapeMrkdwn(String(c.args.text)).includes(helpText),
          );
      while (!answered() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      if (!answered()) fail('a normal Slack DM got no answer with the help text');
    }
  }
  // A Teams message from someone new: answered with the help text.
  const before = connector.calls.length;
  const activity = {
    type: 'message',
    id: `normal-${SEED}`,
    channelId: 'msteams',
    serviceUrl: connector.url,
    text: 'help',
    locale: 'en-US',
    timestamp: new Date().toISOString(),
    from: { id: `29:fuzz-normal-${SEED}`, name: 'Norma' },
    recipient: { id: '28:gnlc-bot', name: 'GNLC' },
    conversation: { id: `a:fuzz-normal-${SEED}`, conversationType: 'personal' },
  };
  const a = await post(`${base}/api/messages`, Buffer.from(JSON.stringify(activity)), {
    'content-type': 'application/json',
  });
  if (a.status !== 200) fail(`a normal Teams message was answered ${a.status} ${a.body}`);
  else if (!connector.calls.slice(before).some((c) => String(c.activity?.text ?? '').includes(helpText)))
    fail('a normal Teams message got no answer with the help text');
}

// ---------------------------------------------------------------------------------------------------------

let base = '';
let ok = false;
let slackOn = true;
try {
  base = opt.url ? opt.url.replace(/\/$/, '') : await startServer();
  // A server without Slack settings has no /slack/events (404): its Slack traffic is left out.
  slackOn =
    !opt.url ||
    (await post(`${base}/slack/events`, Buffer.from('{}'), { 'content-type': 'application/json' })).status !== 404;
  const responseBase = slackApi.url.replace(/api\/$/, 'respond/');
  const now = () => Math.floor(Date.now() / 1000);
  const sample = <T>(arb: fc.Arbitrary<T>, offset: number) => fc.sample(arb, { numRuns: RUNS, seed: SEED + offset });
  const slackGarbage = fc.tuple(garbageBody, garbageContentType, fc.constantFrom('valid', 'none', 'wrong')).map(
    ([[shape, body], type, signing]): Outbound => ({
      shape: `slack:garbage:${shape}`,
      body,
      headers: slackHeaders(secret, body, type, secret ? signing : 'none', now()),
      strings: new Set(),
    }),
  );
  const teamsGarbage = fc.tuple(garbageBody, garbageContentType).map(
    ([[shape, body], type]): Outbound => ({
      shape: `teams:garbage:${shape}`,
      body,
      headers: type ? { 'content-type': type } : {},
      strings: new Set(),
    }),
  );
  // Without the secret every Slack payload goes unsigned (and must be refused with 401).
  const unsignedIfNoSecret = (r: Outbound): Outbound =>
    secret ? r : { ...r, headers: slackHeaders('', r.body, r.headers['content-type']!, 'none', now()) };
  let state = SEED;
  const rng = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  injectFaults(rng);
  await Promise.all([
    (async () => {
      if (!slackOn) return;
      await send(
        `${base}/slack/events`,
        sample(slackRequest({ secret, responseBase }, now), 1).map(unsignedIfNoSecret),
      );
      await send(`${base}/slack/events`, sample(slackGarbage, 2));
    })(),
    (async () => {
      await send(`${base}/api/messages`, sample(teamsRequest(connector.url), 3));
      await send(`${base}/api/messages`, sample(teamsGarbage, 4));
    })(),
    faults(base, rng),
  ]);
  // Replies still being posted (retries after the injected faults) finish before the checks.
  await new Promise((r) => setTimeout(r, 500));
  if (exited) fail(`the server process died (${exited})`);
  else {
    const health = await fetch(`${base}/healthz`).then(
      (r) => r.status,
      (e: Error) => `error ${e.message}`,
    );
    if (health !== 200) fail(`/healthz answered ${health}`);
    await normalTraffic(base);
  }
  if (!opt.url) {
    // The turns under way finish and the process exits 0 (it exits 1 when that takes more than 10 s).
    const end = await stopServer();
    if (end !== 'exit code 0') fail(`the graceful stop ended with ${end}`);
  }
  // An error in the server's log is a failure unless an injected fault of the fake Slack API explains it.
  for (const l of logLines.filter((x) => /"level":(50|60)/.test(x) && !explainedByFault(x)))
    fail(`the server logged an error: ${l.slice(0, 400)}`);
  if (dataDir) {
    const problems = await verifyStore(dataDir);
    for (const p of problems) fail(`store: ${describeProblem(p)}`);
  }
  ok = failures.length === 0;
} catch (err) {
  fail(`fuzz run failed: ${(err as Error).stack ?? err}`);
} finally {
  await stopServer();
  closeConnections();
  await slackApi.close();
  await connector.close();
}

// ---------------------------------------------------------------------------------------------------------
// Summary

const total = [...sent.values()].reduce((a, b) => a + b, 0);
const out: string[] = [];
out.push(
  `fuzz: ${total} requests in ${((performance.now() - started) / 1000).toFixed(1)} s ` +
    `against ${opt.url ?? 'a fresh server process'} (seed ${SEED}, --runs ${RUNS})`,
);
if (!slackOn) out.push('  (no Slack endpoint on that server: Slack traffic left out)');
else if (!secret) out.push('  (SLACK_SIGNING_SECRET not set: Slack payloads sent unsigned)');
const width = Math.max(...[...sent.keys()].map((k) => k.length));
for (const shape of [...sent.keys()].sort()) {
  const s = [...statuses.get(shape)!]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');
  out.push(`  ${shape.padEnd(width)}  ${String(sent.get(shape)).padStart(4)}  ${s}`);
}
const serious = logLines.filter((l) => /"level":(50|60)/.test(l));
out.push(
  `server log: ${logLines.length} lines at warn or above, ${serious.length} at error or above` +
    (exited ? `; the process ${stopping ? 'stopped on SIGTERM' : 'died'}: ${exited}` : ''),
);
const byMessage = new Map<string, number>();
for (const l of logLines) {
  const m = /"level":(\d+).*"msg":"([^"]*)"/.exec(l);
  const k = m ? `${m[1] === '40' ? 'warn' : m[1] === '50' ? 'error' : 'fatal'}: ${m[2]!.slice(0, 90)}` : l.slice(0, 90);
  byMessage.set(k, (byMessage.get(k) ?? 0) + 1);
}
for (const [k, v] of [...byMessage].sort((a, b) => b[1] - a[1]).slice(0, 8))
  out.push(`  ${String(v).padStart(4)}  ${k}`);
if (dataDir) out.push(`store: ${dataDir} verified${temp && !opt.keep ? ' (removed)' : ''}`);
if (ok) out.push('fuzz: OK — no 5xx, the server lived, normal messages were answered, the store loads');
else {
  out.push(`fuzz: FAILED (${failures.length}); repeat with: npm run fuzz -- --seed ${SEED} --runs ${RUNS}`);
  for (const f of failures) out.push(`  - ${f.slice(0, 600)}`);
  for (const l of serious.slice(-5)) out.push(`  log: ${l.slice(0, 600)}`);
}
process.stdout.write(`${out.join('\n')}\n`);
if (temp && !opt.keep) rmSync(temp, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
