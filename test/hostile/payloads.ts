/**
 * Inbound HTTP payloads of every shape the Slack and Teams endpoints take, and fast-check arbitraries that
 * break them: fields removed, given the wrong type (numbers, arrays, null where strings belong), huge strings,
 * lone surrogates and control characters, JSON bombs (100,000 nested arrays), prototype-pollution keys; and
 * raw garbage (random and invalid UTF-8 bytes, non-JSON, truncated JSON, the wrong content type). Shared by the
 * property tests in test/hostile and by `npm run fuzz`.
 */
import http from 'node:http';
import fc from 'fast-check';
import { sign } from '../channels/slack/fake-slack.ts';
import { hostileText, utf16Unit } from './hostile.ts';

/** Stands for a JSON bomb in a payload object; replaced by the nested text when the payload is encoded. */
export const BOMB = '\u0000FUZZ-BOMB\u0000';
/** How deep a bomb nests (far deeper than any recursive JSON.stringify or structuredClone survives). */
export const BOMB_DEPTH = 100_000;
const bombText = (kind: number) =>
  kind % 2 === 0
    ? `${'['.repeat(BOMB_DEPTH)}${']'.repeat(BOMB_DEPTH)}`
    : `${'{"a":'.repeat(BOMB_DEPTH / 4)}1${'}'.repeat(BOMB_DEPTH / 4)}`;

/**
 * Keys whose string values the server fetches (Slack's response_url, Teams' serviceUrl):
 * never set to a real address.
 */
const OUTBOUND_KEYS = new Set(['response_url', 'response_urls', 'serviceUrl']);

/** A value that does not belong where it is put. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileText({ huge: true }), weight: 4 },
  {
    arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, [], {}, [null], [{}], ['x'], { id: 1 }, ''),
    weight: 4,
  },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  { arbitrary: fc.constant(BOMB), weight: 1 },
);

/** One change to a payload: a field removed or replaced, a pollution key added. `at` picks the field. */
export type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'pollute'; at: number; key: '__proto__' | 'constructor' | 'prototype' };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  { arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: hostileValue }), weight: 3 },
  fc.record({
    kind: fc.constant('pollute' as const),
    at: fc.nat(),
    key: fc.constantFrom('__proto__' as const, 'constructor' as const, 'prototype' as const),
  }),
);

/** Every path of an object's fields (nested objects and arrays, up to `depth` levels). */
function paths(value: unknown, depth = 5, prefix: (string | number)[] = []): (string | number)[][] {
  if (depth === 0 || typeof value !== 'object' || value === null) return [];
  const out: (string | number)[][] = [];
  for (const k of Object.keys(value)) {
    const p = [...prefix, Array.isArray(value) ? Number(k) : k];
    out.push(p, ...paths((value as Record<string, unknown>)[k], depth - 1, p));
  }
  return out;
}

/** Objects in a value (the root included), where a pollution key can go. */
function objects(value: unknown, depth = 5, prefix: (string | number)[] = []): (string | number)[][] {
  if (depth === 0 || typeof value !== 'object' || value === null) return [];
  const here = Array.isArray(value) ? [] : [prefix];
  return [
    ...here,
    ...Object.keys(value).flatMap((k) =>
      objects((value as Record<string, unknown>)[k], depth - 1, [...prefix, Array.isArray(value) ? Number(k) : k]),
    ),
  ];
}

function parentOf(root: unknown, path: (string | number)[]): Record<string | number, unknown> | undefined {
  let node = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) {
    node = node?.[k] as Record<string | number, unknown>;
    if (typeof node !== 'object' || node === null) return undefined;
  }
  return node;
}

/** Sets an own property, even "__proto__" (which `=` would take as the prototype). */
function define(target: object, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Applies mutations to a deep copy of `payload`. Outbound URLs are only ever removed or given a non-string. */
export function mutate<T>(payload: T, mutations: Mutation[]): T {
  const root = structuredClone(payload) as unknown;
  for (const m of mutations) {
    if (m.kind === 'pollute') {
      const targets = objects(root);
      const path = targets[m.at % targets.length]!;
      const target = path.reduce<any>((node, k) => node[k], root);
      define(
        target,
        m.key,
        m.key === 'constructor' ? { prototype: { polluted: true } } : { polluted: true, toString: 'x' },
      );
      continue;
    }
    const all = paths(root);
    if (!all.length) continue;
    const path = all[m.at % all.length]!;
    const parent = parentOf(root, path);
    const key = path.at(-1)!;
    if (!parent) continue;
    if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      continue;
    }
    // A copy: the constants of `hostileValue` are shared by every sample
    // (and one put twice could end up inside itself).
    const value = OUTBOUND_KEYS.has(String(key)) && typeof m.value === 'string' ? 42 : structuredClone(m.value);
    define(parent, key, value);
  }
  return root as T;
}

