import type { CallFacts } from '../calls/engine.ts';
import { languageOf, negotiateLocale, type Lang } from '../lang.ts';
import type { AnswerRenderer } from './answer.ts';
import type { Candidate, FaqMatcher } from './matcher.ts';
import { closeTopics, type FaqReplies } from './replies.ts';

/** One answer in machine-readable form (`gnlc ask --json`). */
export interface AskResult {
  faqId: string | null;
  lang: Lang;
  score: number;
  answer: string;
  facts?: CallFacts;
  candidates: Candidate[];
  /** When no entry is confident: the closest topics offered instead (ids). */
  suggestions: string[];
  /** When no entry: why (not about the GNLC, not in the sources, unclear). */
  scope?: 'off-topic' | 'unknown' | 'unclear';
}

/** Options of a one-off question. */
export interface AskOptions {
  /** Platform locale, the fallback when the text is too short to tell its language. */
  locale?: string;
  /** An explicit language choice: wins over the text's language. */
  lang?: Lang;
  now?: Date;
  timeZone?: string;
}

/** Answers one question without a conversation (`gnlc ask`): the entry, or why there is none. */
export function askOnce(
  deps: { matcher: FaqMatcher; answers: AnswerRenderer; replies: FaqReplies },
  text: string,
  opts: AskOptions & { now: Date },
): AskResult {
  const match = deps.matcher.match(text, negotiateLocale(opts.locale));
  const lang = opts.lang ?? languageOf(undefined, opts.locale, match.textLang);
  const entry = match.id ? deps.answers.entry(match.id) : undefined;
  const { candidates, score } = match;
  if (!entry) {
    const scope = match.scope ?? 'unclear';
    const answer = deps.replies.refuse(lang, scope, candidates, match.topic).text;
    return { faqId: null, scope, lang, score, answer, candidates, suggestions: closeTopics(candidates) };
  }
  const a = deps.answers.render(entry, lang, { now: opts.now, timeZone: opts.timeZone });
  return { faqId: entry.id, lang, score, answer: a.text, facts: a.facts, candidates, suggestions: [] };
}
