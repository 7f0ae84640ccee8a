import type { WebClient } from '@slack/web-api';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../log.ts';

/** What Slack tells about a user that the bot uses: language, time zone, name. */
export interface SlackProfile {
  locale?: string;
  timeZone?: string;
  name?: string;
}

/**
 * Slack users' locale and time zone from `users.info` with `include_locale` (scope users:read), cached
 * for an hour so a conversation costs one lookup; concurrent lookups of one user share one call. When
 * the lookup fails the user is answered anyway (language from the text) and asked again after a minute.
 */
export class SlackUsers {
  private readonly cache: LRUCache<string, SlackProfile>;

  constructor(client: WebClient, log: Logger, ttlMs = 60 * 60_000) {
    this.cache = new LRUCache<string, SlackProfile>({
      max: 20_000,
      ttl: ttlMs,
      fetchMethod: async (user, _stale, { options }) => {
        try {
          const res = await client.users.info({ user, include_locale: true });
          const u = res.user;
          return { locale: u?.locale, timeZone: u?.tz, name: u?.profile?.display_name || u?.real_name || undefined };
        } catch (err) {
          log.warn({ err: (err as Error).message, user }, 'users.info failed; answering without the Slack locale');
          options.ttl = 60_000;
          return {};
        }
      },
    });
  }

  async get(userId: string): Promise<SlackProfile> {
    return (await this.cache.fetch(userId)) ?? {};
  }
}