/** JSON text of a payload, bombs put in. */
export function encodeJson(payload: unknown, bombKind = 0): string {
  const text = JSON.stringify(payload);
  return text.includes(JSON.stringify(BOMB)) ? text.split(JSON.stringify(BOMB)).join(bombText(bombKind)) : text;
}

/** Form encoding (`a=1&b=2`) of string fields; non-strings are sent as their JSON text, bombs put in. */
export function encodeForm(fields: Record<string, unknown>): string {
  return Object.keys(fields)
    .map((k) => {
      const v = fields[k];
      const text = typeof v === 'string' ? (v === BOMB ? bombText(0) : v) : encodeJson(v);
      const wellFormed = text.replace(/[\uD800-\uDFFF]/g, (c, i: number, s: string) => (isPaired(s, i) ? c : '\uFFFD'));
      return `${encodeURIComponent(k)}=${encodeURIComponent(wellFormed)}`;
    })
    .join('&');
}

/** encodeURIComponent throws on a lone surrogate; Slack would have sent U+FFFD. */
function isPaired(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c < 0xdc00 ? (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 : (s.charCodeAt(i - 1) & 0xfc00) === 0xd800;
}

/** One request to send: what it is, its body and headers. */
export interface Outbound {
  shape: string;
  body: Buffer;
  headers: Record<string, string>;
  /** Every string in the payload (ids, to tell which request a change of the store came from). */
  strings: Set<string>;
}

/** Every string of a value. */
export function stringsOf(value: unknown, out = new Set<string>(), depth = 0): Set<string> {
  if (depth > 20) return out;
  if (typeof value === 'string') out.add(value);
  else if (typeof value === 'object' && value !== null)
    for (const k of Object.keys(value)) stringsOf((value as Record<string, unknown>)[k], out, depth + 1);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Slack

/** Where the fake Slack answers response_urls, and the signing secret. */
export interface SlackTarget {
  secret: string;
  responseBase: string;
}

const SLACK_TEXTS = [
  'help',
  'Who can apply?',
  'I want to apply',
  'status',
  'language: français',
  '<@UBOT> deadline?',
  'hello &amp; &lt;3',
];

/** The documented shapes of Slack's requests, for user `U…n`; each is [shape, encoding, payload]. */
export function slackShapes(
  n: number,
  t: SlackTarget,
): [string, 'json' | 'payload' | 'form', Record<string, unknown>][] {
  const user = `UFZ${n}`;
  const dm = `DFZ${n}`;
  const ts = `1717000000.${String(n).padStart(6, '0')}`;
  const envelope = (event: Record<string, unknown>) => ({
    token: 'unused',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: `EvFZ${n}`,
    event_time: 1717000000,
    authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true, enterprise_id: null }],
    event,
  });
  const text = SLACK_TEXTS[n % SLACK_TEXTS.length]!;
  const press = (action: Record<string, unknown>) => ({
    type: 'block_actions',
    user: { id: user, username: user, team_id: 'T1' },
    api_app_id: 'A1',
    token: 'unused',
    team: { id: 'T1' },
    trigger_id: '1.2.3',
    container: { type: 'message', message_ts: ts, channel_id: dm, is_ephemeral: false },
    channel: { id: dm, name: 'directmessage' },
    message: {
      type: 'message',
      user: 'UBOT',
      bot_id: 'BBOT',
      ts,
      text: 'Pick one',
      blocks: [{ type: 'actions', block_id: 'b1', elements: [] }],
    },
    response_url: `${t.responseBase}${user}`,
    actions: [{ block_id: 'b1', action_ts: ts, ...action }],
  });
  return [
    ['event.message', 'json', envelope({ type: 'message', channel_type: 'im', channel: dm, user, text, ts })],
    [
      'event.app_mention',
      'json',
      envelope({ type: 'app_mention', channel: 'C0FUZZ', user, text: `<@UBOT> ${text}`, ts }),
    ],
    [
      'event.app_home_opened',
      'json',
      envelope({ type: 'app_home_opened', user, channel: dm, tab: 'home', event_ts: ts }),
    ],
    [
      'event.other',
      'json',
      envelope({ type: 'reaction_added', user, reaction: '+1', item: { type: 'message', channel: dm, ts } }),
    ],
    [
      'block_actions.button',
      'payload',
      press({
        type: 'button',
        action_id: `gnlc:${n % 2 ? 'apply' : 'faq'}:0`,
        value: n % 2 ? 'apply' : 'eligibility',
        text: { type: 'plain_text', text: 'Go' },
      }),
    ],
    [
      'block_actions.select',
      'payload',
      press({
        type: 'static_select',
        action_id: 'gnlc:faq:1',
        selected_option: { text: { type: 'plain_text', text: 'Benefits' }, value: 'benefits' },
      }),
    ],
    [
      'block_actions.home',
      'payload',
      {
        ...press({
          type: 'button',
          action_id: 'gnlc:apply:0',
          value: 'apply',
          text: { type: 'plain_text', text: 'Apply' },
        }),
        container: { type: 'view', view_id: 'V1' },
        channel: undefined,
        message: undefined,
        view: { id: 'V1', type: 'home', blocks: [] },
      },
    ],
    [
      'command',
      'form',
      {
        token: 'unused',
        team_id: 'T1',
        team_domain: 'fuzz',
        channel_id: n % 2 ? dm : 'C0GENERAL',
        channel_name: 'general',
        user_id: user,
        user_name: user,
        command: '/gnlc',
        text: ['help', 'apply', 'status', 'language fr', 'who can apply?'][n % 5]!,
        api_app_id: 'A1',
        response_url: `${t.responseBase}${user}`,
        trigger_id: '1.2.3',
      },
    ],
    ['url_verification', 'json', { token: 'unused', challenge: `challenge-${n}`, type: 'url_verification' }],
    ['ssl_check', 'form', { ssl_check: '1', token: 'unused' }],
  ];
}

