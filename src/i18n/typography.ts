import type { Lang } from '../core/lang.ts';

/**
 * The typography of each language, applied to every message once its values are in (one place, not each string):
 * values that open a sentence start with a capital, French spaces, ordinals and elisions, Russian dates that end
 * a sentence. `mark` flags where each value starts; `finish` uses the marks and removes them.
 */

/** Put before each interpolated value (a private-use character: never typed, never shown). */
const MARK = '\uE000';
const MARKS = /\uE000/g;

/** Languages with capital letters: a value that opens a sentence is capitalised there. */
const CASED = new Set<Lang>(['en', 'fr', 'es', 'ru']);

/**
 * Flags the start of a text value so that `finish` can tell a value's first letter from the template's. What a
 * person typed and is shown again is not flagged: it is given back as typed.
 */
export function mark(value: string): string {
  return MARK + value;
}

/**
 * Finishes a message in `lang`: capitals where a value opens a sentence, then the language's own rules. A text
 * shown on its own (`inline` false: a card's value) needs no isolates of its own: it is its own paragraph.
 */
export function finish(lang: Lang, text: string, inline = true): string {
  let out = text;
  if (out.includes(MARK)) {
    if (CASED.has(lang))
      out = out.replace(SENTENCE_START_VALUE, (_, before: string, c: string) => before + c.toUpperCase());
    out = out.replace(MARKS, '');
  }
  // A bracket left empty by an empty value ("by 15 July ()") goes, with the space before it.
  if (out.includes('()') || out.includes('（）')) out = out.replace(/[ \u00A0]?(\(\s*\)|（\s*）)/g, '');
  const rules = RULES[lang];
  return rules && (inline || lang !== 'ar') ? rules(out) : out;
}

/**
 * A value's first letter (after isolates) at the start of the text or of a line, after the end of a sentence
 * (. ! ? and a space, where the full stop does not end an abbreviation of one letter: "15 мая 2025 г. (через…"),
 * or after " · ", which separates the items of a line ("KE · La Commission nationale…").
 */
const SENTENCE_START_VALUE =
  /((?:^|\n|(?<![\s(]\p{L})[.!?]\s+|\s·\s+)[\u2066-\u2069]*)\uE000[\u2066-\u2069]*(\p{Ll})/gu;

const NBSP = '\u00A0';
const NARROW_NBSP = '\u202F';
const FR_MONTHS = 'janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre';

const RULES: Partial<Record<Lang, (text: string) => string>> = {
  fr: (text) =>
    text
      // No line break before « ; ! ? » (a thin space) nor « : » (a full one), nor inside guillemets.
      .replace(/(?<=[\p{L}\p{N})»”\u2069])[ \u00A0\u202F]?([;!?])(?=\s|$|[»"”)\u2069])/gu, `${NARROW_NBSP}$1`)
      .replace(/(?<=[\p{L}\p{N})»”\u2069])[ \u00A0\u202F]?:(?=\s|$)/gu, `${NBSP}:`)
      .replace(/«[ \u00A0\u202F]?/g, `«${NBSP}`)
      .replace(/[ \u00A0\u202F]?»/g, `${NBSP}»`)
      // "le 1 juin" → "le 1er juin" (the first of the month is an ordinal in French).
      .replace(new RegExp(`(?<!\\d)1 (${FR_MONTHS})`, 'g'), '1er $1')
      // "de Angers" → "d'Angers", "que Oslo" → "qu'Oslo", "la Ouganda" → "l'Ouganda": names put after a word.
      .replace(
        /(?<!\p{L})([dD]e|[qQ]ue|[lL][ea]) (?=[\u2066-\u2069]*[AEIOUYÂÊÎÔÛÉÈÀ])/gu,
        (_, w: string) => `${w.slice(0, -1)}'`,
      ),
  ar: isolateRuns,
  zh: (text) =>
    text
      // Full-width punctuation carries its own space: none after it, none before it ("中国 （CN）").
      .replace(/([，。：；！？、）」』】])[ \t]+/g, '$1')
      .replace(/[ \t]+([，。：；！？、（）」』】])/g, '$1')
      // Brackets after Chinese text are full-width ("中国（CN）", not "中国 (CN)").
      .replace(/(?<=[\p{Script=Han}\u2069]) ?\(([^()\n]*)\)/gu, '（$1）'),
  // A date that ends in "г." does not take a second full stop ("15 мая 2025 г.").
  ru: (text) => text.replace(/(\sг\.)\./g, '$1'),
};

/**
 * A run of left-to-right text with separators inside it ("2025-06-15", "+49 40 44 80 41 62", "www.uil.unesco.org")
 * reads backwards inside Arabic: after an Arabic letter the bidirectional algorithm takes its digits for Arabic
 * numbers and lays the groups out right to left. Each such run outside an isolate is put into one.
 */
const LTR_RUN = /[\p{Script=Latin}0-9+@][\p{Script=Latin}0-9+@.,:/\-_ '?=&%#]*[\p{Script=Latin}0-9]/gu;
const ISOLATED = /(\u2068[^\u2069]*\u2069)/;

function isolateRuns(text: string): string {
  if (!/[\p{Script=Latin}0-9]/u.test(text)) return text;
  return text
    .split(ISOLATED)
    .map((part, i) =>
      i % 2 ? part : part.replace(LTR_RUN, (run) => (/[\s\-/.:,]/.test(run) ? `\u2068${run}\u2069` : run)),
    )
    .join('');
}
