/**
 * The hostile-request table: one row per attack an outside run found, each sent through the real server on
 * 127.0.0.1 (HttpServer, the real Teams endpoint with botbuilder's CloudAdapter, the real Slack channel with
 * Bolt), with only Microsoft's and Slack's servers faked: a Bot Connector, Slack's Web API, and Microsoft's key
 * endpoint (OpenID metadata and keys) with a key pair made here. Each row states the status it must get; and
 * for every row: no outbound call to an address that is neither loopback nor allowed, no change in the store
 * unless the row says so, and a refusal is one warn line with its reason code and no stack trace or key.
 */
import { createHmac, generateKeyPairSync, sign as rsaSign, type KeyObject } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import type { SlackChannel } from '../../src/channels/slack/app.ts';
import { INTAKE_ACTIONS } from '../../src/core/actions.ts';
import { fixedClock } from '../../src/core/clock.ts';
import type { Core } from '../../src/core/create.ts';
import { Routing, RoutingSchema } from '../../src/core/endorsement/routing.ts';
import { createLowdbStore } from '../../src/store/lowdb.ts';
import type { Store } from '../../src/core/records.ts';
import { FakeSlackApi, sign, SlackDriver } from '../channels/slack/fake-slack.ts';
import { FakeConnector } from '../channels/teams/harness.ts';
import { answerAll, Chat, validAnswers } from '../conversation.ts';
import { changedFiles, snapshot } from './hostile.ts';

const APP_ID = '2f8a9d1e-1111-4222-8333-444455556666';
const SECRET = 'attack-signing-secret';
const ENDORSER = '00000000-0000-4000-8000-00000000e001';
const CONTACT_ENDORSER = '00000000-0000-4000-8000-00000000e002';
const ROOM_KE = '19:commission-ke@thread.tacv2';
/** An address that is not this machine (TEST-NET-1: nothing answers there). */
const ELSEWHERE = 'http://192.0.2.10/';

// ---------------------------------------------------------------------------------------- outbound calls
/** Every host the process called over HTTP (node:http and fetch), while the tests run. */
const outbound: string[] = [];
const onHttp = (m: unknown) => {
  const req = (m as { request: http.ClientRequest }).request;
  outbound.push(`${req.host}`);
};
const onFetch = (m: unknown) => {
  const r = (m as { request: { origin: string } }).request;
  outbound.push(new URL(r.origin).hostname);
};
diagnostics.subscribe('http.client.request.start', onHttp);
diagnostics.subscribe('undici:request:create', onFetch);
const notLocal = () => outbound.filter((h) => !['127.0.0.1', 'localhost', '::1', '[::1]'].includes(h));

// --------------------------------------------------------------------------------------------- the logs
/** The server's log lines (JSON), and what reached stderr (botbuilder prints there itself). */
const lines: Record<string, unknown>[] = [];
const log = pino(
  { level: 'info' },
  new Writable({
    write(chunk, _e, done) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
      done();
    },
  }),
);
const stderr: string[] = [];
const writeErr = process.stderr.write.bind(process.stderr);

// ----------------------------------------------------------------------------- Microsoft's key endpoint
const KID = 'attack-key-1';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const b64 = (x: unknown) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');

/** A token as the Bot Framework issues it (RS256 with the published key), with claims changed at will. */
function token(
  claims: Record<string, unknown>,
  opts: { key?: KeyObject; alg?: string; kid?: string; hmacWith?: string } = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: opts.alg ?? 'RS256', typ: 'JWT', kid: opts.kid ?? KID });
  const body = b64({ iss: 'https://api.botframework.com', aud: APP_ID, nbf: now - 60, exp: now + 3600, ...claims });
  if (opts.alg === 'none') return `${head}.${body}.`;
  if (opts.hmacWith) {
    return `${head}.${body}.${createHmac('sha256', opts.hmacWith).update(`${head}.${body}`).digest('base64url')}`;
  }
  const signature = rsaSign('sha256', Buffer.from(`${head}.${body}`), opts.key ?? privateKey).toString('base64url');
  return `${head}.${body}.${signature}`;
}

