import { LRUCache } from 'lru-cache';
import { TurnContext, type Activity, type ConversationReference, type InvokeResponse } from 'botbuilder';
import type { Assistant } from '../../core/assistant.ts';
import { INTAKE_ACTIONS } from '../../core/application/intake.ts';
import type { Reply } from '../../core/reply.ts';
import type { Turn } from '../../core/turn.ts';
import type { Translate } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';
import { STORE_VERSION, type Store } from '../../store/types.ts';
import { RecentIds } from '../recent-ids.ts';
import { addressKeys, baseConversationId, cardData, localeOf, turnBase, typedText, type CardData } from './activity.ts';
import { CARD_CONTENT_TYPE, chosenLabel, isOneShot, renderCard, renderReply } from './cards.ts';

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

/**
 * The Teams side of a turn: translates activities into Turns for the core, renders its Replies as
 * Adaptive Cards, refreshes pressed cards in place, greets on install and stores conversation
 * references for proactive messages.
 */
export class TeamsBot {
  /** The Replies behind recently sent one-shot cards, so a pressed card can be redrawn without its buttons. */
  private readonly sent = new LRUCache<string, Reply>({ max: 20_000 });
  /** Card activities whose one-shot buttons were already pressed (a double click, a retried submit). */
  private readonly pressed = new RecentIds(7 * 24 * 3_600_000, 100_000);
  /** Address keys already written by this process: one store write per conversation, not per turn. */
  private readonly known = new RecentIds(24 * 3_600_000, 100_000);

  constructor(private readonly deps: TeamsBotDeps) {}

  /** Handles one authenticated activity inside the adapter's turn. */
  async onTurn(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    switch (a.type) {
      case 'message':
        return this.onMessage(ctx);
      case 'conversationUpdate':
        // Teams and the Emulator list the bot itself among membersAdded when it is installed or the chat opens.
        if (a.membersAdded?.some((m) => m.id === a.recipient?.id)) {
          await this.remember(a);
          const lang = this.deps.assistant.languageFor(localeOf(a));
          await this.send(ctx, [this.deps.assistant.greeting(lang)]);
        }
        return;
      case 'installationUpdate':
        if (String(a.action ?? '').startsWith('add')) await this.remember(a);
        return;
      case 'invoke':
        if (a.name === 'adaptiveCard/action') return this.onExecute(ctx);
        return;
      default:
        // typing, messageReaction, messageUpdate, event …: nothing to say.
        return;
    }
  }

  /** Sends Replies as messages and remembers their cards; used for answers and proactive messages alike. */
  async send(ctx: TurnContext, replies: Reply[]): Promise<void> {
    if (!replies.length) return;
    const sent = await ctx.sendActivities(replies.map((r) => renderReply(r, this.deps.t)));
    const conv = baseConversationId(ctx.activity.conversation?.id ?? '');
    sent.forEach((res, i) => {
      const reply = replies[i]!;
      if (res?.id && isOneShot(reply)) this.sent.set(`${conv}|${res.id}`, reply);
    });
  }

  private async onMessage(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const remembering = this.remember(a);
    const data = cardData(a.value);
    if (!data) {
      await this.send(ctx, await this.deps.assistant.handle({ ...turnBase(a), text: typedText(a) }));
    } else {
      // Action.Submit: redraw the pressed card without its buttons while the core answers.
      const claim = this.claim(a, data);
      if (!claim.repeat) {
        const update = claim.card
          ? ctx.updateActivity({ ...renderReply(claim.card, this.deps.t, { chosen: claim.chosen }), id: a.replyToId })
            .catch((err: unknown) => this.deps.log.warn({ err, card: a.replyToId }, 'teams: could not refresh the pressed card'))
          : undefined;
        const replies = await this.press(a, data);
        await update;
        await this.send(ctx, replies);
      }
    }
    await remembering;
  }

  /** Universal Actions (Action.Execute): the invoke's response replaces the card; the answers follow as messages. */
  private async onExecute(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const value = (a.value ?? {}) as { action?: { verb?: unknown; data?: unknown } };
    const data = cardData(value.action?.data, value.action?.verb);
    if (!data) {
      return this.invokeResponse(ctx, { status: 400, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'The action has no verb or data.action.' } } });
    }
    const remembering = this.remember(a);
    const claim = this.claim(a, data);
    if (!claim.repeat) await this.send(ctx, await this.press(a, data));
    await remembering;
    const card = claim.card ? renderCard(claim.card, this.deps.t, { chosen: claim.chosen }) : undefined;
    return this.invokeResponse(ctx, {
      status: 200,
      body: card ? { statusCode: 200, type: CARD_CONTENT_TYPE, value: card } : { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: claim.chosen ?? '' },
    });
  }

  /**
   * The one-shot guard of a pressed card (`replyToId`): a repeat press of a form card is refused; the
   * first press gets the card's Reply and the label of what was chosen, to redraw it.
   */
  private claim(a: Partial<Activity>, data: CardData): { repeat: boolean; card?: Reply; chosen?: string } {
    if (!a.replyToId) return { repeat: false };
    const key = `${baseConversationId(a.conversation?.id ?? '')}|${a.replyToId}`;
    const card = this.sent.get(key);
    if (!card) return { repeat: false };
    const chosen = chosenLabel(card, data);
    if (!this.pressed.firstTime(key)) {
      this.deps.log.debug({ card: a.replyToId }, 'teams: second press on a one-shot card ignored');
      return { repeat: true, card, chosen };
    }
    return { repeat: false, card, chosen };
  }

  /**
   * Runs a press through the core. A multi-select submit is the core's toggles (one `choose` per changed
   * choice) followed by "Done"; only the last turn's replies are shown.
   */
  private async press(a: Partial<Activity>, data: CardData): Promise<Reply[]> {
    const base = turnBase(a);
    const turn = (id: string, value?: string): Turn => ({ ...base, action: { id, value } });
    if (data.picked === undefined) return this.deps.assistant.handle(turn(data.action, data.value));
    const selected = new Set((data.value ?? '').split(',').filter(Boolean));
    const before = new Set(data.picked);
    for (const v of [...selected].filter((v) => !before.has(v)).concat([...before].filter((v) => !selected.has(v)))) {
      await this.deps.assistant.handle(turn(INTAKE_ACTIONS.choose, v));
    }
    return this.deps.assistant.handle(turn(INTAKE_ACTIONS.done));
  }

  private async invokeResponse(ctx: TurnContext, value: InvokeResponse): Promise<void> {
    await ctx.sendActivity({ type: 'invokeResponse', value });
  }

  /** Stores the conversation reference under the activity's address keys, once per process and key. */
  private async remember(a: Partial<Activity>): Promise<void> {
    const keys = addressKeys(a).filter((k) => this.known.firstTime(k));
    if (!keys.length) return;
    const ref = TurnContext.getConversationReference(a) as Partial<ConversationReference>;
    delete ref.activityId;
    ref.conversation = { ...ref.conversation!, id: baseConversationId(ref.conversation?.id ?? '') };
    const updatedAt = (this.deps.now?.() ?? new Date()).toISOString();
    try {
      for (const key of keys) {
        await this.deps.store.addresses.put({ version: STORE_VERSION, key, platform: 'teams', ref: JSON.parse(JSON.stringify(ref)), updatedAt });
      }
    } catch (err) {
      this.deps.log.error({ err, keys }, 'teams: could not store the conversation reference');
    }
  }
}
