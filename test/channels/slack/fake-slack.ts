import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call received by the fake Slack: the method and its arguments (JSON fields decoded). */
export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  /** For chat.postMessage: where Slack put the message and its timestamp (its id). */
  posted?: { channel: string; ts: string };
}

/** A scripted answer for the next call of a method (an error, a rate limit, a 5xx). */
interface Scripted {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** What users.info returns for a user. */
export interface FakeProfile {
  locale?: string;
  tz?: string;
  name?: string;
}

/**
 * Slack's Web API on 127.0.0.1, as the app sees it through SLACK_API_URL: records every call, answers
 * like Slack (ok/error envelopes, a DM channel id when posting to a user id) and can be told to fail
 * the next call of a method (429 with Retry-After, `channel_not_found`, a cut connection). Also serves `response_url`s.
 */
export class FakeSlackApi {
  readonly calls: ApiCall[] = [];
  readonly responses: Record<string, unknown>[] = [];
  readonly profiles = new Map<string, FakeProfile>();
  private readonly scripted = new Map<string, (Scripted | 'drop')[]>();
  /** Called with each call once it is answered (the bench measures turn latency with it). */
  onCall?: (call: ApiCall) => void;
  /** The WebSocket URL apps.connections.open hands out (Socket Mode tests). */
  socketUrl?: string;
  private ts = 1_700_000_000;
  private server!: http.Server;
  url = '';

  /** The bot token the fake accepts (others get `invalid_auth`). */
  private botToken = 'xoxb-test-token';