async function keyEndpoint(): Promise<{ url: string; close(): Promise<void> }> {
  const jwk = publicKey.export({ format: 'jwk' });
  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/openid')
      return res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys` }));
    if (req.url === '/keys')
      return res.end(
        JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid: KID, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] }),
      );
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/openid`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

// ------------------------------------------------------------------------------------------- the world
interface World {
  dir: string;
  store: Store;
  routing: Routing;
  /** The core of the anonymous endpoint's app (the one with Slack). */
  core: Core;
  connector: FakeConnector;
  api: FakeSlackApi;
  slack: SlackChannel;
  driver: SlackDriver;
  /** The anonymous endpoint as deployed without credentials (loopback only). */
  anonymous: string;
  /** The same, where 127.0.0.1 stands for the internet (the addresses counted as this machine are others). */
  outside: string;
  /** With MicrosoftAppId, tokens checked against the key endpoint; the fake connector's host allowed. */
  authed: string;
  /** With MicrosoftAppId, and the key endpoint down. */
  keysDown: string;
  /** The anonymous endpoint with low limits (one address, few new people). */
  limited: string;
  close(): Promise<void>;
}

async function startWorld(): Promise<World> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-attacks-'));
  const store = createLowdbStore(dir);
  const contact = validAnswers('en', (await import('../../src/i18n/index.ts')).createI18n().t)['contact.email']!;
  const routing = new Routing(
    RoutingSchema.parse({
      coordinators: { room: { channel: 'slack', id: 'C0COORD' } },
      commissions: {
        KE: {
          name: 'Kenya National Commission for UNESCO',
          room: { channel: 'teams', id: ROOM_KE },
          endorsers: [
            { channel: 'teams', user: ENDORSER },
            { channel: 'teams', user: CONTACT_ENDORSER, email: contact.toUpperCase() },
          ],
        },
      },
    }),
  );
  const keys = await keyEndpoint();
  const connector = await new FakeConnector().start();
  const api = await FakeSlackApi.start();
  // Each endpoint is an app of its own from createApp, as the server is wired, over the one store and routing.
  const apps: App[] = [];
  const start = async (env: Record<string, string>, teams?: { local: string[] }) => {
    const app = await createApp({
      env,
      log,
      clock: fixedClock(new Date('2025-06-01T10:00:00Z')),
      store,
      routing,
      teams,
      slack: { retryConfig: { retries: 0 } },
    });
    apps.push(app);
    return app;
  };
  const authEnv = {
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'not-used-here',
    ToBotFromChannelOpenIdMetadataUrl: keys.url,
    ToBotFromEmulatorOpenIdMetadataUrl: keys.url,
    TEAMS_SERVICE_URL_HOSTS: '127.0.0.1',
  };
  const anonymousApp = await start({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: api.url,
  });
  const slack = anonymousApp.platforms.slack!;
  await start({}, { local: ['127.0.0.2/32'] });
  await start(authEnv);
  // A port nothing listens on: the key endpoint is down.
  await start({
    ...authEnv,
    ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:9/openid',
    ToBotFromEmulatorOpenIdMetadataUrl: 'http://127.0.0.1:9/openid',
  });
  await start({ GNLC_LIMIT_ADDRESS: '40/60s', GNLC_LIMIT_PERSON: '5/60s', GNLC_LIMIT_NEW_PEOPLE: '3/60s' });
  const urls = [];
  for (const a of apps) urls.push(`http://127.0.0.1:${await a.server.listen(0, '127.0.0.1')}`);
  const [anonymous, outside, authed, keysDown, limited] = urls.map((u) => `${u}/api/messages`) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const driver = new SlackDriver(`${urls[0]}/slack/events`, SECRET, api.url.replace(/api\/$/, 'respond/'));
  return {
    dir,
    store,
    routing,
    core: anonymousApp.core,
    connector,
    api,
    slack,
    driver,
    anonymous,
    outside,
    authed,
    keysDown,
    limited,
    async close() {
      for (const a of apps) await a.stop();
      await connector.close();
      await api.close();
      await keys.close();
    },
  };
}

