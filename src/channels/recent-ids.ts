import { LRUCache } from 'lru-cache';

/**
 * Remembers ids seen recently (Slack event ids, Teams activity ids) so a redelivered event is dropped.
 * Slack retries up to 3 times within about 5 minutes; Teams retries after 15 s. Bounded: the least
 * recently seen ids are forgotten first once `max` is reached, and each id after `ttlMs`.
 */
export class RecentIds {
  private readonly seen: LRUCache<string, true>;

  constructor(ttlMs = 10 * 60_000, max = 50_000) {
    this.seen = new LRUCache({ max, ttl: ttlMs });
  }

  /** True the first time `id` is offered within the window, false for every repeat. */
  firstTime(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.set(id, true);
    return true;
  }
}
