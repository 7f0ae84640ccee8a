/**
 * The botbuilder adapter of the web chat: the bot (the Teams bot, see channels/teams/bot.ts) runs its turns
 * through it as through Teams' CloudAdapter, and what it sends lands in the conversation's transcript, where
 * the page reads it, instead of going to a connector.
 */
import { type Activity, BotAdapter, type ConversationReference, type ResourceResponse, TurnContext } from 'botbuilder';
import type { Transcripts } from './transcripts.ts';

/** The bot as the page sees it. */
export const WEB_BOT = { id: 'gnlc', name: 'GNLC', role: 'bot' } as const;
/** The channel id of web chat activities (botbuilder needs one; the platform comes from the endpoint). */
export const WEB_CHANNEL_ID = 'webchat';

export class WebAdapter extends BotAdapter {
  constructor(
    private readonly transcripts: Transcripts,
    private readonly now: () => Date,
  ) {
    super();
  }

  /** Runs `logic` on an activity that came in through the endpoint. */
  async process(activity: Partial<Activity>, logic: (ctx: TurnContext) => Promise<void>): Promise<void> {
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  async sendActivities(ctx: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const t = this.transcripts.get(ctx.activity.conversation?.id ?? '');
    return activities.map((a) => {
      // An invoke's answer and a pause are the connector's business; the page never sees them.
      if (!t || a.type === 'invokeResponse' || a.type === 'delay') return { id: '' };
      const { replyToId: _reply, ...rest } = a;
      return {
        id: this.transcripts.append(t, {
          ...rest,
          from: WEB_BOT,
          recipient: { id: t.user, name: '', role: 'user' },
          conversation: { id: t.id, isGroup: false, conversationType: 'personal', name: '' },
          channelId: WEB_CHANNEL_ID,
          timestamp: this.now(),
        }),
      };
    });
  }

  async updateActivity(ctx: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | undefined> {
    const t = this.transcripts.get(ctx.activity.conversation?.id ?? '');
    if (!t || !activity.id) return;
    this.transcripts.replace(t, { ...activity, from: WEB_BOT, channelId: WEB_CHANNEL_ID });
  }

  async deleteActivity(): Promise<void> {
    // The bot never deletes what it said.
  }

  /** Proactive messages (a notice to the applicant): a turn in the conversation `reference` names. */
  async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: 'event', name: 'continueConversation' },
      reference,
      true,
    );
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
