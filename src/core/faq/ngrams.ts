import type { Lang } from '../lang.ts';
import { stopwords, words } from './text.ts';

/** One labelled phrasing the classifier learns from. */
export interface Example {
  lang: Lang;
  text: string;
  label: string;
}

/** The closest labels to a text, best first, with a cosine similarity in [0, 1]. */
export interface Neighbours {
  label: string;
  score: number;
  /** The share of the text's features that the phrasings know (a word of another subject has unknown n-grams). */
  coverage: number;
  /** The best other label and its similarity (how clear the choice is). */
  second?: { label: string; score: number };
}

type Vector = Map<string, number>;

/**
 * The features of a text: its meaningful words, and the character 3- and 4-grams of every word with its
 * boundaries marked ("#lear", "ning#"), so word forms, typos and compounds of one stem share most features.
 * Stopwords keep their n-grams out (they say how, not what), except in Chinese, where a word is one or two
 * characters and its n-grams are the word.
 */
export function features(text: string, lang: Lang): string[] {
  const stop = stopwords(lang);
  const out: string[] = [];
  for (const w of words(text, lang)) {
    if (stop.has(w) || /^\d+$/.test(w)) continue;
    out.push(`w:${w}`);
    const marked = `#${w}#`;
    for (const n of [3, 4]) for (let i = 0; i + n <= marked.length; i++) out.push(marked.slice(i, i + n));
    if (lang === 'zh') for (const ch of w) out.push(`c:${ch}`);
  }
  return out;
}

/**
 * A nearest-neighbour classifier over TF-IDF vectors of character n-grams, one index per language: a text
 * takes the label of the phrasings it is closest to. It learns from many phrasings (the FAQ's own question
 * variants and labelled examples) rather than from hand-tuned weights; building it takes a few milliseconds.
 */
export class NgramClassifier {
  private readonly indexes = new Map<Lang, { idf: Map<string, number>; docs: { label: string; vec: Vector }[] }>();

  constructor(examples: readonly Example[]) {
    const byLang = new Map<Lang, Example[]>();
    for (const e of examples) byLang.set(e.lang, [...(byLang.get(e.lang) ?? []), e]);
    for (const [lang, list] of byLang) {
      const bags = list.map((e) => ({ label: e.label, feats: features(e.text, lang) }));
      const df = new Map<string, number>();
      for (const b of bags) for (const f of new Set(b.feats)) df.set(f, (df.get(f) ?? 0) + 1);
      const idf = new Map<string, number>();
      for (const [f, n] of df) idf.set(f, Math.log(1 + bags.length / n));
      const docs = bags.filter((b) => b.feats.length).map((b) => ({ label: b.label, vec: vector(b.feats, idf) }));
      this.indexes.set(lang, { idf, docs });
    }
  }

  /** The labels closest to `text` in `lang`'s index (undefined when the text has no known feature). */
  classify(text: string, lang: Lang): Neighbours | undefined {
    const index = this.indexes.get(lang);
    if (!index) return undefined;
    const all = features(text, lang);
    const known = all.filter((f) => index.idf.has(f));
    const query = vector(known, index.idf);
    if (!query.size) return undefined;
    const coverage = known.length / all.length;
    const best = new Map<string, number>();
    for (const d of index.docs) {
      let dot = 0;
      for (const [f, w] of query) dot += w * (d.vec.get(f) ?? 0);
      if (dot > (best.get(d.label) ?? 0)) best.set(d.label, dot);
    }
    const ranked = [...best].sort((a, b) => b[1] - a[1]);
    if (!ranked.length) return undefined;
    const [[label, score], second] = [ranked[0]!, ranked[1]];
    return { label, score, coverage, ...(second ? { second: { label: second[0], score: second[1] } } : {}) };
  }
}

/** A unit-length TF-IDF vector (sublinear term frequency). */
function vector(feats: string[], idf: Map<string, number>): Vector {
  const tf = new Map<string, number>();
  for (const f of feats) tf.set(f, (tf.get(f) ?? 0) + 1);
  const v: Vector = new Map();
  let norm = 0;
  for (const [f, n] of tf) {
    const w = (1 + Math.log(n)) * (idf.get(f) ?? 0);
    if (!w) continue;
    v.set(f, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm);
  for (const [f, w] of v) v.set(f, w / norm);
  return v;
}
