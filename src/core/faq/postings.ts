/**
 * The nearest-neighbour vote's inverted index (each feature's phrasings and weights, in typed arrays), and the
 * two loops a question runs over it: the similarities of the phrasings it shares features with, and the best few.
 */
import type { Encoded, Rows } from './space.ts';

/** Feature f's phrasings are doc[start[f]] … doc[start[f + 1] - 1], with their weights. */
export interface Postings {
  start: Int32Array;
  doc: Int32Array;
  weight: Float64Array;
}

/**
 * Adds each phrasing's similarity to the query (the dot product of unit vectors) into `scores`; the phrasings
 * touched are listed in `touched`, and their number returned. A function of its own, of typed arrays only: the
 * hottest loop of a question, which the engine compiles best on its own.
 */
export function similarities(postings: Postings, query: Encoded, scores: Float64Array, touched: Int32Array): number {
  const { start, doc, weight } = postings;
  const { ids, values } = query;
  let n = 0;
  for (let k = 0; k < ids.length; k++) {
    const f = ids[k]!;
    const q = values[k]!;
    const end = start[f + 1]!;
    for (let i = start[f]!; i < end; i++) {
      const d = doc[i]!;
      const add = q * weight[i]!;
      // Weights are positive: a phrasing's score leaves zero once, when it is first touched.
      if (scores[d] === 0 && add > 0) touched[n++] = d;
      scores[d]! += add;
    }
  }
  return n;
}

/** The vote's inverted index: each feature's phrasings and weights, except features in more than `common` of them. */
export function invert(space: Rows, common: number): Postings {
  const start = new Int32Array(space.features + 1);
  for (const id of space.ids) if (space.df[id]! <= common) start[id + 1]!++;
  for (let f = 0; f < space.features; f++) start[f + 1]! += start[f]!;
  const fill = start.slice(0, -1);
  const doc = new Int32Array(start[space.features]!);
  const weight = new Float64Array(doc.length);
  for (let r = 0; r < space.size; r++) {
    for (let j = space.start[r]!; j < space.start[r + 1]!; j++) {
      const id = space.ids[j]!;
      if (space.df[id]! > common) continue;
      const at = fill[id]!++;
      doc[at] = r;
      weight[at] = space.values[j]!;
    }
  }
  return { start, doc, weight };
}

/** The indexes of the `k` highest scores, best first. */
export function topK(scores: Float64Array, docs: Int32Array, k: number): number[] {
  // Higher score first; of equal scores, the earlier phrasing (whatever order `docs` is in).
  const before = (a: number, b: number) => scores[a]! > scores[b]! || (scores[a] === scores[b] && a < b);
  const top: number[] = [];
  for (const doc of docs) {
    if (top.length === k && !before(doc, top[k - 1]!)) continue;
    let i = Math.min(top.length, k - 1);
    top[i] = doc;
    while (i > 0 && before(doc, top[i - 1]!)) {
      [top[i - 1], top[i]] = [top[i]!, top[i - 1]!];
      i--;
    }
  }
  return top;
}
