import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_MAX_BODY } from '../../src/channels/slack/inbound.ts';
import { createLogger } from '../../src/log.ts';
import { DEFAULT_MAX_BODY, HttpServer, type BufferedRequest } from '../../src/server.ts';
import { asSlackText, sign } from '../channels/slack/fake-slack.ts';
import { post } from './payloads.ts';
import { SECRET, startEndpoints, stillServing, type Endpoints } from './world.ts';

/**
 * Streams a chunked body (no Content-Length) of `chunk` bytes every few milliseconds until the server answers,
 * and resolves with the answer and how much was sent by then; the upload never ends on its own.
 */
function streamUntilAnswered(
  url: string,
  headers: Record<string, string>,
  chunk: Buffer,
): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const req = http.request(
      url,
      { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } },
      (res) => {
        clearInterval(timer);
        let body = '';
        res.on('data', (d: Buffer) => (body += d));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode!, body, sent });
        });
      },
    );
    req.on('error', (err) => (timer ? reject(err) : undefined));
    timer = setInterval(() => {
      req.write(chunk);
      sent += chunk.length;
      if (sent > 50 * 1024 * 1024) {
        clearInterval(timer);
        reject(new Error('the server never answered a body growing past its limit'));
      }
    }, 2);
  });
}

describe("HttpServer reads bodies up to the route's limit", () => {
  let server: HttpServer;
  let url = '';
  const got: Buffer[] = [];
  beforeAll(async () => {
    server = new HttpServer(createLogger('silent'));
    server.route(
      'POST /small',
      (req: BufferedRequest, res) => {
        got.push(req.rawBody);
        res.writeHead(200).end('ok');
      },
      { maxBody: 16 },
    );
    url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/small`;
  });
  afterAll(() => server.close());

  const withinAndOverLimit =
    'hands a body within the limit to the route, and answers one over it with 413 without calling the route';
  it(withinAndOverLimit, async () => {
    expect(await post(url, Buffer.from('x'.repeat(16)), {})).toMatchObject({ status: 200, body: 'ok' });
    expect(got.map(String)).toEqual(['x'.repeat(16)]);
    const over = await post(url, Buffer.from('x'.repeat(17)), { 'content-type': 'application/json' });
    expect(over.status).toBe(413);
    expect(JSON.parse(over.body)).toEqual({ error: 'body_too_large', limit: 16 });
    expect(got).toHaveLength(1);
    // The default for a route that names none.
    expect(DEFAULT_MAX_BODY).toBe(1024 * 1024);
  });

  it('answers 413 as soon as a chunked body grows past the limit, while it is still being sent', async () => {
    const answer = await streamUntilAnswered(url, {}, Buffer.from('0123456789'));
    expect(answer.status).toBe(413);
    expect(answer.sent).toBeGreaterThan(16);
    expect(got).toHaveLength(1);
    // The connection a client gave up halfway does not stop the server.
    const aborted = http.request(url, { method: 'POST', headers: { 'content-length': '10' } });
    aborted.on('error', () => undefined);
    aborted.write('12345');
    await new Promise((r) => setTimeout(r, 20));
    aborted.destroy();
    expect((await post(url, Buffer.from('again'), {})).status).toBe(200);
  });
});

describe('the Slack and Teams endpoints refuse bodies over 1 MB', () => {
  let e: Endpoints;
  beforeAll(async () => {
    e = await startEndpoints();
  });
  afterAll(() => e.close());

  /** A signed DM from `user` padded with a field of spaces to exactly `size` bytes. */
  function paddedDm(user: string, size: number): Buffer {
    const event = {
      type: 'message',
      channel_type: 'im',
      channel: `D${user.slice(1)}`,
      user,
      text: asSlackText('help'),
      ts: '1717000000.000100',
    };
    const base = {
      token: 'unused',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: `Ev${user}`,
      event_time: 1717000000,
      event,
      padding: '',
    };
    const empty = Buffer.byteLength(JSON.stringify(base));
    return Buffer.from(JSON.stringify({ ...base, padding: ' '.repeat(size - empty) }));
  }
  const signed = (body: Buffer, ts = Math.floor(Date.now() / 1000)) => ({
    'content-type': 'application/json',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': sign(SECRET, ts, body.toString()),
  });

  const slackExactlyOneMegabyte =
    'Slack: takes a signed event of exactly 1 MB, refuses one byte more (Content-Length or chunked) with 413';
  it(slackExactlyOneMegabyte, async () => {
    expect(SLACK_MAX_BODY).toBe(1024 * 1024);
    const exact = paddedDm('UEXACT', SLACK_MAX_BODY);
    expect(exact.length).toBe(SLACK_MAX_BODY);
    const from = e.api.calls.length;
    expect((await post(e.slackUrl, exact, signed(exact))).status).toBe(200);
    await e.slack.idle();
    expect(e.api.calls.slice(from).some((c) => c.method === 'chat.postMessage' && c.posted?.channel === 'DEXACT')).toBe(
      true,
    );

    const over = paddedDm('UOVER', SLACK_MAX_BODY + 1);
    const answer = await post(e.slackUrl, over, signed(over));
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'body_too_large' });
    const streamed = await streamUntilAnswered(e.slackUrl, signed(over), Buffer.alloc(64 * 1024, ' '));
    expect(streamed.status).toBe(413);
    expect(await e.store.conversations.get('slack:UOVER')).toBeUndefined();
  });

  const teamsExactlyOneMegabyte =
    'Teams: takes an activity of exactly 1 MB, refuses one byte more (Content-Length or chunked) with 413';
  it(teamsExactlyOneMegabyte, async () => {
    const activity = (id: string, size: number) => {
      const base = {
        type: 'message',
        id,
        channelId: 'msteams',
        serviceUrl: e.connector.url,
        text: 'help',
        locale: 'en-US',
        padding: '',
        from: { id: `29:${id}` },
        recipient: { id: '28:gnlc-bot' },
        conversation: { id: `a:${id}`, conversationType: 'personal' },
      };
      return Buffer.from(
        JSON.stringify({ ...base, padding: ' '.repeat(size - Buffer.byteLength(JSON.stringify(base))) }),
      );
    };
    const exact = activity('exact', 1024 * 1024);
    const before = e.connector.calls.length;
    expect((await post(e.teamsUrl, exact, { 'content-type': 'application/json' })).status).toBe(200);
    expect(e.connector.calls.length).toBeGreaterThan(before);
    const over = await post(e.teamsUrl, activity('over', 1024 * 1024 + 1), { 'content-type': 'application/json' });
    expect(over.status).toBe(413);
    expect(JSON.parse(over.body)).toMatchObject({ error: 'body_too_large' });
    const streamed = await streamUntilAnswered(
      e.teamsUrl,
      { 'content-type': 'application/json' },
      Buffer.alloc(64 * 1024, ' '),
    );
    expect(streamed.status).toBe(413);
    expect(await e.store.conversations.get('teams:29:over')).toBeUndefined();
    await stillServing(e);
  });
});
