import type { ConversationReference } from 'botbuilder';
import { NotifyError, type Notifier } from '../../core/notifier.ts';
import type { Reply } from '../../core/reply.ts';
import type { Store } from '../../store/types.ts';
import type { TeamsAdapter } from './adapter.ts';
import type { TeamsBot } from './bot.ts';

/**
 * Proactive messages to Teams: looks up the conversation reference stored under a key such as
 * `teams:user:<aadObjectId>` or `teams:room:<conversation id>` and continues that conversation.
 */
export class TeamsNotifier implements Notifier {
  readonly platform = 'teams' as const;

  constructor(
    private readonly deps: { adapter: TeamsAdapter; bot: TeamsBot; store: Store; appId: string },
  ) {}

  /** Sends `replies` (rendered as for a turn, pressable cards included); NotifyError when unknown or unreachable. */
  async send(key: string, replies: Reply[]): Promise<void> {
    const address = await this.deps.store.addresses.get(key);
    if (!address || address.platform !== 'teams') throw new NotifyError('unknown_address', `no Teams conversation stored under ${key}`);
    const ref = address.ref as Partial<ConversationReference>;
    try {
      await this.deps.adapter.continueConversationAsync(this.deps.appId, ref, (ctx) => {
        // A new message, not a reply to the continuation event's made-up id (POST …/activities, not …/activities/{id}).
        ctx.onSendActivities((_ctx, activities, next) => {
          for (const a of activities) delete a.replyToId;
          return next();
        });
        return this.deps.bot.send(ctx, replies);
      });
    } catch (err) {
      // The connector already retried 429/5xx; what is left (403 bot removed, 404 conversation gone …) is final.
      throw new NotifyError('not_reachable', `Teams conversation ${key} not reachable: ${(err as Error).message}`);
    }
  }
}
