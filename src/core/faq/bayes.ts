import type { Encoded, Rows } from './space.ts';

/**
 * A multinomial naive Bayes model over the same features as the nearest-neighbour vote: every feature of a text
 * is evidence for each label in proportion to how often the label's phrasings have it. Where the vote looks at
 * whole phrasings, this looks at single features, so a word only one label uses ("internship", "impôts") counts
 * for that label even when the rest of the text resembles another one. Training is counting: it is built in a
 * few milliseconds per language.
 */
export class NaiveBayes {
  /**
   * `labels`; log((count + ALPHA) / ALPHA) of each feature and label: evidence[feature * labels + label] (0: never
   * had); per label, the log prior and the log probability of a feature the label never had.
   */
  constructor(
    readonly labels: string[],
    private readonly evidence: Float64Array,
    private readonly prior: Float64Array,
    private readonly unseen: Float64Array,
  ) {}

  /** The model of the phrasings' `rows`, `labelOf` each. */
  static train(rows: Rows, labelOf: readonly string[]): NaiveBayes {
    const labels = [...new Set(labelOf)];
    const n = labels.length;
    const index = new Map(labels.map((l, i) => [l, i]));
    // Each feature's weighted count per label.
    const counts = new Float64Array(rows.features * n);
    const totals = new Float64Array(n);
    const docs = new Float64Array(n);
    for (let r = 0; r < rows.size; r++) {
      const label = index.get(labelOf[r]!)!;
      docs[label]!++;
      const from = rows.start[r]!;
      const to = rows.start[r + 1]!;
      // A long phrasing counts as much as a short one in all.
      const w = 1 / Math.sqrt(to - from || 1);
      for (let j = from; j < to; j++) {
        totals[label]! += w;
        counts[rows.ids[j]! * n + label]! += w;
      }
    }
    const prior = docs.map((d) => Math.log(d / rows.size));
    const unseen = totals.map((t) => Math.log(ALPHA / (t + ALPHA * rows.features)));
    for (let i = 0; i < counts.length; i++) if (counts[i]) counts[i] = Math.log((counts[i]! + ALPHA) / ALPHA);
    return new NaiveBayes(labels, counts, prior, unseen);
  }

  /** What the model is, to be kept and given back to the constructor. */
  parts() {
    return { labels: this.labels, evidence: this.evidence, prior: this.prior, unseen: this.unseen };
  }

  /**
   * The probability of each label for a text (see FeatureSpace.encodeWords), softened by a temperature that grows with
   * the square root of the number of features: naive Bayes counts every feature as independent evidence and is
   * far too sure of itself otherwise. A feature no phrasing has is evidence for `open` only (see OPEN).
   */
  posterior(text: Encoded, open?: string): Float64Array {
    const n = this.labels.length;
    const scores = Float64Array.from(this.prior);
    const openLabel = open === undefined ? -1 : this.labels.indexOf(open);
    if (openLabel >= 0) scores[openLabel]! += OPEN * text.unknown;
    const known = text.ids.length;
    for (const id of text.ids) {
      const row = id * n;
      for (let label = 0; label < n; label++) scores[label]! += this.evidence[row + label]!;
    }
    for (let label = 0; label < n; label++) scores[label]! += known * this.unseen[label]!;
    const temperature = TEMPERATURE * Math.sqrt(Math.max(1, known));
    const top = Math.max(...scores);
    let sum = 0;
    for (let label = 0; label < n; label++) {
      scores[label] = Math.exp((scores[label]! - top) / temperature);
      sum += scores[label]!;
    }
    for (let label = 0; label < n; label++) scores[label]! /= sum;
    return scores;
  }
}

/** Additive smoothing, and the temperature per square root of features (chosen on the tune split). */
const ALPHA = 0.01;
const TEMPERATURE = 3;
/**
 * The evidence a feature no phrasing has gives the open label (messages about something else): the GNLC's
 * vocabulary is what the phrasings know, and "pizza" is not in it. 0 to 10 changed nothing in-domain on the tune
 * split; from 5, every off-topic question of it was refused.
 */
const OPEN = 5;
