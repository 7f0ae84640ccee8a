/**
 * An app for `bench/slack.ts` to load, in its own process: `ours` (the GNLC Slack channel over a lowdb
 * store) or `echo` (a bare Bolt app answering each message with its text). Prints the port it listens on.
 * Usage: slack-target.ts <ours|echo> <fake Web API URL> <signing secret>
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, HTTPReceiver } from '@slack/bolt';
import { SlackChannel } from '../src/channels/slack/app.ts';
import { fixedClock } from '../src/core/clock.ts';
import { createCore } from '../src/core/create.ts';
import { createLogger } from '../src/log.ts';
import { HttpServer } from '../src/server.ts';
import { createLowdbStore } from '../src/store/lowdb.ts';

const [kind, apiUrl, secret] = process.argv.slice(2) as [string, string, string];
const log = createLogger('silent');
const server = new HttpServer(log);
if (kind === 'ours') {
  const store = createLowdbStore(mkdtempSync(path.join(tmpdir(), 'gnlc-bench-slack-')));
  const core = createCore({ clock: fixedClock(new Date('2025-06-01T10:00:00Z')), store });
  new SlackChannel({ assistant: core.assistant, t: core.i18n.t, log, server, seen: store.seen, settings: { mode: 'http', botToken: 'xoxb-test-token', signingSecret: secret, apiUrl } });
} else {
  const receiver = new HTTPReceiver({ signingSecret: secret, endpoints: '/slack/events', processBeforeResponse: false });
  const app = new App({ token: 'xoxb-test-token', receiver, clientOptions: { slackApiUrl: apiUrl } });
  app.event('message', async ({ event, client }) => {
    const m = event as { channel: string; text?: string };
    await client.chat.postMessage({ channel: m.channel, text: m.text ?? '' });
  });
  server.route('POST /slack/events', receiver.requestListener);
}
process.stdout.write(`${await server.listen(0, '127.0.0.1')}\n`);
