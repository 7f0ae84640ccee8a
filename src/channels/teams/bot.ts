import { LRUCache } from 'lru-cache';
import {
  INVOKE_RESPONSE_KEY,
  type Activity,
  type InvokeResponse,
  type ResourceResponse,
  type TurnContext,
} from 'botbuilder';
import type { Assistant } from '../../core/assistant.ts';
import type { Lang } from '../../core/lang.ts';
import { buttons, type Reply } from '../../core/reply.ts';
import type { Translate } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';
import type { Store } from '../../core/records.ts';
import { TeamsReferences } from './references.ts';
import { baseConversationId, cardData, localeOf, turnBase, typedText, userId, type CardData } from './activity.ts';
import {
  activitySize,
  CARD_CONTENT_TYPE,
  chosenLabel,
  isOneShot,
  MAX_ACTIVITY_BYTES,
  renderActivities,
} from './cards.ts';

/** What the Teams bot needs. */
export interface TeamsBotDeps {
  assistant: Assistant;
  t: Translate;
  store: Store;
  log: Logger;
  now?: () => Date;
}

/** The invoke names the bot answers; any other invoke is refused with a 400 by the endpoint. */
export const HANDLED_INVOKES = new Set(['adaptiveCard/action']);

/** The outcome of the one-shot guard for a press (see TeamsBot.claim). */
interface Claim {
  /** A second press of a card already pressed: dropped. */
  repeat: boolean;
  /** `<conversation>|<card activity id>` of a card this process sent. */
  key?: string;
  /** The entry of the press in the guard (per card, and per person for a tracked card). */
  guard?: string;
  /** The Reply the card was rendered from. */
  card?: Reply;
  /** The label of what was chosen. */
  chosen?: string;
  /** How often the core had replaced the card when it was pressed. */
  replaced?: number;
}

/**
 * The Teams side of a turn: translates activities into Turns for the core, renders its Replies as
 * Adaptive Cards, refreshes pressed cards in place (except those the core keeps up to date itself),
 * greets on install, stores conversation references for proactive messages, and tells the user when
 * a turn failed instead of leaving them without an answer.
 */
export class TeamsBot {
  /** The Replies behind recently sent one-shot cards, so a pressed card can be redrawn without its buttons. */
  private readonly sent = new LRUCache<string, Reply>({ max: 20_000 });
  /** Card activities whose one-shot buttons were already pressed (a double click, a retried submit). */
  private readonly pressed = new LRUCache<string, true>({ max: 100_000, ttl: 7 * 24 * 3_600_000 });
  /**
   * Cards the core replaced (Notifier.update → replace): how often (did a press lead to a redraw?) and how
   * often with buttons drawn anew (new buttons are pressable again).
   */
  private readonly replaced = new LRUCache<string, { times: number; buttons: number }>({ max: 20_000 });
  /** Address keys already written by this process: one store write per conversation, not per turn. */
  private readonly references: TeamsReferences;