  static async start(botToken?: string): Promise<FakeSlackApi> {
    const api = new FakeSlackApi();
    if (botToken) api.botToken = botToken;
    api.server = http.createServer((req, res) => void api.handle(req, res));
    await new Promise<void>((r) => api.server.listen(0, '127.0.0.1', r));
    api.url = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}/api/`;
    return api;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  /** Makes the next call of `method` fail this way (in order, one scripted answer per call). */
  failNext(method: string, answer: Scripted | 'drop'): void {
    this.scripted.set(method, [...(this.scripted.get(method) ?? []), answer]);
  }

  /** Forgets the failures scripted and not yet used. */
  clearFailures(): void {
    this.scripted.clear();
  }

  of(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.url?.startsWith('/respond/')) {
      this.responses.push(JSON.parse(raw));
      return send(200, { ok: true });
    }
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
    const args = decode(raw, String(req.headers['content-type'] ?? ''));
    const call: ApiCall = { method, args };
    this.calls.push(call);
    res.once('finish', () => this.onCall?.(call));
    const script = this.scripted.get(method)?.shift();
    if (script === 'drop') {
      req.socket.destroy(); // a network error: the connection is cut without an answer
      return;
    }
    if (script) return send(script.status, script.body, script.headers);
    /** Socket Mode: the app-level token asks where to connect. */
    if (method === 'apps.connections.open') {
      if (req.headers.authorization !== 'Bearer xapp-test-token' || !this.socketUrl)
        return send(200, { ok: false, error: 'invalid_auth' });
      return send(200, { ok: true, url: this.socketUrl });
    }
    if (req.headers.authorization !== `Bearer ${this.botToken}`) return send(200, { ok: false, error: 'invalid_auth' });
    switch (method) {
      case 'auth.test':
        return send(200, { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'gnlc', team: 'Test' });
      case 'users.info': {
        const id = String(args.user);
        const p = this.profiles.get(id) ?? {};
        return send(200, {
          ok: true,
          user: {
            id,
            is_bot: false,
            locale: p.locale ?? 'en-US',
            tz: p.tz ?? 'Europe/London',
            real_name: p.name ?? id,
            profile: { display_name: p.name ?? '' },
          },
        });
      }
      case 'chat.postMessage': {
        const channel = String(args.channel);
        this.ts++;
        // Posting to a user id writes into the app's DM with that user, whose id starts with D.
        call.posted = { channel: channel.startsWith('U') ? `D${channel.slice(1)}` : channel, ts: `${this.ts}.000100` };
        return send(200, { ok: true, ...call.posted, message: { text: args.text } });
      }
      case 'chat.update':
        return send(200, { ok: true, channel: args.channel, ts: args.ts });
      case 'views.publish':
        return send(200, { ok: true, view: { id: 'V1', ...(args.view as object) } });
      default:
        return send(200, { ok: false, error: 'unknown_method' });
    }
  }
}

function decode(raw: string, type: string): Record<string, unknown> {
  if (type.includes('application/json')) return raw ? JSON.parse(raw) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = k === 'blocks' || k === 'view' ? JSON.parse(v) : v;
  return out;
}

/** Slack's request signature: v0=HMAC-SHA256(secret, "v0:<timestamp>:<body>"). */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** What people type, as Slack delivers it: &, <, > escaped; e-mail addresses and web addresses linked. */
export function asSlackText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, (m) => `<mailto:${m}|${m}>`)
    .replace(
      /(^|\s)((https?:\/\/|www\.)[^\s<>|]+)/g,
      (_m, pre: string, url: string) => `${pre}<${url.startsWith('www.') ? `http://${url}` : url}|${url}>`,
    );
}

/** Sends requests to the app's /slack/events as Slack does: signed, in the documented payload shapes. */
export class SlackDriver {
  private eventN: number;
  constructor(
    public endpoint: string,
    private readonly secret: string,
    private readonly responseBase: string,
    /** Where its event ids start (several drivers of one workspace, one per server instance, never repeat one). */
    firstEvent = 0,
  ) {
    this.eventN = firstEvent;
  }

  /** POSTs a raw body with a valid (or given) signature; resolves to the HTTP status and body. */
  async post(
    body: string,
    type: string,
    opts: { timestamp?: number; signature?: string; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; text: string }> {
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const res = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': type,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': opts.signature ?? sign(this.secret, timestamp, body),
        ...opts.headers,
      },
      body,
    });
    return { status: res.status, text: await res.text() };
  }

  /** An Events API `event_callback` with a fresh (or given) event id. */
  event(
    event: Record<string, unknown>,
    opts: { eventId?: string; retryNum?: number; timestamp?: number; signature?: string } = {},
  ) {
    const eventId = opts.eventId ?? `Ev${String(++this.eventN).padStart(8, '0')}`;
    const body = JSON.stringify({
      token: 'unused',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true }],
      event,
    });
    const headers: Record<string, string> = opts.retryNum
      ? { 'x-slack-retry-num': String(opts.retryNum), 'x-slack-retry-reason': 'http_timeout' }
      : {};
    return this.post(body, 'application/json', { ...opts, headers });
  }

  /** A direct message from `user` in their DM with the app. */
  dm(user: string, text: string, extra: Record<string, unknown> = {}) {
    return this.event({
      type: 'message',
      channel_type: 'im',
      channel: `D${user.slice(1)}`,
      user,
      text: asSlackText(text),
      ts: `${Date.now() / 1000}`,
      ...extra,
    });
  }

  /** A `block_actions` payload: `user` pressed `element` of a message (or of the App Home view). */
  press(
    user: string,
    element: Record<string, unknown>,
    where: { channel: string; message: Record<string, unknown> } | { view: Record<string, unknown> },
    selected?: { text: string; value: string },
  ) {
    // Slack sends the id of the block the element is in (one it made up when the app gave none).
    const blocks = (('view' in where ? where.view.blocks : where.message.blocks) ?? []) as {
      block_id?: string;
      elements?: { action_id?: string }[];
    }[];
    const block = blocks.find((b) => b.elements?.some((e) => e.action_id === element.action_id));
    const action = {
      type: element.type,
      action_id: element.action_id,
      block_id: block?.block_id ?? 'b',
      action_ts: `${Date.now() / 1000}`,
      ...(element.type === 'button' ? { text: element.text, value: element.value, style: element.style } : {}),
      ...(selected
        ? { selected_option: { text: { type: 'plain_text', text: selected.text, emoji: true }, value: selected.value } }
        : {}),
    };
    const common = {
      type: 'block_actions',
      user: { id: user, username: user, team_id: 'T1' },
      api_app_id: 'A1',
      token: 'unused',
      team: { id: 'T1' },
      trigger_id: '1.2.3',
      actions: [action],
    };
    const payload =
      'view' in where
        ? { ...common, container: { type: 'view', view_id: 'V1' }, view: where.view }
        : {
            ...common,
            container: {
              type: 'message',
              message_ts: where.message.ts,
              channel_id: where.channel,
              is_ephemeral: false,
            },
            channel: { id: where.channel, name: 'x' },
            message: where.message,
            response_url: `${this.responseBase}a`,
          };
    return this.post(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
  }

  /** A slash command as Slack posts it. */
  command(user: string, text: string, channel = 'C0GENERAL') {
    const body = new URLSearchParams({
      token: 'unused',
      team_id: 'T1',
      team_domain: 'test',
      channel_id: channel,
      channel_name: channel.startsWith('D') ? 'directmessage' : 'general',
      user_id: user,
      user_name: user,
      command: '/gnlc',
      text,
      api_app_id: 'A1',
      response_url: `${this.responseBase}${user}`,
      trigger_id: '1.2.3',
    });
    return this.post(body.toString(), 'application/x-www-form-urlencoded');
  }
}
