/**
 * How the form tells an answer from a question, and a request from a statement (chosen on
 * test/fixtures/questions/tune and in tries in six languages).
 */

/** Fields whose answers are long texts: an invalid answer there is not taken for a question. */
export const LONG_ANSWERS = new Set(['motivation', 'implementation']);
/** The classifier's request probability from which a statement may be a request (asked), and is one (started). */
export const INTENT = 0.1;
export const REQUEST_SURE = 0.4;
/** Up to this many words, a long-text answer that opens like a question is asked about before it is stored. */
export const LONG_QUESTION_WORDS = 40;
/** Up to this many words, a clause of a long-text answer that opens like a question is one ("…, me das un ejemplo"). */
export const SHORT_LONG_WORDS = 15;

/**
 * Whether a text of `n` words typed where a long text is asked reads as a question: it opens like one (up to
 * LONG_QUESTION_WORDS), or, short, one of its clauses does ("у нас пока нет отчетов, можно без ссылок").
 */
export function asksInShortText(text: string, n: number, isQuestion: (text: string) => boolean): boolean {
  if (n > LONG_QUESTION_WORDS) return false;
  if (isQuestion(text)) return true;
  return n <= SHORT_LONG_WORDS && text.split(/[,，、;；]\s*/u).some((clause) => clause && isQuestion(clause));
}
/** From this many words, a free-text answer the FAQ answers confidently is asked about (a name is shorter). */
export const RESEMBLES_WORDS = 4;
/** The longest answer checked for being a question (it goes back in a button's value: Slack allows 2,000). */
export const MAX_GUARDED = 1500;
/**
 * Fields whose answers name an office, an organization or a place ("Alcalde Municipal de Zipaquirá"): the FAQ's
 * words there ("alcalde", "mayor") are the answer's, so resembling an entry does not make one a question.
 */
export const DESCRIPTIVE = new Set(['mayor.title', 'contact.title', 'contact.organization', 'contact.address']);
