/**
 * Where the bot can write later (proactive messages): the conversation reference of each user and room the bot
 * hears from, stored under its address keys once per process and key, trimmed to what botbuilder needs.
 */
import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { ADDRESS_VERSION, type Store } from '../../core/records.ts';
import type { Logger } from '../../log.ts';
import { RecentIds } from '../recent-ids.ts';
import { addressKeys, baseConversationId, type BotPlatform } from './activity.ts';

export class TeamsReferences {
  private readonly known = new RecentIds(24 * 3_600_000, 100_000);

  constructor(private readonly deps: { store: Store; log: Logger; now?: () => Date; platform: BotPlatform }) {}

  /** Stores the conversation reference under the activity's address keys, once per process and key. */
  async remember(a: Partial<Activity>): Promise<void> {
    const keys = addressKeys(a, this.deps.platform).filter((k) => this.known.firstTime(k));
    if (!keys.length) return;
    const ref = storedReference(a);
    const updatedAt = (this.deps.now?.() ?? new Date()).toISOString();
    try {
      for (const key of keys) {
        await this.deps.store.addresses.put({
          version: ADDRESS_VERSION,
          key,
          platform: this.deps.platform,
          ref: JSON.parse(JSON.stringify(ref)),
          updatedAt,
        });
      }
    } catch (err) {
      this.deps.log.error({ err, keys }, 'teams: could not store the conversation reference');
    }
  }
}

/** A name as stored: at most 200 characters (an activity may carry anything; an address stays small). */
const short = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : undefined);

/**
 * The conversation reference kept for proactive messages: only the fields botbuilder needs to write there
 * (who, which bot, which conversation, through which service), never the rest of the activity.
 */
function storedReference(a: Partial<Activity>): Partial<ConversationReference> {
  const ref = TurnContext.getConversationReference(a) as Partial<ConversationReference>;
  const c = ref.conversation;
  const u = ref.user;
  return {
    channelId: ref.channelId,
    serviceUrl: ref.serviceUrl,
    locale: short(ref.locale),
    bot: ref.bot && { id: ref.bot.id, name: short(ref.bot.name) ?? '' },
    user: u && {
      id: u.id,
      name: short(u.name) ?? '',
      ...(u.aadObjectId ? { aadObjectId: u.aadObjectId } : {}),
      ...(u.role ? { role: u.role } : {}),
    },
    conversation: c && {
      id: baseConversationId(c.id ?? ''),
      isGroup: c.isGroup,
      conversationType: short(c.conversationType) ?? '',
      name: short(c.name) ?? '',
      ...(c.tenantId ? { tenantId: short(c.tenantId) } : {}),
    },
  };
}
