import { mkdtempSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../../src/app.ts';
import type { SlackChannel } from '../../src/channels/slack/app.ts';
import { unescapeMrkdwn } from '../../src/channels/slack/mrkdwn.ts';
import { fixedClock } from '../../src/core/clock.ts';
import type { Core } from '../../src/core/create.ts';
import type { HttpServer } from '../../src/server.ts';
import { createLogger } from '../../src/log.ts';
import type { Store } from '../../src/core/records.ts';
import { expectUnpolluted, prototypeKeys } from './hostile.ts';
import { FakeSlackApi, SlackDriver } from '../channels/slack/fake-slack.ts';
import { FakeConnector } from '../channels/teams/harness.ts';
import { closeConnections, post } from './payloads.ts';

export const SECRET = 'hostile-signing-secret';

/**
 * Both endpoints on one real HttpServer on 127.0.0.1, wired by createApp as the server is,
 * over a lowdb store in a temporary folder.
 */
export interface Endpoints {
  dir: string;
  store: Store;
  core: Core;
  base: string;
  slackUrl: string;
  teamsUrl: string;
  api: FakeSlackApi;
  connector: FakeConnector;
  slack: SlackChannel;
  driver: SlackDriver;
  server: HttpServer;
  close(): Promise<void>;
}

export async function startEndpoints(): Promise<Endpoints> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-hostile-'));
  const api = await FakeSlackApi.start();
  const app = await createApp({
    env: {
      GNLC_DATA_DIR: dir,
      GNLC_ALERTS: 'off',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: api.url,
      // Every hostile payload comes from 127.0.0.1, most as a new person: the abuse limits have tests of their own.
      GNLC_LIMIT_ADDRESS: 'off',
      GNLC_LIMIT_PERSON: 'off',
      GNLC_LIMIT_NEW_PEOPLE: 'off',
    },
    log: createLogger('silent'),
    clock: fixedClock(new Date('2025-06-01T10:00:00Z')),
    // A request no listener acknowledges (a payload of no known type) is answered 404 after 150 ms, not 3 s.
    slack: { retryConfig: { retries: 0 }, unackedTimeoutMs: 150 },
  });
  const { store, core, server } = app;
  const slack = app.platforms.slack!;
  const port = await server.listen(0, '127.0.0.1');
  const connector = await new FakeConnector().start();
  const base = `http://127.0.0.1:${port}`;
  const driver = new SlackDriver(`${base}/slack/events`, SECRET, api.url.replace(/api\/$/, 'respond/'));
  return {
    dir,
    store,
    core,
    base,
    slackUrl: `${base}/slack/events`,
    teamsUrl: `${base}/api/messages`,
    api,
    connector,
    slack,
    driver,
    server,
    async close() {
      closeConnections();
      await app.stop();
      await api.close();
      await connector.close();
    },
  };
}

let normal = 0;

/**
 * The server still serves: /healthz answers 200, and a plain "help" gets the help text over Slack (a DM) and
 * over Teams. Throws otherwise.
 */
export async function stillServing(e: Endpoints): Promise<void> {
  const health = await fetch(`${e.base}/healthz`);
  if (health.status !== 200) throw new Error(`/healthz answered ${health.status}`);
  const help = e.core.i18n.t('en', 'common:help').slice(0, 60);
  const n = ++normal;
  const user = `UNORMAL${n}`;
  const from = e.api.calls.length;
  const res = await e.driver.dm(user, 'help');
  if (res.status !== 200) throw new Error(`a normal Slack DM was answered ${res.status}`);
  await e.slack.idle();
  const answered = e.api.calls
    .slice(from)
    .some(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.posted?.channel === `D${user.slice(1)}` &&
        unescapeMrkdwn(String(c.args.text)).includes(help),
    );
  if (!answered) throw new Error('a normal Slack DM got no help text');
  const before = e.connector.calls.length;
  const activity = {
    type: 'message',
    id: `normal-${n}`,
    channelId: 'msteams',
    serviceUrl: e.connector.url,
    text: 'help',
    locale: 'en-US',
    from: { id: `29:normal-${n}`, name: 'Norma' },
    recipient: { id: '28:gnlc-bot', name: 'GNLC' },
    conversation: { id: `a:normal-${n}`, conversationType: 'personal' },
  };
  const teams = await post(e.teamsUrl, Buffer.from(JSON.stringify(activity)), { 'content-type': 'application/json' });
  if (teams.status !== 200) throw new Error(`a normal Teams message was answered ${teams.status}: ${teams.body}`);
  if (!e.connector.calls.slice(before).some((c) => String(c.activity?.text ?? '').includes(help)))
    throw new Error('a normal Teams message got no help text');
}

/**
 * Endpoints for one test file: started before its tests (handed to `set`), closed after them, and the
 * prototypes checked unpolluted at the end.
 */
export function useEndpoints(set: (e: Endpoints) => void): void {
  const proto = prototypeKeys();
  let e: Endpoints | undefined;
  beforeAll(async () => {
    e = await startEndpoints();
    set(e);
  });
  afterAll(async () => {
    await e?.close();
    expectUnpolluted(proto);
  });
}