/** A Slack request: one of the shapes, mutated or not, encoded (sometimes the wrong way), signed (or not). */
export function slackRequest(t: SlackTarget, nowSeconds: () => number): fc.Arbitrary<Outbound> {
  return fc
    .record({
      n: fc.nat({ max: 1_000_000 }),
      shape: fc.nat(),
      mutations: fc.array(mutation, { maxLength: 3 }),
      wrongEncoding: fc.nat({ max: 9 }).map((x) => x === 0),
      signing: fc.constantFrom('valid', 'valid', 'valid', 'valid', 'valid', 'none', 'wrong', 'stale', 'future'),
      bombKind: fc.nat({ max: 1 }),
    })
    .map(({ n, shape, mutations, wrongEncoding, signing, bombKind }) => {
      const shapes = slackShapes(n, t);
      const [name, encoding, payload] = shapes[shape % shapes.length]!;
      const broken = mutate(payload, mutations);
      const asJson = encoding === 'json' ? !wrongEncoding : wrongEncoding;
      let text: string;
      if (asJson) text = encodeJson(broken, bombKind);
      else if (encoding === 'payload') text = encodeForm({ payload: encodeJson(broken, bombKind) });
      else text = encodeForm(broken as Record<string, unknown>);
      const body = Buffer.from(text, 'utf8');
      return {
        shape: `slack:${name}${mutations.length ? '~' : ''}`,
        body,
        headers: slackHeaders(
          t.secret,
          body,
          asJson ? 'application/json' : 'application/x-www-form-urlencoded',
          signing,
          nowSeconds(),
        ),
        strings: stringsOf(broken),
      };
    });
}