  constructor(private readonly deps: TeamsBotDeps) {
    this.references = new TeamsReferences(deps);
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
      await this.failed(ctx, err);
    }
  }

  private async dispatch(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    switch (a.type) {
      case 'message':
        return this.onMessage(ctx);
      case 'conversationUpdate':
        // Teams and the Emulator list the bot itself among membersAdded when it is installed or the chat opens.
        if (a.membersAdded?.some((m) => m.id === a.recipient?.id)) {
          await this.references.remember(a);
          const lang = this.deps.assistant.languageFor(localeOf(a));
          await this.send(ctx, [this.deps.assistant.greeting(lang)]);
        }
        return;
      case 'installationUpdate':
        if (String(a.action ?? '').startsWith('add')) await this.references.remember(a);
        return;
      case 'invoke':
        if (a.name === 'adaptiveCard/action') return this.onExecute(ctx);
        return;
      default:
        // typing, messageReaction, messageUpdate, event …: nothing to say.
        return;
    }
  }

  /**
   * Sends Replies as messages (a reply with files may take several) and remembers their cards; used for
   * answers and proactive messages alike. Resolves to the connector's answer for each activity sent, in order.
   */
  async send(ctx: TurnContext, replies: Reply[]): Promise<ResourceResponse[]> {
    const rendered = replies.map((r) => renderActivities(r, this.deps.t));
    const activities = rendered.flat();
    if (!activities.length) return [];
    for (const a of activities) {
      const size = activitySize(a);
      if (size > MAX_ACTIVITY_BYTES)
        this.deps.log.warn({ size, limit: MAX_ACTIVITY_BYTES }, 'teams: a message near or over the Teams size limit');
    }
    const sent = await ctx.sendActivities(activities);
    const conv = baseConversationId(ctx.activity.conversation?.id ?? '');
    let i = 0;
    rendered.forEach((group, k) => {
      // The reply's own card (text, buttons) is its first activity; the rest are file parts.
      const res = sent[i];
      const reply = replies[k]!;
      if (res?.id && isOneShot(reply)) this.sent.set(`${conv}|${res.id}`, reply);
      i += group.length;
    });
    return sent;
  }

  /**
   * Replaces the message `id` of the conversation of `ctx` with `reply` (Notifier.update): the card the
   * core keeps up to date, e.g. an application once decided. Presses on it are then judged by the new card.
   */
  async replace(ctx: TurnContext, id: string, reply: Reply): Promise<void> {
    const [activity, ...more] = renderActivities(reply, this.deps.t);
    if (more.length)
      this.deps.log.warn(
        { id, parts: more.length },
        'teams: an updated message holds only the files that fit in one message',
      );
    // An explicit empty list, not none, for a reply without a card: the old card (and its buttons) must not linger.
    await ctx.updateActivity({ ...activity, attachments: activity!.attachments ?? [], id });
    const key = `${baseConversationId(ctx.activity.conversation?.id ?? '')}|${id}`;
    const before = this.replaced.get(key) ?? { times: 0, buttons: 0 };
    this.replaced.set(key, { times: before.times + 1, buttons: before.buttons + (buttons(reply).length ? 1 : 0) });
    if (isOneShot(reply)) this.sent.set(key, reply);
    else this.sent.delete(key);
  }

  private async onMessage(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const remembering = this.references.remember(a);
    try {
      const data = cardData(a.value);
      if (!data) {
        await this.send(ctx, await this.deps.assistant.handle({ ...turnBase(a), text: typedText(a) }));
        return;
      }
      const claim = this.claim(a, data);
      if (claim.repeat) return;
      // Action.Submit: redraw the pressed card without its buttons while the core answers, unless the core
      // keeps that card up to date itself (a redraw of ours could land after its update).
      const redraw =
        claim.card && !claim.card.tracked
          ? ctx
              .updateActivity({
                ...renderActivities(claim.card, this.deps.t, { chosen: claim.chosen })[0],
                id: a.replyToId,
              })
              .catch((err: unknown) =>
                this.deps.log.warn({ err, card: a.replyToId }, 'teams: could not refresh the pressed card'),
              )
          : undefined;
      let replies: Reply[];
      try {
        replies = await this.press(a, data);
      } finally {
        await redraw;
        this.settle(claim);
      }
      await this.send(ctx, replies);
    } finally {
      await remembering;
    }
  }

  /**
   * Universal Actions (Action.Execute): the invoke's response replaces the card; the answers follow as
   * messages. A tracked card is answered with a message instead, which leaves the card as the core drew it.
   */
  private async onExecute(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const value = (a.value ?? {}) as { action?: { verb?: unknown; data?: unknown } };
    const data = cardData(value.action?.data, value.action?.verb);
    if (!data) {
      return this.invokeResponse(ctx, {
        status: 400,
        body: {
          statusCode: 400,
          type: 'application/vnd.microsoft.error',
          value: { code: 'BadRequest', message: 'The action has no verb or data.action.' },
        },
      });
    }
    const remembering = this.references.remember(a);
    let claim: Claim;
    try {
      claim = this.claim(a, data);
      if (!claim.repeat) {
        let replies: Reply[];
        try {
          replies = await this.press(a, data);
        } finally {
          this.settle(claim);
        }
        await this.send(ctx, replies);
      }
    } finally {
      await remembering;
    }
    const redrawn =
      claim.card && !claim.card.tracked
        ? renderActivities(claim.card, this.deps.t, { chosen: claim.chosen })[0]
        : undefined;
    const card = redrawn?.attachments?.[0]?.content;
    return this.invokeResponse(ctx, {
      status: 200,
      body: card
        ? { statusCode: 200, type: CARD_CONTENT_TYPE, value: card }
        : { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: claim.chosen ?? '' },
    });
  }

  /**
   * The one-shot guard of a pressed card (`replyToId`): a repeat press is refused; the first press gets the
   * card's Reply and the label of what was chosen, to redraw it. A card the core tracks (an application
   * before a commission) is guarded per person: one person's double click is dropped, while another
   * member's press still reaches the core, which tells them who decided first.
   */
  private claim(a: Partial<Activity>, data: CardData): Claim {
    if (!a.replyToId) return { repeat: false };
    const key = `${baseConversationId(a.conversation?.id ?? '')}|${a.replyToId}`;
    const card = this.sent.get(key);
    if (!card) return { repeat: false };
    const chosen = chosenLabel(card, data);
    const { times, buttons } = this.replaced.get(key) ?? { times: 0, buttons: 0 };
    const guard = `${key}#${buttons}${card.tracked ? `|${userId(a)}` : ''}`;
    if (this.pressed.has(guard)) {
      this.deps.log.debug({ card: a.replyToId }, 'teams: second press on a one-shot card ignored');
      return { repeat: true, key, card, chosen };
    }
    this.pressed.set(guard, true);
    return { repeat: false, key, guard, card, chosen, replaced: times };
  }

  /**
   * After a press on a tracked card: when the core did not replace the card meanwhile (it refused the press
   * or failed), the person may press again (and be told again, or succeed this time). A press that led to
   * the core's update keeps its guard: that person's second press is dropped.
   */
  private settle(claim: Claim): void {
    if (claim.repeat || !claim.key || !claim.guard || !claim.card?.tracked) return;
    if ((this.replaced.get(claim.key)?.times ?? 0) === claim.replaced) this.pressed.delete(claim.guard);
  }

  /** Runs a press through the core: one value, or a multi-select input's whole selection as `values`. */
  private press(a: Partial<Activity>, data: CardData): Promise<Reply[]> {
    const { action: id, value, multi } = data;
    const action = multi ? { id, values: (value ?? '').split(',').filter(Boolean) } : { id, value };
    return this.deps.assistant.handle({ ...turnBase(a), action });
  }

  private async invokeResponse(ctx: TurnContext, value: InvokeResponse): Promise<void> {
    await ctx.sendActivity({ type: 'invokeResponse', value });
  }

  /** A person over their rate limit, told once in their language to slow down; nothing they sent is handled. */
  async tooFast(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const lang = await this.languageOf(a);
    const text = this.deps.t(lang, 'common:rate_limited');
    await ctx.sendActivity({ type: 'message', text, textFormat: 'plain', locale: lang });
    if (a.type === 'invoke')
      await this.invokeResponse(ctx, {
        status: 200,
        body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text },
      });
  }

  /** A failed turn: logged, and the user told in their language; a card action still gets its 200 answer. */
  private async failed(ctx: TurnContext, err: unknown): Promise<void> {
    const a = ctx.activity;
    this.deps.log.error(
      { err, id: a.id, type: a.type, name: a.name, conversation: a.conversation?.id },
      'teams: turn failed',
    );
    const lang = await this.languageOf(a);
    const text = this.deps.t(lang, 'common:error');
    try {
      await ctx.sendActivity({ type: 'message', text, textFormat: 'plain', locale: lang });
    } catch (sendErr) {
      this.deps.log.warn(
        { err: sendErr, conversation: a.conversation?.id },
        'teams: could not tell the user that the turn failed',
      );
    }
    if (a.type === 'invoke' && !ctx.turnState.get(INVOKE_RESPONSE_KEY)) {
      await this.invokeResponse(ctx, {
        status: 200,
        body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text },
      });
    }
  }

  /** The language the user's conversation is in, else their locale's (the store may be what failed: then the locale's). */
  private languageOf(a: Partial<Activity>): Promise<Lang> {
    return this.deps.assistant.languageOfPerson(turnBase(a));
  }
}
