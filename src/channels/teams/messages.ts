/**
 * Messages and card actions as Turns for the core: typed text, Action.Submit (a message with the card's data)
 * and Action.Execute (an invoke), each press guarded as a one-shot and its card redrawn.
 */
import type { Activity, TurnContext } from 'botbuilder';
import type { Assistant } from '../../core/assistant.ts';
import type { Reply } from '../../core/reply.ts';
import type { Translate } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';
import { cardData, turnBase, typedText, type BotPlatform, type CardData } from './activity.ts';
import { CARD_CONTENT_TYPE, renderActivities } from './cards.ts';
import type { Claim, OneShotCards } from './one-shot.ts';
import type { TeamsReferences } from './references.ts';
import { invokeResponse, type TeamsSender } from './sender.ts';

export class TeamsMessages {
  constructor(
    private readonly deps: {
      assistant: Assistant;
      t: Translate;
      log: Logger;
      references: TeamsReferences;
      cards: OneShotCards;
      sender: TeamsSender;
      platform: BotPlatform;
    },
  ) {}

  async onMessage(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const { cards, sender } = this.deps;
    const remembering = this.deps.references.remember(a);
    try {
      const data = cardData(a.value);
      if (!data) {
        const turn = { ...turnBase(a, this.deps.platform), text: typedText(a) };
        await sender.send(ctx, await this.deps.assistant.handle(turn));
        return;
      }
      const claim = cards.claim(a, data);
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
        cards.settle(claim);
      }
      await sender.send(ctx, replies);
    } finally {
      await remembering;
    }
  }

  /**
   * Universal Actions (Action.Execute): the invoke's response replaces the card; the answers follow as
   * messages. A tracked card is answered with a message instead, which leaves the card as the core drew it.
   */
  async onExecute(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const { cards, sender } = this.deps;
    const value = (a.value ?? {}) as { action?: { verb?: unknown; data?: unknown } };
    const data = cardData(value.action?.data, value.action?.verb);
    if (!data) {
      return invokeResponse(ctx, {
        status: 400,
        body: {
          statusCode: 400,
          type: 'application/vnd.microsoft.error',
          value: { code: 'BadRequest', message: 'The action has no verb or data.action.' },
        },
      });
    }
    const remembering = this.deps.references.remember(a);
    let claim: Claim;
    try {
      claim = cards.claim(a, data);
      if (!claim.repeat) {
        let replies: Reply[];
        try {
          replies = await this.press(a, data);
        } finally {
          cards.settle(claim);
        }
        await sender.send(ctx, replies);
      }
    } finally {
      await remembering;
    }
    const redrawn =
      claim.card && !claim.card.tracked
        ? renderActivities(claim.card, this.deps.t, { chosen: claim.chosen })[0]
        : undefined;
    const card = redrawn?.attachments?.[0]?.content;
    return invokeResponse(ctx, {
      status: 200,
      body: card
        ? { statusCode: 200, type: CARD_CONTENT_TYPE, value: card }
        : { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: claim.chosen ?? '' },
    });
  }

  /** Runs a press through the core: one value, or a multi-select input's whole selection as `values`. */
  private press(a: Partial<Activity>, data: CardData): Promise<Reply[]> {
    const { action: id, value, multi } = data;
    const action = multi ? { id, values: (value ?? '').split(',').filter(Boolean) } : { id, value };
    return this.deps.assistant.handle({ ...turnBase(a, this.deps.platform), action });
  }
}