let w: World;
beforeAll(async () => {
  w = await startWorld();
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    stderr.push(String(chunk));
    return (writeErr as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
}, 30_000);
afterAll(async () => {
  process.stderr.write = writeErr;
  await w?.close();
});

let n = 0;
/** A Teams activity from a user (the endorser, by default) in their personal chat, through `serviceUrl`. */
function activity(extra: Record<string, unknown> = {}, who = ENDORSER): Record<string, any> {
  const i = ++n;
  return {
    type: 'message',
    id: `atk-${i}`,
    timestamp: '2025-06-01T10:00:00.000Z',
    channelId: 'msteams',
    serviceUrl: w.connector.url,
    from: { id: `29:${who}`, name: 'Someone', aadObjectId: who },
    recipient: { id: '28:gnlc-bot', name: 'GNLC' },
    conversation: { id: `a:atk-${who}`, conversationType: 'personal', tenantId: 'tenant-1' },
    locale: 'en-GB',
    text: 'help',
    ...extra,
  };
}

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; retryAfter: string | null }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.text(), retryAfter: res.headers.get('retry-after') };
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

/** A row's outcome: the status, what changed on disk, the connector calls, and the log lines and stderr it caused. */
async function attempt(send: () => Promise<{ status: number; body: string; retryAfter: string | null }>) {
  const before = snapshot(w.dir);
  const [calls, logged, errs, out] = [w.connector.calls.length, lines.length, stderr.length, outbound.length];
  const res = await send();
  await w.slack.idle();
  await new Promise((r) => setTimeout(r, 30));
  return {
    ...res,
    changed: changedFiles(before, snapshot(w.dir)),
    replies: w.connector.calls.slice(calls),
    logged: lines.slice(logged),
    stderr: stderr.slice(errs).join(''),
    outbound: outbound.slice(out).filter((h) => !['127.0.0.1', 'localhost'].includes(h)),
  };
}

type Outcome = Awaited<ReturnType<typeof attempt>>;

/** What every refused row must show: its status and code, nothing stored or sent, one warn line and no stack. */
function refused(o: Outcome, status: number, code: string): void {
  expect([o.status, JSON.parse(o.body || '{}').error], o.body).toEqual([status, code]);
  expect(o.changed, 'files changed').toEqual([]);
  expect(o.replies, 'the bot answered').toEqual([]);
  expect(o.outbound, 'outbound calls elsewhere').toEqual([]);
  const warn = o.logged.filter((l) => l.level === 40 && l.code === code);
  expect(warn, JSON.stringify(o.logged)).toHaveLength(1);
  expect(JSON.stringify(o.logged)).not.toMatch(/"stack"|BEGIN (RSA |PUBLIC )?KEY|\n\s+at /);
  expect(o.stderr).not.toMatch(/BEGIN|Error|\n\s+at /);
}

/** An application of Kenya submitted on Teams by `aad` (through the core, as the Teams channel hands it turns). */
async function submitAs(aad: string, city: string): Promise<string> {
  const chat = new Chat(w.core.assistant, aad, 'en-GB', 'Africa/Nairobi', 'teams');
  await chat.press(INTAKE_ACTIONS.start);
  await answerAll(chat, { ...validAnswers('en', w.core.i18n.t), 'city.name': city });
  await chat.press(INTAKE_ACTIONS.submit);
  await chat.press(INTAKE_ACTIONS.yes);
  const id = /GNLC-\d{4}-KE-\d{3}/.exec(chat.text)?.[0];
  if (!id) throw new Error(`no application submitted: ${chat.text.slice(0, 300)}`);
  return id;
}

