import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../../src/app.ts';
import type { SlackChannel } from '../../../src/channels/slack/app.ts';
import { parseActionId } from '../../../src/channels/slack/blocks.ts';
import { unescapeMrkdwn } from '../../../src/channels/slack/mrkdwn.ts';
import { INTAKE_ACTIONS } from '../../../src/core/actions.ts';
import { fixedClock, type Clock } from '../../../src/core/clock.ts';
import type { Core } from '../../../src/core/create.ts';
import { Routing, RoutingSchema } from '../../../src/core/endorsement/routing.ts';
import { createLogger, type Logger } from '../../../src/log.ts';
import type { HttpServer } from '../../../src/server.ts';
import { createLowdbStore } from '../../../src/store/lowdb.ts';
import type { Store } from '../../../src/core/records.ts';
import { NO_LIMITS } from '../../helpers.ts';
import type { Sent } from './block-kit-check.ts';
import { FakeSlackApi, SlackDriver } from './fake-slack.ts';

export const SECRET = 'test-signing-secret';

/** A message as a Slack client shows it: the last version after chat.update. */
export interface ShownMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: Record<string, any>[];
  thread_ts?: string;
}

/** A pressable element of a shown message: a button, or one option of a select menu. */
export interface Choice {
  message: ShownMessage;
  element: Record<string, any>;
  id: string;
  value: string;
  label: string;
  option?: { text: string; value: string };
}

/** The commission room and people of the default routing: Kenya's commission and the coordinators on Slack. */
export const ROUTING = {
  commissionRoom: 'C0COMMKE',
  endorser: 'UENDORSER',
  coordinatorsRoom: 'C0COORD',
} as const;

/** The default routing of the harness (ROUTING): Kenya's commission and the coordinators on Slack. */
export function slackRouting(): Routing {
  return new Routing(
    RoutingSchema.parse({
      coordinators: { room: { channel: 'slack', id: ROUTING.coordinatorsRoom } },
      commissions: {
        KE: {
          room: { channel: 'slack', id: ROUTING.commissionRoom },
          endorsers: [{ channel: 'slack', user: ROUTING.endorser }],
        },
      },
    }),
  );
}

/**
 * The real SlackChannel (real Bolt App and HTTPReceiver) behind the real HTTP server on 127.0.0.1, wired by
 * createApp as the server is, with the fake Slack Web API as SLACK_API_URL and a lowdb store in a temporary
 * folder. The channel's notifier is in the core's outbox, and Kenya's applications go to a Slack commission
 * room (ROUTING).
 */
export class SlackHarness {
  private constructor(
    readonly app: App,
    readonly api: FakeSlackApi,
    readonly core: Core,
    readonly store: Store,
    readonly channel: SlackChannel,
    readonly server: HttpServer,
    readonly slack: SlackDriver,
  ) {}

  static async start(at = '2025-06-01T10:00:00Z'): Promise<SlackHarness> {
    const harness = await SlackHarness.create({ clock: fixedClock(new Date(at)) });
    await harness.listen();
    return harness;
  }