/** Headers of a Slack request; the signature is over the body as Bolt reads it (UTF-8 decoded). */
export function slackHeaders(
  secret: string,
  body: Buffer,
  contentType: string,
  signing: string,
  now: number,
): Record<string, string> {
  // Stale: an hour old; future: signed for an hour from now (kept for a replay). Both refused (401).
  const ts = signing === 'stale' ? now - 3600 : signing === 'future' ? now + 3600 : now;
  const headers: Record<string, string> = { 'content-type': contentType };
  if (signing === 'none') return headers;
  headers['x-slack-request-timestamp'] = String(ts);
  headers['x-slack-signature'] =
    signing === 'wrong' ? sign('not-the-secret', ts, body.toString()) : sign(secret, ts, body.toString());
  return headers;
}

// ---------------------------------------------------------------------------------------------------------
// Teams

/** The documented shapes of Teams activities (and some the bot has nothing to say to), from user n. */
export function teamsShapes(n: number, serviceUrl: string): [string, Record<string, unknown>][] {
  const base = (type: string, extra: Record<string, unknown> = {}) => ({
    type,
    id: `fz-${n}`,
    timestamp: '2025-06-01T10:00:00.000Z',
    channelId: 'msteams',
    serviceUrl,
    from: { id: `29:fz-${n}`, name: 'Fuzz', aadObjectId: `aad-fz-${n}` },
    recipient: { id: '28:gnlc-bot', name: 'GNLC' },
    conversation: { id: `a:fz-${n}`, conversationType: 'personal', tenantId: 'tenant-1' },
    locale: 'fr-FR',
    entities: [{ type: 'clientInfo', locale: 'fr-FR', timezone: 'Europe/Paris', platform: 'Web' }],
    channelData: { tenant: { id: 'tenant-1' } },
    ...extra,
  });
  const texts = ['help', 'Qui peut postuler ?', 'Je veux postuler', 'status', 'language: english'];
  return [
    ['message.text', base('message', { text: texts[n % texts.length], textFormat: 'plain' })],
    [
      'message.mention',
      base('message', {
        text: '<at>GNLC</at>&nbsp;deadline?',
        conversation: {
          id: `19:fz-${n}@thread.tacv2;messageid=1717000000000`,
          conversationType: 'channel',
          isGroup: true,
          tenantId: 'tenant-1',
        },
        entities: [
          { type: 'mention', mentioned: { id: '28:gnlc-bot', name: 'GNLC' }, text: '<at>GNLC</at>' },
          { type: 'clientInfo', locale: 'en-US', timezone: 'America/New_York' },
        ],
      }),
    ],
    [
      'message.submit',
      base('message', {
        value: [
          { action: 'faq', value: 'eligibility' },
          { action: 'apply' },
          { action: 'choose', value: 'interests=literacy,esd', picked: ['esd'] },
        ][n % 3],
        replyToId: 'act-1',
      }),
    ],
    ['conversationUpdate', base('conversationUpdate', { membersAdded: [{ id: `29:fz-${n}` }, { id: '28:gnlc-bot' }] })],
    ['installationUpdate', base('installationUpdate', { action: 'add' })],
    [
      'invoke.action',
      base('invoke', {
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'faq', data: { action: 'faq', value: 'benefits' } } },
      }),
    ],
    ['invoke.unknown', base('invoke', { name: 'composeExtension/query', value: {} })],
    ['typing', base('typing')],
    ['messageReaction', base('messageReaction', { reactionsAdded: [{ type: 'like' }], replyToId: 'act-1' })],
    ['unknown', base('fuzzType', { value: { x: 1 } })],
    // What the anonymous endpoint must refuse: a serviceUrl off this machine (the server would call it), no
    // sender (all such would be one person), a payload of more values than any activity holds.
    ['message.elsewhere', base('message', { text: 'help', serviceUrl: 'http://192.0.2.10/' })],
    ['message.nobody', base('message', { text: 'help', from: { id: '', name: 'Nobody' } })],
    [
      'message.manyKeys',
      base('message', {
        text: 'help',
        channelData: Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`k${i}`, i])),
      }),
    ],
  ];
}

/** A Teams activity: one of the shapes, mutated or not. */
export function teamsRequest(serviceUrl: string): fc.Arbitrary<Outbound> {
  return fc
    .record({
      n: fc.nat({ max: 1_000_000 }),
      shape: fc.nat(),
      mutations: fc.array(mutation, { maxLength: 3 }),
      bombKind: fc.nat({ max: 1 }),
    })
    .map(({ n, shape, mutations, bombKind }) => {
      const shapes = teamsShapes(n, serviceUrl);
      const [name, activity] = shapes[shape % shapes.length]!;
      const broken = mutate(activity, mutations);
      return {
        shape: `teams:${name}${mutations.length ? '~' : ''}`,
        body: Buffer.from(encodeJson(broken, bombKind), 'utf8'),
        headers: { 'content-type': 'application/json' },
        strings: stringsOf(broken),
      };
    });
}