/** A press of a card's button in the commission's channel, as Teams sends it. */
function pressInRoom(action: string, id: string, who: string): Record<string, any> {
  return activity(
    {
      text: undefined,
      value: { action, value: id },
      conversation: { id: ROOM_KE, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
    },
    who,
  );
}

describe('Teams without credentials: anonymous, for the Emulator on this machine only', () => {
  it("refuses an endorsement pressed from the internet in an endorser's name (403), recording nothing", async () => {
    const id = await submitAs('00000000-0000-4000-8000-0000000a0001', 'Mombasa');
    const o = await attempt(() => post(w.outside, pressInRoom('endorse', id, ENDORSER)));
    refused(o, 403, 'anonymous_not_allowed_from_here');
    expect((await w.store.applications.get(id))!.status).toBe('submitted');
  });

  const roomTakeover =
    "refuses a commission room taken over with a serviceUrl of the attacker's (403): the stored address stays";
  it(roomTakeover, async () => {
    const o = await attempt(() =>
      post(
        w.outside,
        activity({ serviceUrl: ELSEWHERE, conversation: { id: ROOM_KE, conversationType: 'channel', isGroup: true } }),
      ),
    );
    refused(o, 403, 'anonymous_not_allowed_from_here');
    expect(await w.store.addresses.get(`teams:room:${ROOM_KE}`)).toBeUndefined();
  });

  it('never calls a serviceUrl that is not on this machine, even from loopback (403)', async () => {
    const o = await attempt(() => post(w.anonymous, activity({ serviceUrl: ELSEWHERE })));
    refused(o, 403, 'service_url_not_allowed');
    expect(notLocal()).toEqual([]);
  });

  it('refuses a city registered from the internet first (403): the real applicant then applies normally', async () => {
    const squatter = activity({ text: 'apply' }, '00000000-0000-4000-8000-00000000bad1');
    refused(await attempt(() => post(w.outside, squatter)), 403, 'anonymous_not_allowed_from_here');
    const id = await submitAs('00000000-0000-4000-8000-0000000a0002', 'Kisumu');
    expect((await w.store.applications.get(id))!.answers['city.name']).toBe('Kisumu');
  });

  const newPeoplePerMinute =
    'lets one address bring only a few new people a minute (429 with Retry-After), without storing the others';
  it(newPeoplePerMinute, async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await post(
            w.limited,
            activity(
              { text: 'bonjour', locale: 'fr-FR' },
              `00000000-0000-4000-8000-0000000c${String(i).padStart(4, '0')}`,
            ),
          )
        ).status,
      );
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    const o = await attempt(() => post(w.limited, activity({ text: 'hello' }, '00000000-0000-4000-8000-0000000c0099')));
    refused(o, 429, 'too_many_new_people');
    expect(Number(o.retryAfter)).toBeGreaterThan(0);
  });

  const tooFast =
    'tells a person who sends too fast to slow down, once, in their language, and handles nothing more of theirs';
  it(tooFast, async () => {
    const who = '00000000-0000-4000-8000-0000000c0001';
    const from = w.connector.calls.length;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await post(w.limited, activity({ text: 'Quelle est la date limite pour postuler ?', locale: 'fr-FR' }, who)))
          .status,
      );
    expect(statuses.every((s) => s === 200)).toBe(true);
    const told = w.connector.calls
      .slice(from)
      .filter((c) => c.activity?.text === w.core.i18n.t('fr', 'common:rate_limited'));
    expect(told).toHaveLength(1);
  });

  const sixtyThousandKeys =
    'refuses 60,000 keys (800 kB) without a token at once (401 before the body is read) and, anonymously, ' +
    'after the parse only (400)';
  it(sixtyThousandKeys, async () => {
    const big = activity({ channelData: Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, i])) });
    refused(await attempt(() => post(w.authed, big)), 401, 'no_token');
    const o = await attempt(() => post(w.anonymous, big));
    expect([o.status, JSON.parse(o.body).error]).toEqual([400, 'too_many_values']);
    expect(o.changed).toEqual([]);
  });

  it('refuses an activity without a sender id (400), never mapping it to a shared record', async () => {
    for (const from of [{ id: '' }, { id: '   ', aadObjectId: '' }, {}]) {
      const o = await attempt(() => post(w.anonymous, activity({ from })));
      expect([o.status, JSON.parse(o.body).error]).toEqual([400, 'missing_from']);
      expect(o.changed).toEqual([]);
    }
  });
});

