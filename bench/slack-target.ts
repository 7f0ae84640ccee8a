/**
 * An app for `bench/slack.ts` to load, in its own process: `ours` (the GNLC app from createApp, as the
 * server is wired, with Slack over HTTP and a lowdb store) or `echo` (a bare Bolt app answering each message
 * with its text). Prints the port it listens on.
 * Usage: slack-target.ts <ours|echo> <fake Web API URL> <signing secret>
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, HTTPReceiver } from '@slack/bolt';
import { createApp } from '../src/app.ts';
import { fixedClock } from '../src/core/clock.ts';
import { memoryRouting } from '../src/core/endorsement/routing.ts';
import { createLogger } from '../src/log.ts';
import { HttpServer } from '../src/server.ts';
import { serveChild } from './child.ts';
import { NO_LIMITS } from '../test/helpers.ts';

const [kind, apiUrl, secret] = process.argv.slice(2) as [string, string, string];
const log = createLogger('silent');
let server: HttpServer;
if (kind === 'ours') {
  const app = await createApp({
    env: {
      GNLC_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'gnlc-bench-slack-')),
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: apiUrl,
      // The abuse limits off: the load comes from one address, many turns per person.
      ...NO_LIMITS,
    },
    log,
    clock: fixedClock(new Date('2025-06-01T10:00:00Z')),
    routing: memoryRouting(),
  });
  // As the server does once it listens (main.ts): every language's FAQ index built before the first person asks.
  await app.core.assistant.warm();
  server = app.server;
} else {
  server = new HttpServer(log);
  const receiver = new HTTPReceiver({
    signingSecret: secret,
    endpoints: '/slack/events',
    processBeforeResponse: false,
  });
  const app = new App({ token: 'xoxb-test-token', receiver, clientOptions: { slackApiUrl: apiUrl } });
  app.event('message', async ({ event, client }) => {
    const m = event as { channel: string; text?: string };
    await client.chat.postMessage({ channel: m.channel, text: m.text ?? '' });
  });
  server.route('POST /slack/events', receiver.requestListener);
}
serveChild(await server.listen(0, '127.0.0.1'));
