/** Turns from Slack users, run through the core, and their Replies posted back as Block Kit. */
import type { WebClient } from '@slack/web-api';
import type { Assistant } from '../../core/assistant.ts';
import { negotiateLocale, type Lang } from '../../core/lang.ts';
import type { Reply } from '../../core/reply.ts';
import type { Turn } from '../../core/turn.ts';
import type { Translate } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';
import type { BlockRenderer } from './blocks.ts';
import { mentionsIn, plainText } from './mrkdwn.ts';
import type { SlackProfile, SlackUsers } from './users.ts';
import { callWebApi } from './web-api.ts';

export class SlackTurns {
  constructor(
    private readonly deps: {
      assistant: Assistant;
      t: Translate;
      log: Logger;
      /** The app's own client (the listeners' client posts their replies). */
      client: WebClient;
      users: SlackUsers;
      blocks: BlockRenderer;
    },
  ) {}

  /** A neutral Turn from a Slack user, with their locale and time zone from users.info. */
  async turn(userId: string, room: Turn['room'], what: Pick<Turn, 'text' | 'action' | 'mentions'>): Promise<Turn> {
    const p: SlackProfile = await this.deps.users.get(userId);
    return {
      platform: 'slack',
      user: { id: userId, name: p.name, locale: p.locale, timeZone: p.timeZone },
      room,
      ...what,
    };
  }

  /**
   * What a person typed: the text as plainText gives it, and the people it mentions other than the bot,
   * named by the mention's label or else by users.info (cached; a failed lookup leaves the name out).
   */
  async typed(raw: string | undefined, botUserId: string | undefined): Promise<Pick<Turn, 'text' | 'mentions'>> {
    const text = plainText(raw ?? '', botUserId);
    const found = mentionsIn(raw ?? '', botUserId);
    if (!found.length) return { text };
    const mentions = await Promise.all(
      found.map(async (m) => ({ id: m.id, name: m.name ?? (await this.deps.users.get(m.id)).name })),
    );
    return { text, mentions: mentions.map((m) => (m.name ? m : { id: m.id })) };
  }

  /**
   * Runs the turn and posts the replies to `channel` (in a thread when `threadTs` is given); resolves
   * to the channel id Slack posted in (undefined when nothing could be posted) and the replies' language.
   */
  async reply(
    client: WebClient,
    channel: string,
    turn: Turn,
    threadTs?: string,
  ): Promise<{ posted?: string; lang: Lang }> {
    let replies: Reply[];
    try {
      replies = await this.deps.assistant.handle(turn);
    } catch (err) {
      this.deps.log.error({ err, user: turn.user.id }, 'turn failed');
      const lang = negotiateLocale(turn.user.locale) ?? 'en';
      replies = [{ lang, text: this.deps.t(lang, 'common:error') }];
    }
    let posted: string | undefined;
    for (const msg of this.deps.blocks.messages(replies)) {
      const res = await callWebApi(this.deps.log, 'chat.postMessage', () =>
        client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks, thread_ts: threadTs }),
      );
      if (!res) break;
      posted = res.channel;
    }
    return { posted, lang: replies[0]?.lang ?? 'en' };
  }

  /** Tells a person in the app's DM, in their language, to slow down. */
  async tellTooFast(user: string): Promise<void> {
    const p = await this.deps.users.get(user);
    const lang = this.deps.assistant.languageFor(p.locale);
    await callWebApi(this.deps.log, 'chat.postMessage', () =>
      this.deps.client.chat.postMessage({ channel: user, text: this.deps.t(lang, 'common:rate_limited') }),
    );
  }
}