describe('Teams with credentials: a Bot Framework token, checked before anything else', () => {
  const claims = (a: Record<string, any>) => ({ serviceurl: a.serviceUrl });

  it('takes a genuine token (the positive control): 200', async () => {
    // A typing activity: the bot answers nothing (an answer would need a token from Microsoft's login service).
    const a = activity({ type: 'typing', text: undefined });
    const o = await attempt(() => post(w.authed, a, bearer(token(claims(a)))));
    expect(o.status, o.body).toBe(200);
    expect(o.outbound).toEqual([]);
    expect(o.stderr).toBe('');
  });

  const rows: [string, (a: Record<string, any>) => Record<string, string>, number, string][] = [
    ['no Authorization header', () => ({}), 401, 'no_token'],
    ['a token that is not a JWT', () => bearer('not-a-token'), 401, 'malformed_token'],
    ['alg: none', (a) => bearer(token(claims(a), { alg: 'none' })), 401, 'algorithm_not_allowed'],
    [
      'HS256 with the public key as the secret',
      (a) =>
        bearer(token(claims(a), { alg: 'HS256', hmacWith: String(publicKey.export({ type: 'spki', format: 'pem' })) })),
      401,
      'algorithm_not_allowed',
    ],
    [
      'a published key id, signed with another key',
      (a) => bearer(token(claims(a), { key: other })),
      401,
      'bad_signature',
    ],
    ['an unknown key id', (a) => bearer(token(claims(a), { kid: 'nobody' })), 401, 'unknown_key'],
    [
      'an expired token',
      (a) =>
        bearer(
          token({ ...claims(a), exp: Math.floor(Date.now() / 1000) - 3600, nbf: Math.floor(Date.now() / 1000) - 7200 }),
        ),
      401,
      'token_expired',
    ],
    [
      'a token for another bot',
      (a) => bearer(token({ ...claims(a), aud: '00000000-0000-4000-8000-000000000bad' })),
      401,
      'wrong_audience',
    ],
    [
      'a token for another serviceUrl',
      () => bearer(token({ serviceurl: 'http://127.0.0.1:1/' })),
      401,
      'service_url_claim_mismatch',
    ],
  ];
  for (const [what, headers, status, code] of rows) {
    it(`refuses ${what} (${status} ${code})`, async () => {
      const a = activity({ text: 'apply' });
      refused(await attempt(() => post(w.authed, a, headers(a))), status, code);
    });
  }

  it('refuses a genuine token whose serviceUrl is not a Bot Framework host (403), calling nothing', async () => {
    const a = activity({ serviceUrl: ELSEWHERE });
    refused(await attempt(() => post(w.authed, a, bearer(token(claims(a))))), 403, 'service_url_not_allowed');
    expect(notLocal()).toEqual([]);
  });

  it("answers 503 with Retry-After, not 500, while Microsoft's key endpoint is unreachable", async () => {
    const a = activity();
    const o = await attempt(() => post(w.keysDown, a, bearer(token(claims(a)))));
    refused(o, 503, 'keys_unreachable');
    expect(Number(o.retryAfter)).toBeGreaterThan(0);
  });
});

const DECISIONS = ['endorse', 'return', 'decline'];

describe('conflict of interest', () => {
  it('refuses the endorser who submitted the application, explains why, and audits it', async () => {
    const id = await submitAs(ENDORSER, 'Nakuru');
    const o = await attempt(() => post(w.anonymous, pressInRoom('endorse', id, ENDORSER)));
    expect(o.status).toBe(200);
    expect((await w.store.applications.get(id))!.status).toBe('submitted');
    const text = o.replies.map((c) => String(c.activity?.text ?? '')).join('\n');
    expect(text).toContain(
      w.core.i18n
        .t('en', 'endorse:refused.conflict_applicant', { id, city: 'Nakuru', commission: '', email: '' })
        .split('.')[0],
    );
    const audit = (await w.store.audit.list()).filter((e) => e.application === id && DECISIONS.includes(e.action));
    expect(audit.map((e) => [e.action, e.outcome])).toEqual([['endorse', 'conflict_of_interest']]);
  });

  it("refuses an endorser named as the application's contact person (by e-mail, any case)", async () => {
    const id = await submitAs('00000000-0000-4000-8000-0000000a0003', 'Eldoret');
    const o = await attempt(() => post(w.anonymous, pressInRoom('decline', id, CONTACT_ENDORSER)));
    expect(o.status).toBe(200);
    expect((await w.store.applications.get(id))!.status).toBe('submitted');
    expect(o.replies.map((c) => String(c.activity?.text ?? '')).join('\n')).toContain(id);
    expect(
      (await w.store.audit.list())
        .filter((e) => e.application === id && DECISIONS.includes(e.action))
        .map((e) => e.outcome),
    ).toEqual(['conflict_of_interest']);
    // Another endorser, in no conflict, decides it.
    const ok = await attempt(() => post(w.anonymous, pressInRoom('endorse', id, ENDORSER)));
    expect(ok.status).toBe(200);
    expect((await w.store.applications.get(id))!.status).toMatch(/endorsed|forwarded/);
  });
});

