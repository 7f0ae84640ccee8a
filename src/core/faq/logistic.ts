/**
 * A multinomial logistic regression (softmax) over the phrasings' unit-length TF-IDF vectors, trained by
 * stochastic gradient descent in a fixed order (the same phrasings always give the same model). Where the vote
 * looks at the nearest phrasings and naive Bayes counts each feature on its own, this learns how much each
 * feature tells the labels apart given all the others. Weights and samples live in flat typed arrays: training on
 * a language's ~4,000 phrasings takes a few tens of milliseconds.
 */
export class SoftmaxRegression {
  readonly labels: string[];
  /** A feature's row in `weights`. */
  private readonly ids = new Map<string, number>();
  /** One weight per feature and label: weights[feature * labels + label]. */
  private readonly weights: Float64Array;
  private readonly bias: Float64Array;

  /** `samples`: each phrasing's label and its unit-length TF-IDF vector; `epochs`: passes over them. */
  constructor(samples: readonly { label: string; x: ReadonlyMap<string, number> }[], epochs: number) {
    this.labels = [...new Set(samples.map((s) => s.label))];
    const n = this.labels.length;
    const labelOf = new Map(this.labels.map((l, i) => [l, i]));
    // The samples in compressed rows: feature rows and values side by side, one offset per sample.
    let nnz = 0;
    for (const s of samples) nnz += s.x.size;
    const rows = new Int32Array(nnz);
    const values = new Float32Array(nnz);
    const start = new Int32Array(samples.length + 1);
    const ys = new Int32Array(samples.length);
    let k = 0;
    samples.forEach((s, i) => {
      ys[i] = labelOf.get(s.label)!;
      start[i] = k;
      for (const [f, v] of s.x) {
        let id = this.ids.get(f);
        if (id === undefined) {
          id = this.ids.size;
          this.ids.set(f, id);
        }
        rows[k] = id * n;
        values[k++] = v;
      }
    });
    start[samples.length] = k;
    const w = new Float64Array(this.ids.size * n);
    const bias = new Float64Array(n);
    train({ rows, values, start, ys, w, bias, n }, epochs);
    this.weights = w;
    this.bias = bias;
  }

  /** Each label's probability for a text's unit-length TF-IDF vector (features never seen are ignored). */
  posterior(x: ReadonlyMap<string, number>): Float64Array {
    const n = this.labels.length;
    const out = Float64Array.from(this.bias);
    for (const [f, v] of x) {
      const id = this.ids.get(f);
      if (id === undefined) continue;
      const row = id * n;
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
  values: Float32Array;
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
