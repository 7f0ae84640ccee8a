import type { App } from '@slack/bolt';
import type { Assistant } from '../../core/assistant.ts';
import type { SeenRepo } from '../../core/records.ts';
import type { Translate } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';
import type { Limits } from '../limits.ts';
import { BlockRenderer } from './blocks.ts';
import { personOf, SlackGuard, type GuardContext } from './guard.ts';
import { SLASH_COMMAND } from './http.ts';
import { SlackHome } from './home.ts';
import { SlackListeners } from './listeners.ts';
import { SlackNotifier } from './notifier.ts';
import { boltApp, type SlackConnection } from './receiver.ts';
import { SlackTurns } from './turns.ts';
import { SlackUsers } from './users.ts';

export { SLACK_EVENTS_PATH, SLASH_COMMAND } from './http.ts';
export { slashTurn } from './bolt.ts';

/** What the Slack channel needs (how it connects: see SlackConnection). */
export interface SlackChannelDeps extends SlackConnection {
  assistant: Assistant;
  t: Translate;
  log: Logger;
  /** Where the ids of handled events and requests are kept across restarts (a replay is dropped). */
  seen: SeenRepo;
  /** The endpoints' abuse limits (none when absent: tests of other things). */
  limits?: Limits;
  /** Whether the store knows a person (a conversation under their key): new people count against a limit. */
  knows?: (userKey: string) => Promise<boolean>;
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
  private readonly turns: SlackTurns;
  private readonly log: Logger;
  private readonly guard: SlackGuard;
  private active = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly deps: SlackChannelDeps) {
    this.log = deps.log.child({ channel: 'slack' });
    this.guard = new SlackGuard({ seen: deps.seen, limits: deps.limits, knows: deps.knows, log: this.log });
    this.app = boltApp({ ...deps, log: this.log });
    this.blocks = new BlockRenderer(deps.t);
    const users = new SlackUsers(this.app.client, this.log);
    this.notifier = new SlackNotifier(this.app.client, this.blocks);
    const { assistant, t } = deps;
    this.turns = new SlackTurns({ assistant, t, log: this.log, client: this.app.client, users, blocks: this.blocks });
    const home = new SlackHome({ assistant, t, log: this.log, turns: this.turns, blocks: this.blocks });
    this.gate();
    new SlackListeners({ t, log: this.log, turns: this.turns, home }).listen(this.app);
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

  /** What reaches the listeners: requests of ours, neither seen before nor over the limits, counted while handled. */
  private gate(): void {
    this.app.use(async (args) => {
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
          if (verdict === 'tell') await this.turns.tellTooFast(personOf(body as Record<string, unknown>)!);
          return;
        }
        await next();
      } finally {
        if (--this.active === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      }
    });
  }

  /** Whether a request that needs acknowledging is one of the app's listeners' (its buttons and menus, its command). */
  private isOurs(body: Record<string, unknown>): boolean {
    // Bolt hands a listener the first action of a press.
    if (body.type === 'block_actions')
      return String((body.actions as { action_id?: unknown }[] | undefined)?.[0]?.action_id).startsWith('gnlc:');
    return body.command === SLASH_COMMAND;
  }
}
