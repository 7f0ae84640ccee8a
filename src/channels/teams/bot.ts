import type { TurnContext } from 'botbuilder';
import type { Assistant } from '../../core/assistant.ts';
import type { Translate } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';
import type { Store } from '../../core/records.ts';
import { TeamsReferences } from './references.ts';
import { localeOf, turnBase, type BotPlatform } from './activity.ts';
import { FailureReplies } from './failure-replies.ts';
import { TeamsMessages } from './messages.ts';
import { OneShotCards } from './one-shot.ts';
import { TeamsSender } from './sender.ts';

/** What the Teams bot needs. */
export interface TeamsBotDeps {
  assistant: Assistant;
  t: Translate;
  store: Store;
  log: Logger;
  now?: () => Date;
  /** Which endpoint the activities come through (default Teams): the people's and addresses' platform. */
  platform?: BotPlatform;
}

/** The invoke names the bot answers; any other invoke is refused with a 400 by the endpoint. */
export const HANDLED_INVOKES = new Set(['adaptiveCard/action']);

/**
 * The Teams side of a turn: translates activities into Turns for the core, renders its Replies as
 * Adaptive Cards, refreshes pressed cards in place (except those the core keeps up to date itself),
 * greets on install, stores conversation references for proactive messages, and tells the user when
 * a turn failed instead of leaving them without an answer.
 */
export class TeamsBot {
  /** Sends Replies and replaces the messages the core keeps up to date (answers and proactive messages alike). */
  readonly sender: TeamsSender;
  /** Address keys already written by this process: one store write per conversation, not per turn. */
  private readonly references: TeamsReferences;
  private readonly messages: TeamsMessages;
  private readonly failures: FailureReplies;

  constructor(private readonly deps: TeamsBotDeps) {
    const platform = deps.platform ?? 'teams';
    this.references = new TeamsReferences({ ...deps, platform });
    const cards = new OneShotCards(deps.log);
    const { assistant, t, log } = deps;
    this.sender = new TeamsSender({ t, log, cards });
    const references = this.references;
    this.messages = new TeamsMessages({ assistant, t, log, references, cards, sender: this.sender, platform });
    this.failures = new FailureReplies({ assistant, t, log, platform });
  }

  /**
   * Handles one authenticated activity inside the adapter's turn. An error (the core's, the store's, the
   * connector's) is logged and the user told, in their language, that nothing they entered is lost; the
   * turn then ends normally (HTTP 200, and a 200 invoke response for a card action).
   */
  async onTurn(ctx: TurnContext): Promise<void> {
    try {
      await this.dispatch(ctx);
    } catch (err) {
      await this.failures.failed(ctx, err);
    }
  }

  /**
   * A chat that opens on a page (the web chat): the welcome in the person's last language, with the draft they
   * have in progress and "continue", as the terminal greets.
   */
  async welcome(ctx: TurnContext): Promise<void> {
    try {
      const turn = turnBase(ctx.activity, this.deps.platform ?? 'teams');
      await this.sender.send(ctx, await this.deps.assistant.welcome(turn));
    } catch (err) {
      await this.failures.failed(ctx, err);
    }
  }

  /** A person over their rate limit, told once in their language to slow down; nothing they sent is handled. */
  tooFast(ctx: TurnContext): Promise<void> {
    return this.failures.tooFast(ctx);
  }

  private async dispatch(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    switch (a.type) {
      case 'message':
        return this.messages.onMessage(ctx);
      case 'conversationUpdate':
        // Teams and the Emulator list the bot itself among membersAdded when it is installed or the chat opens.
        if (a.membersAdded?.some((m) => m.id === a.recipient?.id)) {
          await this.references.remember(a);
          const lang = this.deps.assistant.languageFor(localeOf(a));
          await this.sender.send(ctx, [this.deps.assistant.greeting(lang)]);
        }
        return;
      case 'installationUpdate':
        if (String(a.action ?? '').startsWith('add')) await this.references.remember(a);
        return;
      case 'invoke':
        if (a.name === 'adaptiveCard/action') return this.messages.onExecute(ctx);
        return;
      default:
        // typing, messageReaction, messageUpdate, event …: nothing to say.
        return;
    }
  }
}
