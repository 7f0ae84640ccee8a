/** What the bot sends: Replies as new messages, a message replaced in place, and invoke responses. */
import type { InvokeResponse, ResourceResponse, TurnContext } from 'botbuilder';
import type { Reply } from '../../core/reply.ts';
import type { Translate } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';
import { activitySize, MAX_ACTIVITY_BYTES, renderActivities } from './cards.ts';
import { cardKey, type OneShotCards } from './one-shot.ts';

export class TeamsSender {
  constructor(private readonly deps: { t: Translate; log: Logger; cards: OneShotCards }) {}

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
    let i = 0;
    rendered.forEach((group, k) => {
      // The reply's own card (text, buttons) is its first activity; the rest are file parts.
      const res = sent[i];
      if (res?.id) this.deps.cards.sentCard(cardKey(ctx.activity.conversation?.id, res.id), replies[k]!);
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
    this.deps.cards.replacedCard(cardKey(ctx.activity.conversation?.id, id), reply);
  }
}

/** Answers an invoke (its HTTP status and body). */
export async function invokeResponse(ctx: TurnContext, value: InvokeResponse): Promise<void> {
  await ctx.sendActivity({ type: 'invokeResponse', value });
}
