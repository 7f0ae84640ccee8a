/**
 * The platforms a turn can come from and a reply go to, in one list (records, routing, notifiers and alerts read
 * it): a new channel is one folder under src/channels and one entry here.
 */
export const PLATFORMS = ['slack', 'teams', 'web', 'local'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Whether a string names a platform (e.g. the prefix of a stored key). */
export function isPlatform(s: string): s is Platform {
  return (PLATFORMS as readonly string[]).includes(s);
}

/** One inbound event, already translated out of the platform's format. */
export interface Turn {
  platform: Platform;
  user: {
    id: string;
    name?: string;
    /** Platform locale (e.g. "fr-FR"), the fallback when the text is too short to tell its language. */
    locale?: string;
    /** IANA time zone of the user when the platform tells it (e.g. "Asia/Tokyo"). */
    timeZone?: string;
    /** Other ids the platform knows this user by (Teams: the `29:…` id beside the Entra object id). */
    altIds?: string[];
  };
  room: { id: string; direct: boolean };
  /** What the user typed (mention markup already stripped by the channel). */
  text?: string;
  /** People mentioned in the text, other than the bot (`add endorser DE @Ana`): their platform ids. */
  mentions?: { id: string; name?: string }[];
  /**
   * A button press: the stable action id and its value; `values` when one press sends several (a multi-select
   * input); `confirmed` when the platform's own dialog confirmed it.
   */
  action?: { id: string; value?: string; values?: string[]; confirmed?: boolean };
}

/** The key a user's state is stored under: platform-qualified so ids never collide across channels. */
export function userKey(turn: Pick<Turn, 'platform' | 'user'>): string {
  return `${turn.platform}:${turn.user.id}`;
}

/**
 * The turn with every text a person or a platform supplied made well-formed: a lone surrogate (half of a UTF-16
 * pair, which no keyboard types but any payload can carry) becomes U+FFFD. Kept as it was, such text could be
 * stored in an application, yet not sent anywhere: a URL-encoded Slack call throws on it.
 */
export function wellFormed(turn: Turn): Turn {
  const out: Turn = { ...turn };
  if (turn.user.name !== undefined) out.user = { ...turn.user, name: turn.user.name.toWellFormed() };
  if (turn.text !== undefined) out.text = turn.text.toWellFormed();
  if (turn.action) {
    const { value, values } = turn.action;
    out.action = { ...turn.action };
    if (value !== undefined) out.action.value = value.toWellFormed();
    if (values !== undefined) out.action.values = values.map((v) => v.toWellFormed());
  }
  if (turn.mentions)
    out.mentions = turn.mentions.map((m) => (m.name === undefined ? m : { ...m, name: m.name.toWellFormed() }));
  return out;
}
