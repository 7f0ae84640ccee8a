import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { NaiveBayes } from './bayes.ts';
import { SoftmaxRegression } from './logistic.ts';
import type { Postings } from './postings.ts';
import { FeatureSpace, Vocabulary } from './space.ts';

/**
 * A language's trained models, kept in a file so that a new process reads them in milliseconds instead of learning
 * them again (a few hundred milliseconds per language: most of a cold start). The file is a cache: keyed by what
 * the models were learnt from, it is used only when the key matches and every array has the length the models
 * need, and is otherwise learnt again and rewritten. Only the built program keeps one (dist/models; see
 * src/paths.ts): a change to the code rebuilds dist/, and the sources always learn.
 */
export interface Trained {
  space: FeatureSpace;
  /** Each phrasing's label. */
  labels: string[];
  postings: Postings;
  bayes: NaiveBayes;
  logistic: SoftmaxRegression;
  /** A phrasing's words → its label (null where phrasings of two labels have the same words). */
  exact: Map<string, string | null>;
}

/** The key of models learnt from `examples` (and the ICU that split their words) by this program. */
export function modelKey(examples: unknown): string {
  const icu = `${process.versions.node} ${process.versions.icu}`;
  return createHash('sha256').update(icu).update(JSON.stringify(examples)).digest('hex');
}

const MAGIC = 'GNLC-MODELS-1\n';

const Header = z.strictObject({
  key: z.string(),
  features: z.array(z.string()),
  labelNames: z.array(z.string()),
  bayesLabels: z.array(z.string()),
  logisticLabels: z.array(z.string()),
  exact: z.array(z.tuple([z.string(), z.string().nullable()])),
  arrays: z.array(z.strictObject({ name: z.string(), type: z.enum(['i32', 'f64']), length: z.number().int() })),
});

type Arrays = Record<string, Int32Array | Float64Array>;

/** Writes the models (to a new file, then renamed: a reader never sees half of one). */
export function saveModels(file: string, key: string, t: Trained): void {
  const bayes = t.bayes.parts();
  const logistic = t.logistic.parts();
  const labelIndex = new Map([...new Set(t.labels)].map((l, i) => [l, i]));
  const arrays: Arrays = {
    idf: t.space.idf,
    labels: Int32Array.from(t.labels, (l) => labelIndex.get(l)!),
    postingStart: t.postings.start,
    postingDoc: t.postings.doc,
    postingWeight: t.postings.weight,
    bayesEvidence: bayes.evidence,
    bayesPrior: bayes.prior,
    bayesUnseen: bayes.unseen,
    logisticWeights: logistic.weights,
    logisticBias: logistic.bias,
  };
  const header = Header.parse({
    key,
    features: t.space.vocab.list(),
    labelNames: [...labelIndex.keys()],
    bayesLabels: bayes.labels,
    logisticLabels: logistic.labels,
    exact: [...t.exact],
    arrays: Object.entries(arrays).map(([name, a]) => ({
      name,
      type: a instanceof Int32Array ? 'i32' : 'f64',
      length: a.length,
    })),
  });
  const head = Buffer.from(`${MAGIC}${JSON.stringify(header)}\n`);
  // Each array starts at a multiple of 8 bytes from the end of the header, as a Float64Array view needs.
  const parts: Buffer[] = [head];
  for (const a of Object.values(arrays)) {
    parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    if (a.byteLength % 8) parts.push(Buffer.alloc(8 - (a.byteLength % 8)));
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, Buffer.concat(parts));
  renameSync(temp, file);
}

/** The models of `file` when it holds models of `key` whole; undefined otherwise (none, other, or damaged). */
export function loadModels(file: string, key: string): Trained | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const end = bytes.indexOf(10, MAGIC.length);
  if (end < 0 || bytes.toString('utf8', 0, MAGIC.length) !== MAGIC) return undefined;
  let header: z.infer<typeof Header>;
  try {
    header = Header.parse(JSON.parse(bytes.toString('utf8', MAGIC.length, end)));
  } catch {
    return undefined;
  }
  if (header.key !== key) return undefined;
  const arrays: Arrays = {};
  let at = end + 1;
  for (const a of header.arrays) {
    const size = a.length * (a.type === 'i32' ? 4 : 8);
    if (at + size > bytes.length) return undefined;
    // A copy into an aligned buffer of its own (the file's bytes need not be aligned in memory).
    const copy = new Uint8Array(bytes.subarray(at, at + size)).buffer;
    arrays[a.name] = a.type === 'i32' ? new Int32Array(copy) : new Float64Array(copy);
    at += size + ((8 - (size % 8)) % 8);
  }
  return assemble(header, arrays);
}

/** The models from the file's parts, when every array is there with the length the models read. */
function assemble(h: z.infer<typeof Header>, a: Arrays): Trained | undefined {
  const features = h.features.length;
  const nb = h.bayesLabels.length;
  const nl = h.logisticLabels.length;
  const want: Record<string, [typeof Int32Array | typeof Float64Array, number | undefined]> = {
    idf: [Float64Array, features],
    labels: [Int32Array, undefined],
    postingStart: [Int32Array, features + 1],
    postingDoc: [Int32Array, undefined],
    postingWeight: [Float64Array, a.postingDoc?.length],
    bayesEvidence: [Float64Array, features * nb],
    bayesPrior: [Float64Array, nb],
    bayesUnseen: [Float64Array, nb],
    logisticWeights: [Float64Array, features * nl],
    logisticBias: [Float64Array, nl],
  };
  for (const [name, [type, length]] of Object.entries(want)) {
    const array = a[name];
    if (!(array instanceof type) || (length !== undefined && array.length !== length)) return undefined;
  }
  const f64 = (name: string) => a[name] as Float64Array;
  const i32 = (name: string) => a[name] as Int32Array;
  const postings = { start: i32('postingStart'), doc: i32('postingDoc'), weight: f64('postingWeight') };
  const labels = [...i32('labels')].map((i) => h.labelNames[i]);
  if (labels.some((l) => l === undefined)) return undefined;
  for (let f = 0; f < features; f++) if (postings.start[f]! > postings.start[f + 1]!) return undefined;
  if (postings.start[0] !== 0 || postings.start[features] !== postings.doc.length) return undefined;
  if (postings.doc.some((d) => d < 0 || d >= labels.length)) return undefined;
  const vocab = new Vocabulary(h.features);
  if (vocab.size !== features) return undefined;
  return {
    space: new FeatureSpace(vocab, f64('idf')),
    labels: labels as string[],
    postings,
    bayes: new NaiveBayes(h.bayesLabels, f64('bayesEvidence'), f64('bayesPrior'), f64('bayesUnseen')),
    logistic: new SoftmaxRegression(h.logisticLabels, f64('logisticWeights'), f64('logisticBias')),
    exact: new Map(h.exact),
  };
}
