import { createRequire } from 'node:module';
import { stemmer as en } from '@orama/stemmers/english';
import { stemmer as fr } from '@orama/stemmers/french';
import { stemmer as es } from '@orama/stemmers/spanish';
import { stemmer as ar } from '@orama/stemmers/arabic';
import { stemmer as ru } from '@orama/stemmers/russian';
import { Kept } from '../../lib/memo.ts';
import { LANGS, type Lang } from '../lang.ts';

// stopwords-iso ships plain JSON as its main file; require() reads it without import attributes.
const stopwordsIso = createRequire(import.meta.url)('stopwords-iso') as Record<string, string[]>;

/** Snowball stemmers per language; Chinese words are not inflected, so they pass unchanged. */
const STEMMERS: Record<Lang, (w: string) => string> = { en, fr, es, ar, ru, zh: (w) => w };

const SEGMENTERS = new Map<Lang, Intl.Segmenter>();
function segmenter(lang: Lang): Intl.Segmenter {
  let s = SEGMENTERS.get(lang);
  if (!s) {
    // ICU's word segmenter splits Chinese into dictionary words ("截止日期" → "截止", "日期").
    s = new Intl.Segmenter(lang, { granularity: 'word' });
    SEGMENTERS.set(lang, s);
  }
  return s;
}

/**
 * Folds what people type differently into one form: case, accents ("répondre" = "repondre"),
 * Arabic diacritics and letter variants (أ إ آ → ا, ة → ه, ى → ي), ё → е, full-width forms.
 */
export function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
    .replace(/\u0629/g, '\u0647')
    .replace(/\u0649/g, '\u064A')
    .replace(/\u0640/g, '')
    .normalize('NFC');
}

/**
 * Splits folded text into words, using ICU word boundaries (needed for Chinese, which has no spaces). ICU splits
 * the other five languages by the same rules, so one segmentation serves them all.
 */
export function words(text: string, lang: Lang): string[] {
  const rules: Lang = lang === 'zh' ? 'zh' : 'en';
  // One turn segments the same text several times (commands, language, matching in several languages): keep the
  // last few.
  const known = WORDS.get(`${rules}\u0000${text}`, () => {
    const out: string[] = [];
    // Elisions and contractions (l'adhésion, qu'une, what's) are two words.
    for (const seg of segmenter(rules).segment(fold(text).replace(/['\u2019`]/g, ' '))) {
      if (seg.isWordLike) out.push(seg.segment);
    }
    return out;
  });
  return [...known];
}

const WORDS = new Kept<string[]>(512);

const STOPWORDS = new Map<Lang, Set<string>>();
/** Common words of a language (stopwords-iso), folded the same way as the text. */
export function stopwords(lang: Lang): Set<string> {
  let s = STOPWORDS.get(lang);
  if (!s) {
    s = new Set(stopwordsIso[lang]!.map(fold));
    STOPWORDS.set(lang, s);
  }
  return s;
}

/** Reduces a folded word to its stem in `lang` (a word's stem computed once: people's words repeat). */
export function stem(word: string, lang: Lang): string {
  return STEMS[lang].get(word, STEMMERS[lang]);
}
const STEMS = Object.fromEntries(LANGS.map((l) => [l, new Kept<string>(50_000)])) as Record<Lang, Kept<string>>;

/**
 * The terms a text contributes to matching: words, minus the language's stopwords unless `keep`
 * says the word matters here (a FAQ keyword such as "when" or "how many"), stemmed.
 */
export function terms(text: string, lang: Lang, keep?: ReadonlySet<string>): string[] {
  const stop = stopwords(lang);
  const out: string[] = [];
  for (const w of words(text, lang)) {
    if (stop.has(w) && !keep?.has(w)) continue;
    if (/^\d{1,2}$/.test(w)) continue;
    out.push(stem(w, lang));
    // ICU may cut a Chinese phrase differently in the question and in the FAQ: add its character pairs.
    if (lang === 'zh' && w.length > 2) for (let i = 0; i + 2 <= w.length; i++) out.push(w.slice(i, i + 2));
  }
  return out;
}
