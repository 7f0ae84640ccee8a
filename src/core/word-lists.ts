import { Kept } from '../lib/memo.ts';
import type { Translate } from '../i18n/index.ts';
import { LANGS, type Lang } from './lang.ts';
import { fold } from './faq/text.ts';

/** Folds text for comparing with command words: case, accents, surrounding punctuation, inner spaces. */
export function normalizeCommand(text: string): string {
  // A turn asks about a few texts many times (the message, its sentences, its words: is it "back"? "skip"?
  // "status"?…): the last few answers are kept.
  return NORMALIZED.get(text, normalize);
}
const NORMALIZED = new Kept<string>(256);

function normalize(text: string): string {
  const s = fold(text)
    .replace(/[\u2019`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  if (/^[?？؟]+$/u.test(s)) return '?';
  const inner = s.replace(/^[^\p{L}\p{N}/]+/u, '');
  // The trailing run is found from the last letter, digit or apostrophe: `[^…]+$` would try every position
  // of a long run of punctuation and take seconds on a long message (quadratic backtracking).
  const last = /([\p{L}\p{N}'])[^\p{L}\p{N}']*$/u.exec(inner);
  return last ? inner.slice(0, last.index + last[1]!.length) : '';
}

/**
 * Words users type for commands, in all six languages: each `<namespace>:commands.<kind>` locale string
 * is a "|"-separated list. A text is a command when, normalized, it is one of the list's entries.
 */
export class WordLists<K extends string> {
  private readonly sets = new Map<K, Set<string>>();

  constructor(
    private readonly t: Translate,
    private readonly namespace: string,
    kinds: readonly K[],
  ) {
    for (const kind of kinds) {
      const set = new Set<string>();
      for (const lang of LANGS) for (const w of this.raw(lang, kind)) set.add(normalizeCommand(w));
      this.sets.set(kind, set);
    }
  }

  /** The entries of one list in one language, as written in the locale file. */
  raw(lang: Lang, kind: K): string[] {
    return this.t(lang, `${this.namespace}:commands.${kind}`)
      .split('|')
      .map((w) => w.trim())
      .filter(Boolean);
  }

  /** The entries of one list in every language, normalized. */
  entries(kind: K): ReadonlySet<string> {
    return this.sets.get(kind) ?? new Set();
  }

  /** True when the whole text is an entry of the list ("back", "retour", "назад"). */
  is(kind: K, text: string): boolean {
    return this.has(kind, normalizeCommand(text));
  }

  /** True when an already normalized text is an entry of the list. */
  has(kind: K, normalized: string): boolean {
    return this.sets.get(kind)!.has(normalized);
  }
}
