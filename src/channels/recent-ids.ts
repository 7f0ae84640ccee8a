/**
 * Remembers ids seen recently (Slack event ids, Teams activity ids) so a redelivered event is dropped.
 * Slack retries up to 3 times within about 5 minutes; Teams retries after 15 s. Bounded in size:
 * the oldest ids are forgotten first once `max` is reached, and each id is forgotten after `ttlMs`.
 */
export class RecentIds {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly max = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time `id` is offered within the window, false for every repeat. */
  firstTime(id: string): boolean {
    const t = this.now();
    const at = this.seen.get(id);
    if (at !== undefined && t - at < this.ttlMs) return false;
    this.seen.delete(id);
    this.seen.set(id, t);
    // Map keeps insertion order: evict from the front while too many or expired.
    for (const [old, when] of this.seen) {
      if (this.seen.size <= this.max && t - when < this.ttlMs) break;
      this.seen.delete(old);
    }
    return true;
  }
}
