import { TurnContext, type Activity } from 'botbuilder';
import { isTimeZone } from '../../core/time-zone.ts';
import type { Turn } from '../../core/turn.ts';

/**
 * A channel conversation id carries the thread as ";messageid=<id>"; the bare id is the channel itself,
 * which is what a proactive message (a new post) and the room key need.
 */
export function baseConversationId(id: string): string {
  const i = id.indexOf(';messageid=');
  return i < 0 ? id : id.slice(0, i);
}

/**
 * Teams sends a stable Entra ID object id (`aadObjectId`) besides the per-bot `29:…` id; the former is the user's
 * key.
 */
export function userId(activity: Partial<Activity>): string {
  const id = activity.from?.aadObjectId || activity.from?.id;
  // The endpoint refuses such an activity (400): a shared fallback id would make all such senders one person.
  if (!id) throw new Error('a Teams activity without a sender id');
  return id;
}

/** True in a 1:1 chat with the bot (Teams "personal"; the Emulator sends no conversationType). */
export function isPersonal(activity: Partial<Activity>): boolean {
  const type = activity.conversation?.conversationType;
  return type ? type === 'personal' : !activity.conversation?.isGroup;
}

/**
 * The platforms that speak the Bot Framework's activities: Teams, and the web chat (Direct Line). The endpoint
 * an activity came through says which, never the activity itself.
 */
export type BotPlatform = 'teams' | 'web';

/** Address keys for proactive messages: `teams:room:<conversation>` always, `teams:user:<id>` in a personal chat. */
export function addressKeys(activity: Partial<Activity>, platform: BotPlatform = 'teams'): string[] {
  const room = `${platform}:room:${baseConversationId(activity.conversation?.id ?? '')}`;
  return isPersonal(activity) ? [`${platform}:user:${userId(activity)}`, room] : [room];
}

interface ClientInfo {
  type: 'clientInfo';
  locale?: string;
  timezone?: string;
}

function clientInfo(activity: Partial<Activity>): ClientInfo | undefined {
  return activity.entities?.find((e) => e.type === 'clientInfo') as ClientInfo | undefined;
}

/** The user's locale: `activity.locale`, else the clientInfo entity Teams attaches. */
export function localeOf(activity: Partial<Activity>): string | undefined {
  return activity.locale || clientInfo(activity)?.locale || undefined;
}

/**
 * The user's IANA time zone from `localTimezone` (Emulator, Direct Line) or the clientInfo entity (Teams); invalid
 * names are ignored.
 */
export function timeZoneOf(activity: Partial<Activity>): string | undefined {
  const candidates = [
    activity.localTimezone,
    clientInfo(activity)?.timezone,
    (activity.channelData as { timezone?: string } | undefined)?.timezone,
  ];
  // Not a string, or not an IANA zone name: the next source is tried. (isTimeZone keeps the known ones:
  // building a DateTimeFormat for every activity cost about 0.3 ms a turn.)
  return candidates.find((tz): tz is string => typeof tz === 'string' && isTimeZone(tz));
}

/**
 * The user's other id: the per-bot `29:…` id when the key is the Entra object id (the id Teams puts in
 * @mentions and in conversation members, so the core can recognise a person named that way).
 */
export function altIdsOf(activity: Partial<Activity>): string[] | undefined {
  const from = activity.from;
  return from?.aadObjectId && from.id && from.id !== from.aadObjectId ? [from.id] : undefined;
}

interface MentionEntity {
  type: 'mention';
  mentioned?: { id?: unknown; name?: unknown };
}

/** The people @mentioned in a message other than the bot itself, each once, with the id Teams gives (`29:…`). */
export function mentionsOf(activity: Partial<Activity>): { id: string; name?: string }[] | undefined {
  const bot = activity.recipient?.id;
  const out = new Map<string, { id: string; name?: string }>();
  for (const e of activity.entities ?? []) {
    if (e.type !== 'mention') continue;
    const m = (e as MentionEntity).mentioned;
    const id = typeof m?.id === 'string' ? m.id : '';
    if (!id || id === bot || out.has(id)) continue;
    const name = typeof m?.name === 'string' && m.name ? m.name : undefined;
    out.set(id, name ? { id, name } : { id });
  }
  return out.size ? [...out.values()] : undefined;
}

/** Who and where, without the what: the parts of a Turn every activity shares. */
export function turnBase(activity: Partial<Activity>, platform: BotPlatform = 'teams'): Omit<Turn, 'text' | 'action'> {
  const altIds = altIdsOf(activity);
  const mentions = mentionsOf(activity);
  return {
    platform,
    user: {
      id: userId(activity),
      name: activity.from?.name || undefined,
      locale: localeOf(activity),
      timeZone: timeZoneOf(activity),
      ...(altIds ? { altIds } : {}),
    },
    room: { id: baseConversationId(activity.conversation?.id ?? ''), direct: isPersonal(activity) },
    ...(mentions ? { mentions } : {}),
  };
}

const ENTITIES: Record<string, string> = {
  '&nbsp;': ' ',
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/**
 * The typed text with the bot's @mention removed (the standard helper), any other `<at>` markup reduced to
 * the name, and the few HTML entities Teams puts in plain text decoded.
 */
export function typedText(activity: Partial<Activity>): string {
  if (!activity.text) return '';
  const stripped = activity.recipient?.id ? TurnContext.removeRecipientMention(activity) : activity.text;
  // A name holds no "<" (Teams escapes it): `[^<]*` stops at the next tag, where `.*?` would scan to the end
  // of the text from every "<at>" that is never closed (seconds for a long message of them).
  return (stripped ?? activity.text ?? '')
    .replace(/<at>([^<]*)<\/at>/gi, '$1')
    .replace(/&(nbsp|amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m] ?? m)
    .trim();
}

/** A button press as carried by a card submit: `{ action, value?, multi? }` (inputs merge into the same object). */
export interface CardData {
  action: string;
  value?: string;
  /** A multi-select input's submit: `value` is the whole selection, comma-separated. */
  multi?: boolean;
}

/** Reads card data from a message's `value` (Action.Submit) or an invoke's `value.action.data` (Action.Execute). */
export function cardData(raw: unknown, verb?: unknown): CardData | undefined {
  const data = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const action =
    typeof data.action === 'string' && data.action ? data.action : typeof verb === 'string' && verb ? verb : undefined;
  if (!action) return undefined;
  const value =
    typeof data.value === 'string' ? data.value : typeof data.value === 'number' ? String(data.value) : undefined;
  // Cards sent before this version marked a multi-select submit with the choices picked then (`picked`).
  const multi = data.multi === true || Array.isArray(data.picked);
  return { action, value, ...(multi ? { multi } : {}) };
}
