import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createApp, type App } from '../../../src/app.ts';
import type { Clock } from '../../../src/core/clock.ts';
import { memoryRouting, type Routing } from '../../../src/core/endorsement/routing.ts';
import type { Store } from '../../../src/core/records.ts';
import { createMemoryStore } from '../../../src/store/memory.ts';
import { NO_LIMITS } from '../../helpers.ts';

/** A clock the test moves (tokens expire). */
export function movableClock(at: string): Clock & { advance(ms: number): void } {
  let t = new Date(at).getTime();
  const advance = (ms: number) => {
    t += ms;
  };
  return { now: () => new Date(t), simulated: true, advance };
}

/** The server as createApp wires it, listening on 127.0.0.1, with a memory store. */
export async function startWeb(opts: {
  clock: Clock;
  env?: Record<string, string>;
  /** To start again on the same records (a restart); default new, in memory. */
  store?: Store;
  routing?: Routing;
}): Promise<{ app: App; base: string }> {
  const app = await createApp({
    // The data folder (kept notices) is a new temporary one unless the test gives its own.
    env: { ...NO_LIMITS, GNLC_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'gnlc-web-')), ...opts.env },
    log: pino({ level: process.env.WEB_TEST_LOG ?? 'silent' }),
    clock: opts.clock,
    store: opts.store ?? createMemoryStore(),
    routing: opts.routing ?? memoryRouting(),
  });
  const port = await app.server.listen(0, '127.0.0.1');
  return { app, base: `http://127.0.0.1:${port}` };
}

export interface Answer {
  status: number;
  body: any;
}

export async function call(base: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** A browser's visitor as Web Chat drives the endpoint: a session, a conversation, messages, reads by watermark. */
export class Visitor {
  secret?: string;
  user = '';
  token = '';
  conversation = '';
  watermark = '0';
  private n = 0;

  /** What the last session answered about an invitation link (`added`, `used` …). */
  invitation?: string;
  /** Whether the last session said the visitor acts for a commission (the page's "start over" warns then). */
  endorser?: boolean;

  constructor(
    private base: string,
    readonly locale = 'en-US',
  ) {}

  /** The same browser on another server address (after a restart). */
  at(base: string): this {
    this.base = base;
    return this;
  }

  /**
   * A session (the page's POST /chat/session, with the invitation of the link it was opened from) and a
   * conversation; then the page's join event.
   */
  async open(invite?: string): Promise<any[]> {
    const session = await call(this.base, 'POST', '/chat/session', undefined, {
      secret: this.secret,
      locale: this.locale,
      ...(invite !== undefined ? { invite } : {}),
    });
    Object.assign(this, { secret: session.body.secret, user: session.body.user, token: session.body.token });
    this.invitation = session.body.invitation;
    this.endorser = session.body.endorser;
    const started = await call(this.base, 'POST', '/v3/directline/conversations', this.token);
    this.conversation = started.body.conversationId;
    this.token = started.body.token;
    this.watermark = '0';
    return this.post({ type: 'event', name: 'webchat/join', locale: this.locale, value: {} });
  }

  /** Posts an activity as Web Chat does, and resolves to what the bot answered (read by watermark). */
  async post(activity: Record<string, unknown>): Promise<any[]> {
    const sent = await call(
      this.base,
      'POST',
      `/v3/directline/conversations/${this.conversation}/activities`,
      this.token,
      {
        locale: this.locale,
        channelData: { clientActivityID: `c${++this.n}` },
        ...activity,
      },
    );
    if (sent.status !== 200) throw new Error(`post answered ${sent.status}: ${JSON.stringify(sent.body)}`);
    return (await this.read()).filter((a) => a.from.role === 'bot');
  }

  say(text: string): Promise<any[]> {
    return this.post({ type: 'message', text });
  }

  press(data: Record<string, unknown>): Promise<any[]> {
    return this.post({ type: 'message', value: data });
  }

  async read(): Promise<any[]> {
    const path = `/v3/directline/conversations/${this.conversation}/activities?watermark=${this.watermark}`;
    const r = await call(this.base, 'GET', path, this.token);
    if (r.status !== 200) throw new Error(`read answered ${r.status}`);
    this.watermark = r.body.watermark;
    return r.body.activities;
  }
}

/** The text of a bot activity, its cards' text blocks included. */
export function textOf(activities: any[]): string {
  const parts: string[] = [];
  const walk = (v: any) => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v.text === 'string') parts.push(v.text);
    for (const k of Object.keys(v)) if (k !== 'text') walk(v[k]);
  };
  walk(activities);
  return parts.join('\n');
}
