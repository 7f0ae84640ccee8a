import type { WebClient } from '@slack/web-api';
import { NotifyError, type Notifier } from '../../core/notifier.ts';
import type { Reply } from '../../core/reply.ts';
import type { BlockRenderer } from './blocks.ts';

/** Slack's errors meaning the bot cannot write there (removed from the channel, archived, unknown id). */
const UNREACHABLE = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'user_not_found', 'account_inactive', 'cannot_dm_bot']);

/** Proactive messages on Slack: `slack:room:<channel id>` or `slack:user:<user id>` (the app's DM with them). */
export class SlackNotifier implements Notifier {
  readonly platform = 'slack' as const;

  constructor(
    private readonly client: WebClient,
    private readonly blocks: BlockRenderer,
  ) {}

  async send(key: string, replies: Reply[]): Promise<void> {
    const m = /^slack:(room|user):([A-Z0-9]+)$/.exec(key);
    if (!m) throw new NotifyError('unknown_address', `not a Slack address: ${key}`);
    for (const msg of this.blocks.messages(replies)) {
      try {
        await this.client.chat.postMessage({ channel: m[2]!, text: msg.text, blocks: msg.blocks });
      } catch (err) {
        const code = (err as { data?: { error?: string } }).data?.error;
        if (code && UNREACHABLE.has(code)) throw new NotifyError('not_reachable', `${key}: ${code}`);
        throw err;
      }
    }
  }
}
