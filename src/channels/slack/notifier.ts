import type { WebClient } from '@slack/web-api';
import { NotifyError, type Notifier, type Posted } from '../../core/notifier.ts';
import type { Reply } from '../../core/reply.ts';
import type { BlockRenderer } from './blocks.ts';

/**
 * Slack's errors meaning the bot cannot write there (removed from the channel, archived, unknown id) or,
 * for chat.update, can no longer edit that message (deleted, not its own, the workspace's edit window).
 */
const UNREACHABLE = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'user_not_found',
  'account_inactive',
  'cannot_dm_bot',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
]);

/** `slack:room:<channel id>` or `slack:user:<user id>`. */
const ADDRESS = /^slack:(room|user):([A-Z0-9]+)$/;
/** The id of a posted message: `<channel id>/<ts>` (the channel Slack answered with: a DM's D… id for a user). */
const MESSAGE_ID = /^([A-Z0-9]+)\/(\d+\.\d+)$/;

/** Proactive messages on Slack: `slack:room:<channel id>` or `slack:user:<user id>` (the app's DM with them). */
export class SlackNotifier implements Notifier {
  readonly platform = 'slack' as const;

  constructor(
    private readonly client: WebClient,
    private readonly blocks: BlockRenderer,
  ) {}

  /**
   * Posts every message of `replies` in order; each Posted id is `<channel>/<ts>` with the channel from
   * Slack's answer, since posting to a user id lands in the DM, whose id differs (chat.update needs it).
   */
  async send(key: string, replies: Reply[]): Promise<Posted[]> {
    const m = ADDRESS.exec(key);
    if (!m) throw new NotifyError('unknown_address', `not a Slack address: ${key}`);
    const posted: Posted[] = [];
    for (const msg of this.blocks.messages(replies)) {
      const res = await this.api(key, () =>
        this.client.chat.postMessage({ channel: m[2]!, text: msg.text, blocks: msg.blocks }),
      );
      if (!res.ts) throw new Error(`${key}: chat.postMessage answered without a message ts`);
      posted.push({ key, id: `${res.channel ?? m[2]!}/${res.ts}` });
    }
    return posted;
  }

  /**
   * Replaces a message posted by `send` with `reply`. A tracked card renders to one message; should a
   * reply ever need more, only the first message's worth fits in place: the rest (including buttons,
   * which come last) is left out, since one Slack message cannot grow into several.
   */
  async update(posted: Posted, reply: Reply): Promise<void> {
    const id = MESSAGE_ID.exec(posted.id);
    if (!ADDRESS.test(posted.key) || !id)
      throw new NotifyError('unknown_address', `not a Slack message: ${posted.key} ${posted.id}`);
    const [first] = this.blocks.message(reply);
    if (!first) return;
    await this.api(posted.key, () =>
      this.client.chat.update({ channel: id[1]!, ts: id[2]!, text: first.text, blocks: first.blocks }),
    );
  }

  /** A Web API call; Slack's "cannot write there" errors become NotifyError, anything else is rethrown. */
  private async api<T>(key: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      if (code && UNREACHABLE.has(code)) throw new NotifyError('not_reachable', `${key}: ${code}`);
      throw err;
    }
  }
}
