import { SeenIds } from '../../../src/store/seen.ts';
import type { AddressInfo } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { SlackChannel } from '../../../src/channels/slack/app.ts';
import { createLogger } from '../../../src/log.ts';
import { coreAt } from '../../helpers.ts';
import { FakeSlackApi } from './fake-slack.ts';

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

/**
 * Socket Mode as Slack runs it: apps.connections.open (app-level token) hands out a WebSocket URL, the
 * server says hello, then sends envelopes the app must acknowledge by envelope_id.
 */
it('answers an event received over Socket Mode once, acknowledging every envelope', async () => {
  const api = await FakeSlackApi.start();
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  api.socketUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
  const acks: string[] = [];
  const connected = new Promise<WebSocket>((resolve) =>
    wss.on('connection', (ws) => {
      ws.on('message', (data) => acks.push(JSON.parse(String(data)).envelope_id));
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'test', approximate_connection_time: 3600 },
          connection_info: { app_id: 'A1' },
        }),
      );
      resolve(ws);
    }),
  );
  const core = coreAt('2025-06-10T12:00:00Z');
  const channel = new SlackChannel({
    assistant: core.assistant,
    seen: new SeenIds(),
    t: core.i18n.t,
    log: createLogger('silent'),
    settings: { mode: 'socket', botToken: 'xoxb-test-token', appToken: 'xapp-test-token', apiUrl: api.url },
    retryConfig: { retries: 1, minTimeout: 10, maxTimeout: 20 },
  });
  closers.push(async () => {
    await channel.stop();
    for (const c of wss.clients) c.terminate();
    wss.close();
    await api.close();
  });
  await channel.start();
  const ws = await connected;

  const event = {
    type: 'message',
    channel_type: 'im',
    channel: 'DSOCK',
    user: 'USOCK',
    text: 'What are the benefits of joining?',
    ts: '1700000000.000300',
  };
  const envelope = (id: string, attempt: number) => ({
    envelope_id: id,
    type: 'events_api',
    accepts_response_payload: false,
    retry_attempt: attempt,
    retry_reason: attempt ? 'timeout' : '',
    payload: {
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: 'EvSOCKET1',
      event_time: 1700000000,
      event,
    },
  });
  ws.send(JSON.stringify(envelope('env-1', 0)));
  ws.send(JSON.stringify(envelope('env-2', 1))); // Slack's redelivery: same event id, new envelope
  for (let i = 0; i < 200 && (acks.length < 2 || api.of('chat.postMessage').length < 1); i++)
    await new Promise((r) => setTimeout(r, 10));
  await channel.idle();

  expect(acks).toEqual(['env-1', 'env-2']);
  const posts = api.of('chat.postMessage');
  expect(posts).toHaveLength(1);
  expect(posts[0]!.args.channel).toBe('DSOCK');
  expect(String(posts[0]!.args.text)).toBe(core.assistant.ask('What are the benefits of joining?').answer);
});
