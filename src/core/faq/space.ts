import { Kept } from '../../lib/memo.ts';

/**
 * The phrasings of one language as sparse TF-IDF vectors over one vocabulary of features, in flat typed arrays
 * (compressed rows: a phrasing's feature ids and values side by side, one offset per phrasing). The vote, naive
 * Bayes and the logistic regression all learn from these rows: a feature is a number from here on, and building a
 * language's models allocates a few arrays rather than a map per phrasing. Once they have learnt, only the
 * FeatureSpace (the vocabulary and each feature's weight) is needed to read a question.
 */
export interface Rows {
  /** Phrasing r's features are ids[start[r]] … ids[start[r + 1] - 1], unique, with their unit TF-IDF values. */
  start: Int32Array;
  ids: Int32Array;
  values: Float64Array;
  /** Per feature id: the number of phrasings that have it. */
  df: Int32Array;
  /** The number of phrasings, and of features. */
  size: number;
  features: number;
}

/** `docs`: each phrasing's feature ids in `vocab` (with repeats); every one has at least one. */
export function phrasingRows(
  vocab: Vocabulary,
  docs: Iterable<readonly number[]>,
): { rows: Rows; space: FeatureSpace } {
  const starts: number[] = [];
  const ids: number[] = [];
  const counts: number[] = [];
  const seen = new Map<number, number>();
  for (const feats of docs) {
    starts.push(ids.length);
    seen.clear();
    for (const id of feats) {
      const at = seen.get(id);
      if (at === undefined) {
        seen.set(id, ids.length);
        ids.push(id);
        counts.push(1);
      } else counts[at]!++;
    }
  }
  starts.push(ids.length);
  const start = Int32Array.from(starts);
  const n = starts.length - 1;
  const df = new Int32Array(vocab.size);
  for (const id of ids) df[id]!++;
  const idf = Float64Array.from(df, (d) => Math.log(1 + n / d));
  const values = new Float64Array(ids.length);
  for (let r = 0; r < n; r++) {
    let norm = 0;
    for (let j = start[r]!; j < start[r + 1]!; j++) norm += termWeight(counts[j]!, idf[ids[j]!]!) ** 2;
    norm = Math.sqrt(norm);
    for (let j = start[r]!; j < start[r + 1]!; j++) values[j] = termWeight(counts[j]!, idf[ids[j]!]!) / norm;
  }
  const rows = { start, ids: Int32Array.from(ids), values, df, size: n, features: vocab.size };
  return { rows, space: new FeatureSpace(vocab, idf) };
}

/** A language's features: their ids and inverse document frequencies, which turn a text into a vector. */
export class FeatureSpace {
  /** Each word's features seen so far: the known ones' ids, the unknown ones, and whether the word is known. */
  private readonly byWord = new Kept<{ ids: number[]; unknown: string[]; head: boolean }>(MAX_WORDS);

  constructor(
    readonly vocab: Vocabulary,
    readonly idf: Float64Array,
  ) {}

  /**
   * A text's features in this space, from its words (`featuresOf` gives one word's features): the known ones as a
   * unit-length TF-IDF vector (unique ids, values), how many of its features (with repeats) are known, how many
   * distinct ones are not, how many there are in all, and how many of the words are known themselves (their first
   * feature). Each word's features are built and looked up once and kept: questions share most of their words, and
   * that is most of the cost.
   */
  encodeWords(
    words: readonly string[],
    featuresOf: (word: string) => string[],
  ): Encoded & { all: number; knownWords: number } {
    const tf = new Map<number, number>();
    const unknown = new Set<string>();
    let known = 0;
    let all = 0;
    let knownWords = 0;
    for (const w of words) {
      const kept = this.byWord.get(w, () => {
        const feats = featuresOf(w);
        const made = { ids: [] as number[], unknown: [] as string[], head: this.vocab.ids.has(feats[0]!) };
        for (const f of feats) {
          const id = this.vocab.ids.get(f);
          if (id === undefined) made.unknown.push(f);
          else made.ids.push(id);
        }
        return made;
      });
      for (const id of kept.ids) tf.set(id, (tf.get(id) ?? 0) + 1);
      for (const f of kept.unknown) unknown.add(f);
      known += kept.ids.length;
      all += kept.ids.length + kept.unknown.length;
      if (kept.head) knownWords++;
    }
    return { ...this.weigh(tf, known, unknown.size), all, knownWords };
  }

  /** The unit-length TF-IDF vector of feature counts. */
  private weigh(tf: Map<number, number>, known: number, unknown: number): Encoded {
    const ids = new Int32Array(tf.size);
    const values = new Float64Array(tf.size);
    let norm = 0;
    let i = 0;
    for (const [id, n] of tf) {
      const w = termWeight(n, this.idf[id]!);
      ids[i] = id;
      values[i++] = w;
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    for (let k = 0; k < values.length; k++) values[k]! /= norm;
    return { ids, values, known, unknown };
  }
}

/** The most words whose features a space keeps (the oldest go first). */
const MAX_WORDS = 50_000;

/** A text in a FeatureSpace (see `encodeWords`). */
export interface Encoded {
  ids: Int32Array;
  values: Float64Array;
  known: number;
  unknown: number;
}

/** A feature's TF-IDF weight in a text where it occurs `n` times (sublinear term frequency). */
export function termWeight(n: number, idf: number): number {
  return (1 + Math.log(n)) * idf;
}

/** The features the phrasings have, numbered in the order first seen. */
export class Vocabulary {
  readonly ids = new Map<string, number>();

  /** The features, by id (`list()` of a vocabulary gives it back). */
  constructor(features: readonly string[] = []) {
    for (const f of features) this.intern(f);
  }

  /** The features in the order of their ids. */
  list(): string[] {
    return [...this.ids.keys()];
  }

  /** A feature's id, a new one for a feature not seen before. */
  intern(feature: string): number {
    let id = this.ids.get(feature);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(feature, id);
    }
    return id;
  }

  get size(): number {
    return this.ids.size;
  }
}
