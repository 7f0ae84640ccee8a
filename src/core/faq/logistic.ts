import type { Encoded, Rows } from './space.ts';

/**
 * A multinomial logistic regression (softmax) over the phrasings' unit-length TF-IDF vectors, trained by
 * stochastic gradient descent in a fixed order (the same phrasings always give the same model). Where the vote
 * looks at the nearest phrasings and naive Bayes counts each feature on its own, this learns how much each
 * feature tells the labels apart given all the others. It reads the phrasings' rows of the FeatureSpace; training on
 * a language's ~4,000 phrasings takes a few tens of milliseconds.
 */
export class SoftmaxRegression {
  /** `labels`; one weight per feature and label (weights[feature * labels + label]), and one bias per label. */
  constructor(
    readonly labels: string[],
    private readonly weights: Float64Array,
    private readonly bias: Float64Array,
  ) {}

  /** The model of the phrasings' `rows`, `labelOf` each, after `epochs` passes over them. */
  static train(rows: Rows, labelOf: readonly string[], epochs: number): SoftmaxRegression {
    const labels = [...new Set(labelOf)];
    const n = labels.length;
    const index = new Map(labels.map((l, i) => [l, i]));
    const ys = new Int32Array(labelOf.length);
    for (let r = 0; r < ys.length; r++) ys[r] = index.get(labelOf[r]!)!;
    const at = new Int32Array(rows.ids.length);
    for (let j = 0; j < at.length; j++) at[j] = rows.ids[j]! * n;
    const weights = new Float64Array(rows.features * n);
    const bias = new Float64Array(n);
    train({ rows: at, values: rows.values, start: rows.start, ys, w: weights, bias, n }, epochs);
    return new SoftmaxRegression(labels, weights, bias);
  }

  /** What the model is, to be kept and given back to the constructor. */
  parts() {
    return { labels: this.labels, weights: this.weights, bias: this.bias };
  }

  /** Each label's probability for a text (see FeatureSpace.encodeWords; features never seen are not in it). */
  posterior(text: Encoded): Float64Array {
    const n = this.labels.length;
    const out = Float64Array.from(this.bias);
    for (let k = 0; k < text.ids.length; k++) {
      const row = text.ids[k]! * n;
      const v = text.values[k]!;
      for (let l = 0; l < n; l++) out[l]! += this.weights[row + l]! * v;
    }
    softmax(out);
    return out;
  }
}

function softmax(z: Float64Array): void {
  let top = -Infinity;
  for (const v of z) if (v > top) top = v;
  let sum = 0;
  for (let l = 0; l < z.length; l++) {
    z[l] = Math.exp(z[l]! - top);
    sum += z[l]!;
  }
  for (let l = 0; l < z.length; l++) z[l]! /= sum;
}

/** The learning rate of the first pass (it falls as 1 / pass). */
const RATE = 1;

interface Problem {
  rows: Int32Array;
  values: Float64Array;
  start: Int32Array;
  ys: Int32Array;
  w: Float64Array;
  bias: Float64Array;
  n: number;
}

/** Stochastic gradient descent on the cross-entropy, `epochs` passes with a falling rate. */
function train(p: Problem, epochs: number): void {
  const order = Int32Array.from(p.ys, (_, i) => i);
  const z = new Float64Array(p.n);
  let seed = 7;
  for (let epoch = 0; epoch < epochs; epoch++) {
    // A fixed shuffle per epoch (a linear congruential generator): deterministic, and no label's phrasings
    // all come last.
    for (let i = order.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const j = seed % (i + 1);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    const rate = RATE / (1 + epoch);
    for (let s = 0; s < order.length; s++) step(p, order[s]!, z, rate);
  }
}

/** One sample's gradient step. */
function step(p: Problem, r: number, z: Float64Array, rate: number): void {
  const { rows, values, w, bias, n } = p;
  const from = p.start[r]!;
  const to = p.start[r + 1]!;
  z.set(bias);
  for (let j = from; j < to; j++) {
    const row = rows[j]!;
    const v = values[j]!;
    for (let l = 0; l < n; l++) z[l]! += w[row + l]! * v;
  }
  softmax(z);
  z[p.ys[r]!]! -= 1;
  for (let l = 0; l < n; l++) {
    z[l]! *= rate;
    bias[l]! -= z[l]!;
  }
  for (let j = from; j < to; j++) {
    const row = rows[j]!;
    const v = values[j]!;
    for (let l = 0; l < n; l++) w[row + l]! -= z[l]! * v;
  }
}
