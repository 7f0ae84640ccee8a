import { App, SocketModeReceiver, type BlockAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { RetryOptions, WebClient } from '@slack/web-api';
import type { Assistant } from '../../core/assistant.ts';
import { negotiateLocale, type Lang } from '../../core/lang.ts';
import type { SeenRepo } from '../../core/records.ts';
import type { Reply } from '../../core/reply.ts';
import type { Turn } from '../../core/turn.ts';
import type { Translate } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';
import type { HttpServer } from '../../server.ts';
import type { Limits } from '../limits.ts';
import { RecentIds } from '../recent-ids.ts';
import { BlockRenderer, parseActionId, resolvedBlocks, TRACKED_BLOCK } from './blocks.ts';
import { boltLogger, slashTurn } from './bolt.ts';
import type { SlackSettings } from './config.ts';
import { personOf, SlackGuard, type GuardContext } from './guard.ts';
import { slackHttpReceiver, SLASH_COMMAND } from './http.ts';
import { mentionsIn, plainText } from './mrkdwn.ts';
import { SlackNotifier } from './notifier.ts';
import { SlackUsers, type SlackProfile } from './users.ts';

export { SLACK_EVENTS_PATH, SLASH_COMMAND } from './http.ts';
export { slashTurn } from './bolt.ts';

/** What the Slack channel needs. */
export interface SlackChannelDeps {
  assistant: Assistant;
  t: Translate;
  log: Logger;
  settings: SlackSettings;
  /** Where the ids of handled events and requests are kept across restarts (a replay is dropped). */
  seen: SeenRepo;
  /** The endpoints' abuse limits (none when absent: tests of other things). */
  limits?: Limits;
  /** Whether the store knows a person (a conversation under their key): new people count against a limit. */
  knows?: (userKey: string) => Promise<boolean>;
  /** The process's HTTP server; required in HTTP mode (POST /slack/events is mounted on it). */
  server?: HttpServer;
  /** Web API retries (rate limits, network errors, 5xx); tests shorten them. */
  retryConfig?: RetryOptions;
  /** How long a request no listener acknowledges waits for its 404 (HTTP mode; Bolt's 3,001 ms, Slack's 3 s); tests shorten it. */
  unackedTimeoutMs?: number;
}

/** The fields of Slack events this channel reads (Bolt's types are unions too wide to narrow cheaply). */
interface InboundMessage {
  user?: string;
  text?: string;
  channel: string;
  channel_type?: string;
  ts: string;
  thread_ts?: string;
  subtype?: string;
  bot_id?: string;
}

/**
 * The Slack channel: a Bolt App wired to the channel-neutral Assistant. Direct messages, mentions
 * (answered in a thread), the /gnlc command, buttons and the App Home all become Turns; Replies come
 * back as Block Kit. Slack retries and duplicate event ids are dropped, bots are ignored, and Web API
 * failures are retried by the client (rate limits honour Retry-After) or logged, never thrown.
 */
export class SlackChannel {
  readonly app: App;
  readonly notifier: SlackNotifier;
  readonly blocks: BlockRenderer;
  private readonly users: SlackUsers;
  /** Presses on untracked messages: one per message (the first wins). */
  private readonly pressed = new RecentIds();
  /** Presses on tracked messages, remembered for a few seconds only: a double click, not a second person. */
  private readonly trackedPresses = new RecentIds(5_000);
  private readonly log: Logger;
  private readonly guard: SlackGuard;
  private active = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly deps: SlackChannelDeps) {
    const { settings } = deps;
    this.log = deps.log.child({ channel: 'slack' });
    this.guard = new SlackGuard({ seen: deps.seen, limits: deps.limits, knows: deps.knows, log: this.log });
    const logger = boltLogger(this.log);
    const clientOptions = {
      slackApiUrl: settings.apiUrl,
      retryConfig: deps.retryConfig ?? { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 30_000 },
    };
    if (settings.mode === 'socket') {
      // The receiver's own client opens the connection (apps.connections.open): it gets SLACK_API_URL too.
      const receiver = new SocketModeReceiver({
        appToken: settings.appToken!,
        logger,
        installerOptions: { clientOptions: { slackApiUrl: settings.apiUrl } },
      });
      this.app = new App({ token: settings.botToken, receiver, logger, clientOptions });
    } else {
      if (!deps.server) throw new Error('Slack HTTP mode needs the HTTP server');
      const receiver = slackHttpReceiver({
        server: deps.server,
        settings,
        limits: deps.limits,
        unackedTimeoutMs: deps.unackedTimeoutMs,
        log: this.log,
        logger,
      });
      this.app = new App({ token: settings.botToken, receiver, logger, clientOptions });
    }
    this.blocks = new BlockRenderer(deps.t);
    this.users = new SlackUsers(this.app.client, this.log);
    this.notifier = new SlackNotifier(this.app.client, this.blocks);
    this.listen();
  }

  /** Connects in Socket Mode; in HTTP mode the endpoint is already mounted and this does nothing. */
  async start(): Promise<void> {
    if (this.deps.settings.mode === 'socket') await this.app.start();
  }

  /** Stops after the turns under way have been answered (graceful shutdown). */
  async stop(): Promise<void> {
    await this.idle();
    if (this.deps.settings.mode === 'socket') await this.app.stop();
  }

  /** Resolves once no event is being handled (every reply of the turns under way has been posted). */
  async idle(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    if (this.active > 0) await new Promise<void>((r) => this.idleWaiters.push(r));
  }

  private listen(): void {
    const app = this.app;
    app.use(async (args) => {
      const { body, next } = args;
      // A request no listener of the app takes (a shortcut, a view, another app's command or buttons) is
      // acknowledged and dropped here: left alone, Bolt would answer it with a 404 after 3 s and log an error.
      const ack = (args as { ack?: () => Promise<void> }).ack;
      if (ack && !this.isOurs(body as Record<string, unknown>)) return ack();
      this.active++;
      try {
        const verdict = await this.guard.check(body as Record<string, unknown>, args.context as GuardContext);
        if (verdict !== 'ok') {
          await ack?.();
          if (verdict === 'tell') await this.tellTooFast(personOf(body as Record<string, unknown>)!);
          return;
        }
        await next();
      } finally {
        if (--this.active === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      }
    });

    app.event('message', async ({ event, context, client }) => {
      const m = event as unknown as InboundMessage;
      // Only what people type in the app's DM: no edits, joins or other subtypes, nothing from bots.
      if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user) return;
      const turn = await this.turn(
        m.user,
        { id: m.channel, direct: true },
        await this.typed(m.text, context.botUserId),
      );
      await this.reply(client, m.channel, turn, m.thread_ts);
    });

    app.event('app_mention', async ({ event, context, client }) => {
      const m = event as unknown as InboundMessage;
      if (m.bot_id || !m.user) return;
      const turn = await this.turn(
        m.user,
        { id: m.channel, direct: false },
        await this.typed(m.text, context.botUserId),
      );
      await this.reply(client, m.channel, turn, m.thread_ts ?? m.ts);
    });

    app.event('app_home_opened', async ({ event, client }) => {
      if (event.tab === 'home') await this.publishHome(client, event.user);
    });

    app.action<BlockAction>({ type: 'block_actions', action_id: /^gnlc:/ }, async ({ ack, body, action, client }) => {
      await ack();
      const parsed = parseActionId(action.action_id);
      if (!parsed) return;
      let value: string | undefined;
      let chosen = '';
      if (action.type === 'button') [value, chosen] = [action.value, action.text?.text ?? ''];
      else if (action.type === 'static_select')
        [value, chosen] = [action.selected_option?.value, action.selected_option?.text.text ?? ''];
      const press = { action: { id: parsed.id, value, confirmed: parsed.confirmed || undefined } };
      const userId = body.user.id;
      if (body.message && body.channel) {
        const channel = body.channel.id;
        if (action.block_id?.startsWith(TRACKED_BLOCK)) {
          // A tracked message (an application card) is the core's to redraw (Notifier.update), and its
          // buttons stay live for the others in the room when a press changes nothing (not an endorser,
          // a reason still to type): only a double click of the same button by the same person is dropped.
          if (
            !this.trackedPresses.firstTime(`${channel}:${body.message.ts}:${userId}:${action.action_id}:${value ?? ''}`)
          )
            return;
        } else {
          // One press per message: a double click or a second press on old buttons is dropped.
          if (!this.pressed.firstTime(`press:${channel}:${body.message.ts}`)) return;
          await this.call('chat.update', () =>
            client.chat.update({
              channel,
              ts: body.message!.ts,
              text: body.message!.text ?? '',
              blocks: resolvedBlocks((body.message!.blocks ?? []) as KnownBlock[], chosen),
            }),
          );
        }
        const turn = await this.turn(userId, { id: channel, direct: channel.startsWith('D') }, press);
        await this.reply(client, channel, turn, body.message.thread_ts);
      } else {
        // A button of the App Home: the conversation goes on in the app's DM, and the Home is refreshed.
        const turn = await this.turn(userId, { id: userId, direct: true }, press);
        await this.reply(client, userId, turn);
        await this.publishHome(client, userId);
      }
    });

    app.command(SLASH_COMMAND, async ({ ack, command, client, respond }) => {
      await ack();
      const turn = await this.turn(command.user_id, { id: command.user_id, direct: true }, slashTurn(command.text));
      // The answer goes to the app's DM, where the conversation (and a form) can go on.
      const { posted, lang } = await this.reply(client, command.user_id, turn);
      if (posted && posted !== command.channel_id) {
        await this.call('respond', () =>
          respond({ response_type: 'ephemeral', text: this.deps.t(lang, 'slack:answered_in_dm') }),
        );
      }
    });

    app.error(async (err) => {
      this.log.error({ err: err.message, code: (err as { code?: string }).code }, 'slack handler failed');
    });
  }

  /** Tells a person in the app's DM, in their language, to slow down. */
  private async tellTooFast(user: string): Promise<void> {
    const p = await this.users.get(user);
    const lang = this.deps.assistant.languageFor(p.locale);
    await this.call('chat.postMessage', () =>
      this.app.client.chat.postMessage({ channel: user, text: this.deps.t(lang, 'common:rate_limited') }),
    );
  }

  /** Whether a request that needs acknowledging is one of the app's listeners' (its buttons and menus, its command). */
  private isOurs(body: Record<string, unknown>): boolean {
    // Bolt hands a listener the first action of a press.
    if (body.type === 'block_actions')
      return String((body.actions as { action_id?: unknown }[] | undefined)?.[0]?.action_id).startsWith('gnlc:');
    return body.command === SLASH_COMMAND;
  }

  /** A neutral Turn from a Slack user, with their locale and time zone from users.info. */
  private async turn(
    userId: string,
    room: Turn['room'],
    what: Pick<Turn, 'text' | 'action' | 'mentions'>,
  ): Promise<Turn> {
    const p: SlackProfile = await this.users.get(userId);
    return {
      platform: 'slack',
      user: { id: userId, name: p.name, locale: p.locale, timeZone: p.timeZone },
      room,
      ...what,
    };
  }

  /**
   * What a person typed: the text as plainText gives it, and the people it mentions other than the bot,
   * named by the mention's label or else by users.info (cached; a failed lookup leaves the name out).
   */
  private async typed(
    raw: string | undefined,
    botUserId: string | undefined,
  ): Promise<Pick<Turn, 'text' | 'mentions'>> {
    const text = plainText(raw ?? '', botUserId);
    const found = mentionsIn(raw ?? '', botUserId);
    if (!found.length) return { text };
    const mentions = await Promise.all(
      found.map(async (m) => ({ id: m.id, name: m.name ?? (await this.users.get(m.id)).name })),
    );
    return { text, mentions: mentions.map((m) => (m.name ? m : { id: m.id })) };
  }

  /**
   * Runs the turn and posts the replies to `channel` (in a thread when `threadTs` is given); resolves
   * to the channel id Slack posted in (undefined when nothing could be posted) and the replies' language.
   */
  private async reply(
    client: WebClient,
    channel: string,
    turn: Turn,
    threadTs?: string,
  ): Promise<{ posted?: string; lang: Lang }> {
    let replies: Reply[];
    try {
      replies = await this.deps.assistant.handle(turn);
    } catch (err) {
      this.log.error({ err, user: turn.user.id }, 'turn failed');
      const lang = negotiateLocale(turn.user.locale) ?? 'en';
      replies = [{ lang, text: this.deps.t(lang, 'common:error') }];
    }
    let posted: string | undefined;
    for (const msg of this.blocks.messages(replies)) {
      const res = await this.call('chat.postMessage', () =>
        client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks, thread_ts: threadTs }),
      );
      if (!res) break;
      posted = res.channel;
    }
    return { posted, lang: replies[0]?.lang ?? 'en' };
  }

  private async publishHome(client: WebClient, userId: string): Promise<void> {
    const turn = await this.turn(userId, { id: userId, direct: true }, {});
    const replies = await this.deps.assistant.overview(turn);
    const title = this.deps.t(replies[0]!.lang, 'slack:home_title');
    const blocks: KnownBlock[] = [
      { type: 'header', text: { type: 'plain_text', text: title, emoji: true } },
      ...this.blocks.view(replies),
    ];
    await this.call('views.publish', () => client.views.publish({ user_id: userId, view: { type: 'home', blocks } }));
  }

  /** Calls the Web API; a failure left after the client's retries is logged with Slack's error code, never thrown. */
  private async call<T>(method: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      const e = err as { code?: string; data?: { error?: string }; message: string };
      this.log.error({ method, code: e.code, error: e.data?.error ?? e.message }, 'Slack Web API call failed');
      return undefined;
    }
  }
}