  /**
   * The application from createApp with Slack on (HTTP mode, SLACK_API_URL at a new fake Web API) and Teams,
   * not listening yet: call `listen()`. The clock, store (default: lowdb in a temporary folder), routing
   * (default: ROUTING) and log are the test's; the abuse limits are off unless `env` sets them.
   */
  static async create(opts: {
    clock: Clock;
    store?: Store;
    routing?: Routing;
    log?: Logger;
    env?: Record<string, string>;
  }): Promise<SlackHarness> {
    const api = await FakeSlackApi.start();
    const app = await createApp({
      env: {
        ...NO_LIMITS,
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: api.url,
        ...opts.env,
      },
      log: opts.log ?? createLogger('silent'),
      clock: opts.clock,
      store: opts.store ?? createLowdbStore(mkdtempSync(path.join(tmpdir(), 'gnlc-slack-'))),
      routing: opts.routing ?? slackRouting(),
      slack: { retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 20 } },
    });
    const slack = new SlackDriver('', SECRET, api.url.replace(/api\/$/, 'respond/'));
    return new SlackHarness(app, api, app.core, app.store, app.platforms.slack!, app.server, slack);
  }

  /** Starts the HTTP server on 127.0.0.1 and points the driver at it; resolves to the port. */
  async listen(): Promise<number> {
    const port = await this.server.listen(0, '127.0.0.1');
    this.slack.endpoint = `http://127.0.0.1:${port}/slack/events`;
    return port;
  }

  async close(): Promise<void> {
    await this.app.stop();
    await this.api.close();
  }

  /** Waits until every turn under way has posted its replies. */
  settle(): Promise<void> {
    return this.channel.idle();
  }

  /** Every payload the app sent to Slack (messages, updates, views), for the Block Kit checks. */
  sent(): Sent[] {
    return this.api.calls.flatMap((c): Sent[] => {
      if (c.method === 'chat.postMessage' || c.method === 'chat.update')
        return [{ kind: 'message', text: c.args.text, blocks: c.args.blocks }];
      if (c.method === 'views.publish') return [{ kind: 'view', view: c.args.view }];
      return [];
    });
  }

  /** The messages of a channel as shown now, oldest first. */
  shown(channel: string): ShownMessage[] {
    const byTs = new Map<string, ShownMessage>();
    for (const c of this.api.calls) {
      if (c.method === 'chat.postMessage' && c.posted?.channel === channel) {
        byTs.set(c.posted.ts, {
          channel,
          ts: c.posted.ts,
          text: String(c.args.text),
          blocks: (c.args.blocks as any[]) ?? [],
          thread_ts: c.args.thread_ts as string | undefined,
        });
      }
      if (c.method === 'chat.update' && c.args.channel === channel && byTs.has(String(c.args.ts))) {
        const m = byTs.get(String(c.args.ts))!;
        byTs.set(m.ts, { ...m, text: String(c.args.text), blocks: (c.args.blocks as any[]) ?? [] });
      }
    }
    return [...byTs.values()];
  }

  /** The pressable choices of a channel's messages, newest message first. */
  choices(channel: string): Choice[] {
    const out: Choice[] = [];
    for (const message of this.shown(channel).reverse()) {
      for (const b of message.blocks.filter((x) => x.type === 'actions')) {
        for (const element of b.elements) {
          const id = parseActionId(element.action_id)?.id;
          if (!id) continue;
          if (element.type === 'button')
            out.push({ message, element, id, value: element.value, label: element.text.text });
          else
            for (const o of element.options)
              out.push({
                message,
                element,
                id,
                value: o.value,
                label: o.text.text,
                option: { text: o.text.text, value: o.value },
              });
        }
      }
    }
    return out;
  }

  /** Presses the newest choice that matches, as `user` in `channel`; false when there is none. */
  async press(user: string, channel: string, match: (c: Choice) => boolean): Promise<boolean> {
    const c = this.choices(channel).find(match);
    if (!c) return false;
    await this.pressChoice(user, channel, c);
    return true;
  }

  /** Presses a choice as `user` in `channel` (one this harness saw, or another's on the same data: a restart). */
  async pressChoice(user: string, channel: string, c: Choice): Promise<void> {
    const message = {
      type: 'message',
      user: 'UBOT',
      bot_id: 'BBOT',
      ts: c.message.ts,
      text: c.message.text,
      blocks: c.message.blocks,
      ...(c.message.thread_ts ? { thread_ts: c.message.thread_ts } : {}),
    };
    const res = await this.slack.press(user, c.element, { channel, message }, c.option);
    if (res.status !== 200) throw new Error(`press answered ${res.status}`);
    await this.settle();
  }

  /** Types `text` in `user`'s DM with the app and waits for the answer. */
  async say(user: string, text: string): Promise<void> {
    await this.slack.dm(user, text);
    await this.settle();
  }

  /**
   * Fills the form in `user`'s DM by typing every answer (the whole-application test covers buttons),
   * submits it, and resolves to the new application's id.
   */
  async apply(user: string, answers: Record<string, string>): Promise<string> {
    const key = `slack:${user}`;
    const dm = `D${user.slice(1)}`;
    const before = (await this.store.conversations.get(key))?.applications.length ?? 0;
    await this.say(user, 'I want to apply');
    for (let i = 0; i < 80; i++) {
      const intake = (await this.store.conversations.get(key))?.intake;
      const field = intake?.mode === 'filling' ? intake.field : undefined;
      if (!field) break;
      await this.say(user, answers[field]!);
      if (field === 'interests' && (await this.store.conversations.get(key))?.intake?.field === 'interests') {
        await this.press(user, dm, (c) => c.id === INTAKE_ACTIONS.done);
      }
    }
    if (!(await this.press(user, dm, (c) => c.id === INTAKE_ACTIONS.submit)))
      throw new Error(`no submit button: ${this.textsSince(0, dm).at(-1)}`);
    if (!(await this.press(user, dm, (c) => c.id === INTAKE_ACTIONS.yes)))
      throw new Error(`no confirmation: ${this.textsSince(0, dm).at(-1)}`);
    const ids = (await this.store.conversations.get(key))?.applications ?? [];
    if (ids.length !== before + 1) throw new Error(`not submitted: ${this.textsSince(0, dm).at(-1)}`);
    return ids.at(-1)!;
  }

  /** Texts posted to a channel since call index `from` (Slack's escaping undone). */
  textsSince(from: number, channel?: string): string[] {
    return this.api.calls
      .slice(from)
      .filter(
        (c) =>
          c.method === 'chat.postMessage' && (!channel || c.args.channel === channel || c.posted?.channel === channel),
      )
      .map((c) => unescapeMrkdwn(String(c.args.text)));
  }
}