// ---------------------------------------------------------------------------------------------------------
// Garbage: bodies no platform sends

const INVALID_UTF8 = [
  [0xff],
  [0xfe, 0xff],
  [0xc3],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0x80, 0x80],
  [0xe2, 0x82],
];

/** A raw body that is not a payload: random or invalid UTF-8 bytes, non-JSON, JSON that is not an object, bombs. */
export const garbageBody: fc.Arbitrary<[string, Buffer]> = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((b): [string, Buffer] => ['bytes', Buffer.from(b)]),
  fc
    .tuple(fc.constantFrom(...INVALID_UTF8), fc.constantFrom('{"type":"message","text":"', '{"type":"', 'payload='))
    .map(([bad, pre]): [string, Buffer] => [
      'invalid-utf8',
      Buffer.concat([Buffer.from(pre), Buffer.from(bad), Buffer.from('"}')]),
    ]),
  fc.string({ unit: utf16Unit, maxLength: 200 }).map((s): [string, Buffer] => ['utf16-text', Buffer.from(s, 'utf8')]),
  fc
    .constantFrom(
      'null',
      'true',
      '0',
      '-1e999',
      '"x"',
      '[]',
      '[{}]',
      '{}',
      '',
      ' ',
      '{"type":null}',
      '{"type":""}',
      '{"type":"message"}',
      '{"type":"message","type":"typing"}',
      'payload=null',
      'payload=%7B',
      'payload=[1]',
      'ssl_check=0',
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '\uFEFF{}',
    )
    .map((s): [string, Buffer] => ['constant', Buffer.from(s)]),
  fc.constant<[string, Buffer]>(['bomb-arrays', Buffer.from(bombText(0))]),
  fc.constant<[string, Buffer]>(['bomb-objects', Buffer.from(bombText(1))]),
  fc.constant<[string, Buffer]>(['bomb-payload', Buffer.from(`payload=${encodeURIComponent(bombText(0))}`)]),
  fc.constant<[string, Buffer]>(['huge-string', Buffer.from(`"${'a'.repeat(900_000)}"`)]),
  fc.jsonValue({ maxDepth: 4 }).map((v): [string, Buffer] => ['json', Buffer.from(JSON.stringify(v) ?? 'null')]),
  fc
    .tuple(
      fc.constantFrom(
        '{"type":"message","text":"hi","from":{"id":"x"}}',
        '{"type":"event_callback","event":{"type":"message"}}',
      ),
      fc.nat(),
    )
    .map(([s, i]): [string, Buffer] => ['truncated', Buffer.from(s.slice(0, i % s.length))]),
  fc.constant<[string, Buffer]>(['utf16le', Buffer.from('{"type":"message","text":"hi"}', 'utf16le')]),
);

export const garbageContentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=x',
  '',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/octet-stream',
);

// ---------------------------------------------------------------------------------------------------------
// Sending

/** The answer to one request: the status (0 when the connection failed) and the body's first characters. */
export interface Answer {
  status: number;
  body: string;
  error?: string;
}

// Idle connections are dropped after 2 s, before the server's keep-alive timeout (5 s) closes them: a request
// sent on a connection the server is closing at that moment fails with ECONNRESET (a race of any HTTP client).
const agentOptions = { keepAlive: true, maxSockets: 64, timeout: 2000 };
let agent = new http.Agent(agentOptions);

/** POSTs a raw body with exactly these headers (nothing added but Host and Content-Length); never throws. */
export function post(url: string, body: Buffer, headers: Record<string, string>, timeoutMs = 15_000): Promise<Answer> {
  return new Promise((resolve) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 300) }),
        );
        res.on('error', (err) => resolve({ status: 0, body: '', error: err.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ status: 0, body: '', error: err.message }));
    req.end(body);
  });
}

/** Closes the keep-alive connections of `post`. */
export function closeConnections(): void {
  agent.destroy();
  agent = new http.Agent(agentOptions);
}