describe('Slack: timestamps both ways, replays across restarts', () => {
  const dm = (user: string, text: string, eventId: string) =>
    JSON.stringify({
      token: 'unused',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true }],
      event: {
        type: 'message',
        channel_type: 'im',
        channel: `D${user.slice(1)}`,
        user,
        text,
        ts: `${Date.now() / 1000}`,
      },
    });
  const signed = (body: string, ts: number, type = 'application/json') =>
    post(w.driver.endpoint, body, {
      'content-type': type,
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': sign(SECRET, ts, body),
    });

  for (const [what, ahead] of [
    ['6 minutes', 360],
    ['an hour', 3600],
  ] as const) {
    it(`refuses a request signed ${what} in the future (401)`, async () => {
      const o = await attempt(() =>
        signed(dm('UFUTURE', 'help', `EvFuture${ahead}`), Math.floor(Date.now() / 1000) + ahead),
      );
      expect(o.status).toBe(401);
      expect(o.changed).toEqual([]);
      expect(o.logged.filter((l) => l.level === 40 && l.code === 'timestamp_in_future')).toHaveLength(1);
    });
  }

  it('drops a signed message replayed after a restart (a new process over the same store): answered once', async () => {
    const body = dm('UREPLAY', 'help', 'EvReplay1');
    const ts = Math.floor(Date.now() / 1000);
    const first = await attempt(() => signed(body, ts));
    expect(first.status).toBe(200);
    const posts = () =>
      w.api.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'DREPLAY').length;
    const answered = posts();
    expect(answered).toBeGreaterThan(0);
    // A restart: a new app over the same folder (its own store, nothing in memory), the same request again.
    const again = await createApp({
      env: {
        GNLC_DATA_DIR: w.dir,
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: w.api.url,
      },
      log,
      clock: fixedClock(new Date('2025-06-01T10:00:00Z')),
      routing: w.routing,
      slack: { retryConfig: { retries: 0 } },
    });
    const port = await again.server.listen(0, '127.0.0.1');
    const replay = await post(`http://127.0.0.1:${port}/slack/events`, body, {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': sign(SECRET, ts, body),
    });
    await again.platforms.slack!.idle();
    expect(replay.status).toBe(200);
    expect(posts()).toBe(answered);
    await again.stop();
  });

  it('runs a replayed slash command once', async () => {
    const body = new URLSearchParams({
      token: 'unused',
      team_id: 'T1',
      channel_id: 'C0GENERAL',
      user_id: 'UCMD',
      user_name: 'u',
      command: '/gnlc',
      text: 'help',
      api_app_id: 'A1',
      response_url: `${w.api.url}x`,
      trigger_id: '1.2.3',
    }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const before = w.api.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'UCMD').length;
    for (let i = 0; i < 3; i++) expect((await signed(body, ts, 'application/x-www-form-urlencoded')).status).toBe(200);
    await w.slack.idle();
    expect(
      w.api.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'UCMD').length - before,
    ).toBe(1);
  });

  it('tells a Slack user who sends too fast to slow down, once', async () => {
    const before = w.api.calls.length;
    for (let i = 0; i < 25; i++) expect((await w.driver.dm('UFAST', `question ${i}`)).status).toBe(200);
    await w.slack.idle();
    const told = w.api.calls
      .slice(before)
      .filter(
        (c) => c.method === 'chat.postMessage' && String(c.args.text) === w.core.i18n.t('en', 'common:rate_limited'),
      );
    expect(told).toHaveLength(1);
  });
});
