import type { Lang } from '../lang.ts';
import type { Conversation } from '../records.ts';
import type { Reply } from '../reply.ts';
import type { Turn } from '../turn.ts';

/** What the FAQ's matcher made of a text (see `MatchResult` in faq/matcher.ts, which has more). */
export interface TextReading {
  /** The entry it asks about, when the matcher is confident. */
  id: string | null;
  /** The closest entries, best first. */
  candidates: { id: string; score: number }[];
  /** The language it is written in, when the text tells. */
  textLang: Lang | undefined;
  /** When no entry: why (not about the GNLC, not in the sources, unclear). */
  scope?: 'off-topic' | 'unknown' | 'unclear';
  /** It reads like a request to start an application now. */
  request?: boolean;
  /** It asks where the person's own application stands ("where is our application at"): the status command. */
  status?: boolean;
  /** Of a question the sources do not answer, its topic when known ("regions"). */
  topic?: string;
  /** How likely the classifier finds it a request to start an application (in [0, 1]). */
  requestLikelihood?: number;
}

/**
 * Everything a handler knows about one turn. Built once per turn by the assistant; handlers read it and may
 * change `conversation` (saved after the turn when it changed) and `lang`.
 */
export interface TurnContext {
  turn: Turn;
  /** The person's state (a fresh one for someone new); the handlers' changes are saved after the turn. */
  conversation: Conversation;
  /** Whether the conversation was in the store before this turn. */
  stored: boolean;
  /** The language to answer in: the person's (see `languageOf`); handlers that read the text may refine it. */
  lang: Lang;
  /** The person's time zone: their platform's now, else the one kept with their conversation. */
  zone?: string;
  /** A text turn: what was typed, trimmed. */
  text?: string;
  /** A text turn: the text as a command (lower case, no punctuation or accents at the ends). */
  command?: string;
  /** A text turn outside the form, once read: the FAQ entry it matches best, and the language it is written in. */
  match?: TextReading;
  /** A press: its action. */
  action?: { id: string; value?: string; values?: string[]; confirmed?: boolean };
  /** Set by a handler that deleted the conversation at its owner's request: it is not saved again. */
  erased?: boolean;
}

/**
 * One feature's part of the routing: replies when the turn is its business, undefined to let the next handler
 * have it. The assistant runs its handlers in order; the first that replies ends the turn.
 */
export type Handler = (ctx: TurnContext) => Reply[] | undefined | Promise<Reply[] | undefined>;

/**
 * The language a person's very first message, a short one such as a command ("статус", "حالة", "继续"), is written
 * in by its script, or by words of one language only ("continuer", "statut", "récapitulatif"): answered in it rather
 * than in the locale's. Not a guess between English, French and Spanish for a word they share ("continue"), and
 * nothing once there is a conversation: a command never changes its language.
 */
export function firstMessageLanguage(
  stored: boolean,
  text: string | undefined,
  detect: (text: string) => { lang: Lang | undefined; by: string },
): Lang | undefined {
  if (stored || !text || text.length > FIRST_MESSAGE_CHARS) return undefined;
  const found = detect(text);
  return found.by === 'script' || found.by === 'vocabulary' ? found.lang : undefined;
}

/** The longest first message read for its language here (a command is a few words; the FAQ reads questions). */
const FIRST_MESSAGE_CHARS = 100;
