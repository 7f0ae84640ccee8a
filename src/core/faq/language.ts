import { detectAll } from 'tinyld/light';
import type { Lang } from '../lang.ts';
import { stopwords, words } from './text.ts';

/** What the text says about its own language. */
export interface Detection {
  lang: Lang | undefined;
  /** How the language was found: by script, by the statistical detector, by vocabulary, or not at all. */
  by: 'script' | 'detector' | 'vocabulary' | 'none';
}

const LATIN: readonly Lang[] = ['en', 'fr', 'es'];

/** Characters of the scripts that identify a language among the six on their own. */
const SCRIPT: [RegExp, Lang][] = [
  [/\p{Script=Han}/u, 'zh'],
  [/\p{Script=Arabic}/u, 'ar'],
  [/\p{Script=Cyrillic}/u, 'ru'],
];

/**
 * Detects which of the six languages a text is written in. Arabic, Chinese and Russian are told by their
 * script; English, French and Spanish by tinyld's statistical model, and, for text too short for it, by
 * words that belong to one language only (`lexicon`: the FAQ vocabulary plus stopwords). Returns
 * `lang: undefined` when the text is too short to tell; the caller then falls back to the platform locale.
 */
export function detectLanguage(text: string, lexicon: LanguageLexicon): Detection {
  const counts = new Map<Lang, number>();
  for (const ch of text) {
    for (const [re, lang] of SCRIPT) if (re.test(ch)) counts.set(lang, (counts.get(lang) ?? 0) + 1);
  }
  const latinLetters = (text.match(/\p{Script=Latin}/gu) ?? []).length;
  const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (best && best[1] >= latinLetters / 2) return { lang: best[0], by: 'script' };
  if (latinLetters === 0) return { lang: undefined, by: 'none' };

  // Several words of one language only (the FAQ vocabulary, stopwords) settle it without the model.
  const clear = lexicon.vote(text, 2);
  if (clear) return { lang: clear, by: 'vocabulary' };
  const guesses = detectAll(text, { only: [...LATIN] });
  const top = guesses[0];
  const second = guesses[1];
  if (top && top.accuracy >= 0.5 && (!second || top.accuracy - second.accuracy >= 0.25)) {
    return { lang: top.lang as Lang, by: 'detector' };
  }
  const byWords = lexicon.vote(text);
  if (byWords) return { lang: byWords, by: 'vocabulary' };
  if (top && top.accuracy >= 0.15 && (!second || top.accuracy >= 2 * second.accuracy)) {
    return { lang: top.lang as Lang, by: 'detector' };
  }
  return { lang: undefined, by: 'none' };
}

/**
 * Words that belong to exactly one of the Latin-script languages, for texts too short for the detector.
 * Content words (the FAQ vocabulary, command words) count on their own; stopwords only in texts of
 * two words or more, since one "ok" or "no" says little about a language.
 */
export class LanguageLexicon {
  private readonly strong: Map<string, Lang | null>;
  private readonly weak: Map<string, Lang | null>;

  constructor(vocabulary: Partial<Record<Lang, Iterable<string>>>) {
    this.strong = owners((lang) => vocabulary[lang] ?? []);
    this.weak = owners((lang) => stopwords(lang));
  }

  /**
   * The language most words of `text` belong to exclusively, if there is a clear one: ahead of the
   * runner-up by at least `margin` words.
   */
  vote(text: string, margin = 1): Lang | undefined {
    const tally = new Map<Lang, number>();
    const ws = words(text, 'en');
    for (const w of ws) {
      const lang = this.strong.get(w) ?? (ws.length >= 2 ? this.weak.get(w) : undefined);
      if (lang) tally.set(lang, (tally.get(lang) ?? 0) + 1);
    }
    const ranked = [...tally.entries()].sort((a, b) => b[1] - a[1]);
    if (!ranked[0]) return undefined;
    if (ranked[0][1] - (ranked[1]?.[1] ?? 0) < margin) return undefined;
    return ranked[0][0];
  }
}

/** Maps each word to the one Latin language it belongs to, or null when it belongs to several. */
function owners(wordsOf: (lang: Lang) => Iterable<string>): Map<string, Lang | null> {
  const owner = new Map<string, Lang | null>();
  for (const lang of LATIN) {
    for (const w of new Set(wordsOf(lang))) {
      const prev = owner.get(w);
      owner.set(w, prev === undefined || prev === lang ? lang : null);
    }
  }
  return owner;
}

/** True when `lang` is one the lexicon covers (Latin-script). */
export function isLatin(lang: Lang): boolean {
  return LATIN.includes(lang);
}
