/**
 * The Direct Line conversations of this process: for each, its visitor and the activities sent in it (the
 * visitor's own, echoed as Direct Line does, and the bot's), numbered by a watermark the page reads from.
 * Held in memory: what lasts (the visitor's answers, their application) is in the store under their user key;
 * a conversation idle for a day is forgotten, and a page that comes back starts a new one.
 */
import type { Activity } from 'botbuilder';
import { LRUCache } from 'lru-cache';
import type { Reply } from '../../core/reply.ts';

/** At most this many activities are kept per conversation (the page has read the older ones). */
const KEPT = 500;

export interface Transcript {
  id: string;
  user: string;
  /** Activities in order; the watermark of `activities[i]` is `offset + i + 1`. */
  activities: Partial<Activity>[];
  offset: number;
  /** When the page last read it (ms since the epoch): a page that reads no more has been closed. */
  readAt: number;
  /**
   * Notices written into it that its page has not read yet (up to the watermark that has them): a page closed
   * before it read them hands them to the visitor's next page.
   */
  unread: { upTo: number; replies: Reply[] }[];
}

/**
 * A conversation counts as open while its page reads it: Web Chat reads every second, and a browser slows a
 * hidden tab's timers to about once a minute.
 */
export const OPEN_MS = 3 * 60_000;

export class Transcripts {
  private readonly byId = new LRUCache<string, Transcript>({ max: 50_000, ttl: 24 * 3_600_000, updateAgeOnGet: true });

  open(id: string, user: string, at: number): Transcript {
    const t: Transcript = { id, user, activities: [], offset: 0, readAt: at, unread: [] };
    this.byId.set(id, t);
    return t;
  }

  get(id: string): Transcript | undefined {
    return this.byId.get(id);
  }

  /**
   * The conversations of a visitor whose page is open at `now` (where a notice to them goes), newest first; every
   * one of them without `now`.
   */
  ofUser(user: string, now?: number): Transcript[] {
    const out: Transcript[] = [];
    for (const t of this.byId.values())
      if (t.user === user && (now === undefined || now - t.readAt < OPEN_MS)) out.push(t);
    return out;
  }

  /** The watermark of the last activity written (the one a notice just written has). */
  last(t: Transcript): number {
    return t.offset + t.activities.length;
  }

  /** Appends an activity; resolves to the id it gets (`<conversation>|<watermark>`, unless it has one). */
  append(t: Transcript, activity: Partial<Activity>): string {
    const id = activity.id ?? `${t.id}|${String(t.offset + t.activities.length + 1).padStart(7, '0')}`;
    t.activities.push({ ...activity, id });
    if (t.activities.length > KEPT) {
      t.activities.shift();
      t.offset++;
    }
    return id;
  }

  /**
   * Replaces an activity: the new version is appended under the same id and with the old one's timestamp, so the
   * page (which keeps one activity per id, in timestamp order) redraws it where it was.
   */
  replace(t: Transcript, activity: Partial<Activity>): boolean {
    const old = t.activities.find((a) => a.id === activity.id);
    if (!old) return false;
    t.activities = t.activities.filter((a) => a !== old);
    t.offset++;
    this.append(t, { ...activity, timestamp: old.timestamp });
    return true;
  }

  /**
   * The bot's card a press came from: Web Chat sends a card's Action.Submit as a message with the button's data
   * (and the card's inputs) in `value`, without saying which card. The newest card with a button whose data the
   * value carries is the one pressed (its id becomes the press's replyToId, as Teams gives it).
   */
  pressedCard(t: Transcript, value: unknown): string | undefined {
    if (!value || typeof value !== 'object') return undefined;
    const pressed = value as Record<string, unknown>;
    const matches = (data: unknown) =>
      !!data &&
      typeof data === 'object' &&
      Object.entries(data).every(([k, v]) => JSON.stringify(pressed[k]) === JSON.stringify(v));
    for (let i = t.activities.length - 1; i >= 0; i--) {
      const a = t.activities[i]!;
      if (a.from?.role !== 'bot' || !a.attachments?.length) continue;
      if (submitData(a.attachments.map((x) => x.content)).some(matches)) return a.id;
    }
    return undefined;
  }

  /** The activities after `watermark`, and the watermark to ask from next; the page read it at `at`. */
  since(t: Transcript, watermark: number, at: number): { activities: Partial<Activity>[]; watermark: string } {
    t.readAt = at;
    // A page that asks from `watermark` has what came up to it.
    if (t.unread.length) t.unread = t.unread.filter((n) => n.upTo > watermark);
    const from = Math.max(0, watermark - t.offset);
    return { activities: t.activities.slice(from), watermark: String(t.offset + t.activities.length) };
  }
}

/** The data of every Action.Submit in a card's JSON (its actions, and those inside its body). */
function submitData(node: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) for (const n of node) submitData(n, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.Submit' && o.data) out.push(o.data);
    for (const v of Object.values(o)) if (v && typeof v === 'object') submitData(v, out);
  }
  return out;
}
