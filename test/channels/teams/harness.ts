import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import { createApp, type App } from '../../../src/app.ts';
import { fixedClock, type Clock } from '../../../src/core/clock.ts';
import type { Core } from '../../../src/core/create.ts';
import { memoryRouting, type Routing } from '../../../src/core/endorsement/routing.ts';
import { createMemoryStore } from '../../../src/store/memory.ts';
import type { Store } from '../../../src/core/records.ts';
import type { TeamsChannel } from '../../../src/channels/teams/index.ts';
import { NO_LIMITS } from '../../helpers.ts';

/** One call the bot made to the Bot Connector service. */
export interface ConnectorCall {
  method: string;
  path: string;
  conversation: string;
  /** replyToId for a reply, the activity id for an update. */
  target?: string;
  /** The id the connector gave the activity (sends and replies). */
  id?: string;
  activity: any;
  status: number;
}

/**
 * A fake Bot Connector service on 127.0.0.1: records replies (POST …/activities[/replyTo]), updates (PUT)
 * and proactive sends, answers with fresh activity ids, and fails the next calls on demand.
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  /** Every HTTP attempt, failed ones included (for retry checks). */
  attempts = 0;
  private failures: { status: number; headers: Record<string, string> }[] = [];
  /** Called with each recorded call once it is answered (the load run reads messages with it). */
  onCall?: (call: ConnectorCall) => void;
  private waiters: (() => void)[] = [];
  private n = 0;
  private server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      this.attempts++;
      const fail = this.failures.shift();
      if (fail) {
        res.writeHead(fail.status, { 'content-type': 'application/json', ...fail.headers });
        return res.end(JSON.stringify({ error: { code: 'Throttled', message: 'try later' } }));
      }
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
      if (!m) {
        res.writeHead(404).end();
        return;
      }
      const activity = body ? JSON.parse(body) : undefined;
      const id = req.method === 'POST' ? `act-${++this.n}` : decodeURIComponent(m[2] ?? '');
      const call: ConnectorCall = {
        method: req.method!,
        path: req.url!,
        conversation: decodeURIComponent(m[1]!),
        target: m[2] && decodeURIComponent(m[2]),
        id,
        activity,
        status: 200,
      };
      this.calls.push(call);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id }));
      this.onCall?.(call);
      for (const w of this.waiters.splice(0)) w();
    });
  });
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  /** The next `count` calls fail with `status` (and headers such as Retry-After). */
  failNext(status: number, headers: Record<string, string> = {}, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, headers });
  }

  /** Forgets the failures asked for and not yet used. */
  clearFailures(): void {
    this.failures = [];
  }

  /** Resolves once at least `n` calls were recorded. */
  async waitFor(n: number, timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.calls.length < n) {
      if (Date.now() > until) throw new Error(`connector got ${this.calls.length} calls, expected ${n}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  /** Message activities posted (sends and replies), in order. */
  get messages(): ConnectorCall[] {
    return this.calls.filter((c) => c.method === 'POST' && c.activity?.type === 'message');
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** A running Teams endpoint over the real HttpServer, CloudAdapter and core, wired by createApp. */
export interface TeamsApp {
  url: string;
  app: App;
  core: Core;
  store: Store;
  channel: TeamsChannel;
  connector: FakeConnector;
  post(activity: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/**
 * Starts the application as createApp wires it (Teams' notifier and the local rooms in the core's outbox; no
 * Slack) and listens on 127.0.0.1 (port 0), with the clock frozen at `at` (or `clock`), a memory store and the
 * local demo's routing in memory unless given; `env` holds the Microsoft* and TEAMS_* variables. The abuse
 * limits are off unless `env` sets them.
 */
export async function startTeams(
  opts: {
    at?: string;
    clock?: Clock;
    env?: Record<string, string>;
    store?: Store;
    routing?: Routing;
    log?: Logger;
  } = {},
): Promise<TeamsApp> {
  const log = opts.log ?? pino({ level: process.env.TEAMS_TEST_LOG ?? 'silent' });
  const app = await createApp({
    env: { ...NO_LIMITS, ...opts.env },
    log,
    clock: opts.clock ?? fixedClock(new Date(opts.at ?? '2025-06-01T10:00:00Z')),
    store: opts.store ?? createMemoryStore(),
    routing: opts.routing ?? memoryRouting(),
  });
  const { core, store, server } = app;
  const channel = app.platforms.teams;
  const port = await server.listen(0, '127.0.0.1');
  const connector = await new FakeConnector().start();
  const url = `http://127.0.0.1:${port}/api/messages`;
  return {
    url,
    app,
    core,
    store,
    channel,
    connector,
    async post(activity, headers = {}) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof activity === 'string' ? activity : JSON.stringify(activity),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async close() {
      await app.stop();
      await connector.close();
    },
  };
}

const require = createRequire(import.meta.url);
// The package's ESM build imports extensionless paths Node cannot resolve; its UMD bundle loads as CommonJS
// and parses cards without a DOM.
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

/** Problems the adaptivecards parser reports for a card (parse and validation events), as messages. */
export function cardProblems(json: unknown): string[] {
  const card = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext();
  card.parse(json, ctx);
  const out: string[] = [];
  for (let i = 0; i < ctx.eventCount; i++) out.push(ctx.getEventAt(i).message);
  for (const e of card.validateProperties().validationEvents) out.push(e.message);
  return out;
}

/** The Adaptive Cards of an activity. */
export function cardsOf(activity: any): any[] {
  return (activity?.attachments ?? [])
    .filter((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((a: any) => a.content);
}

/** Every element of a card (body, nested containers and action sets), depth first. */
export function elements(card: any): any[] {
  const out: any[] = [];
  const walk = (items: any[] = []) => {
    for (const e of items) {
      out.push(e);
      walk(e.items);
      walk(e.actions);
    }
  };
  walk(card?.body);
  walk(card?.actions);
  return out;
}

let seq = 0;

/** A Teams user (or the Emulator) talking to the bot; builds activities the way the client sends them. */
export class TeamsUser {
  readonly id: string;
  readonly aad: string;
  conversation: { id: string; conversationType?: string; isGroup?: boolean; tenantId?: string };
  readonly bot = { id: '28:gnlc-bot', name: 'GNLC' };
  constructor(
    readonly app: TeamsApp,
    readonly opts: {
      name?: string;
      locale?: string;
      timeZone?: string;
      channel?: 'msteams' | 'emulator';
      conversation?: TeamsUser['conversation'];
    } = {},
  ) {
    const n = ++seq;
    this.id = `29:user-${n}`;
    this.aad = `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;
    this.conversation =
      opts.conversation ??
      (opts.channel === 'emulator'
        ? { id: `emu-conv-${n}` }
        : { id: `a:personal-${n}`, conversationType: 'personal', tenantId: 'tenant-1' });
  }

  /** A base activity of `type` from this user. */
  activity(type: string, extra: Record<string, unknown> = {}): Record<string, any> {
    const teams = this.opts.channel !== 'emulator';
    return {
      type,
      id: `in-${++seq}`,
      timestamp: '2025-06-01T10:00:00.000Z',
      channelId: teams ? 'msteams' : 'emulator',
      serviceUrl: this.app.connector.url,
      from: { id: this.id, name: this.opts.name ?? 'Ada', ...(teams ? { aadObjectId: this.aad } : {}) },
      recipient: this.bot,
      conversation: this.conversation,
      locale: this.opts.locale,
      ...(teams
        ? {
            entities: [
              {
                type: 'clientInfo',
                locale: this.opts.locale,
                timezone: this.opts.timeZone ?? 'Europe/Berlin',
                platform: 'Web',
              },
            ],
          }
        : { localTimezone: this.opts.timeZone }),
      ...(teams ? { channelData: { tenant: { id: 'tenant-1' } } } : {}),
      ...extra,
    };
  }

  /** Posts an activity and returns the messages the bot sent for it. */
  async send(activity: Record<string, unknown>): Promise<ConnectorCall[]> {
    const before = this.app.connector.calls.length;
    const res = await this.app.post(activity);
    if (res.status !== 200) throw new Error(`POST /api/messages → ${res.status} ${JSON.stringify(res.body)}`);
    return this.app.connector.calls.slice(before);
  }

  say(text: string): Promise<ConnectorCall[]> {
    return this.send(this.activity('message', { text, textFormat: 'plain' }));
  }

  /**
   * Presses a card's Action.Submit: Teams sends a message whose `value` is the action's data merged with
   * the inputs.
   */
  submit(cardActivityId: string, data: Record<string, unknown>): Promise<ConnectorCall[]> {
    return this.send(this.activity('message', { value: data, replyToId: cardActivityId }));
  }
}

/** The last message activity in `calls` that has a card, with the connector's id for it. */
export function lastCard(calls: ConnectorCall[]): { id: string; card: any } | undefined {
  for (let i = calls.length - 1; i >= 0; i--) {
    const c = calls[i]!;
    const card = c.method === 'POST' ? cardsOf(c.activity)[0] : undefined;
    if (card) return { id: c.id!, card };
  }
  return undefined;
}

/** The Action.Submit of a card whose data has this action id (and value, when given). */
export function findSubmit(card: any, id: string, value?: string): any | undefined {
  return elements(card).find(
    (e) => e.type === 'Action.Submit' && e.data?.action === id && (value === undefined || e.data?.value === value),
  );
}
