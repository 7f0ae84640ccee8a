import type { ConversationReference, ResourceResponse, TurnContext } from 'botbuilder';
import { NotifyError, type Notifier, type Posted } from '../../core/notifier.ts';
import type { Reply } from '../../core/reply.ts';
import type { Store } from '../../core/records.ts';
import type { TeamsAdapter } from './adapter.ts';
import type { TeamsSender } from './sender.ts';

/**
 * Proactive messages to Teams: looks up the conversation reference stored under a key such as
 * `teams:user:<aadObjectId>` or `teams:room:<conversation id>` and continues that conversation.
 */
export class TeamsNotifier implements Notifier {
  readonly platform = 'teams' as const;

  constructor(private readonly deps: { adapter: TeamsAdapter; sender: TeamsSender; store: Store; appId: string }) {}

  /**
   * Sends `replies` (rendered as for a turn, pressable cards included) as new messages; resolves to one
   * Posted per activity sent, in order, with the id the connector gave it (a reply with files may take
   * several activities; its own card is the first). NotifyError when unknown or unreachable.
   */
  async send(key: string, replies: Reply[]): Promise<Posted[]> {
    let sent: ResourceResponse[] = [];
    await this.continue(key, async (ctx) => {
      // A new message, not a reply to the continuation event's made-up id (POST …/activities, not …/activities/{id}).
      ctx.onSendActivities((_ctx, activities, next) => {
        for (const a of activities) delete a.replyToId;
        return next();
      });
      sent = await this.deps.sender.send(ctx, replies);
    });
    return sent.map((res) => ({ key, id: res?.id ?? '' }));
  }

  /**
   * Replaces a message posted by `send` with `reply` (PUT …/activities/{id} in the conversation stored under
   * `posted.key`); a reply without actions leaves no buttons. NotifyError when unknown or unreachable.
   */
  async update(posted: Posted, reply: Reply): Promise<void> {
    if (!posted.id) throw new NotifyError('not_reachable', `no Teams message id to update under ${posted.key}`);
    await this.continue(posted.key, async (ctx) => {
      ctx.onUpdateActivity((_ctx, activity, next) => {
        delete activity.replyToId;
        return next();
      });
      await this.deps.sender.replace(ctx, posted.id, reply);
    });
  }

  /** Runs `logic` in the conversation stored under `key`. */
  private async continue(key: string, logic: (ctx: TurnContext) => Promise<void>): Promise<void> {
    const address = await this.deps.store.addresses.get(key);
    if (address?.platform !== 'teams')
      throw new NotifyError('unknown_address', `no Teams conversation stored under ${key}`);
    const ref = address.ref as Partial<ConversationReference>;
    try {
      await this.deps.adapter.continueConversationAsync(this.deps.appId, ref, logic);
    } catch (err) {
      // The connector already retried 429/5xx; what is left (403 bot removed, 404 conversation gone …) is final.
      throw new NotifyError('not_reachable', `Teams conversation ${key} not reachable: ${(err as Error).message}`);
    }
  }
}
