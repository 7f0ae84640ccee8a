/**
 * The candidate classifier of issue 18 (src/core/faq/ngrams.ts, not yet used by the bot) beside today's lexical
 * matcher, on the question set: `npm run -s eval:ngrams [--split tune|test] [--threshold T]`. The classifier
 * learns from the FAQ's own question variants only. It prints, for entry questions, how often each method names
 * the right entry, and for off-topic and unknown questions (and the old fixture's out-of-scope ones) how often
 * "lexical, else the classifier at or above T" still refuses.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { NgramClassifier } from '../src/core/faq/ngrams.ts';
import { FaqMatcher } from '../src/core/faq/matcher.ts';
import { DATA_DIR, loadFaq } from '../src/core/faq/schema.ts';
import { LANGS, type Lang } from '../src/core/lang.ts';

const { values } = parseArgs({
  options: { split: { type: 'string', default: 'tune' }, threshold: { type: 'string', default: '0.6' } },
});
const threshold = Number(values.threshold);
const faq = loadFaq(DATA_DIR);
const matcher = new FaqMatcher(faq);
const classifier = new NgramClassifier(
  LANGS.flatMap((lang) =>
    faq.entries.flatMap((e) => {
      const t = faq.text[lang][e.id]!;
      return [t.title, ...t.questions].map((text) => ({ lang, text, label: e.id }));
    }),
  ),
);
type Row = { lang: Lang; text: string; expect: string };
const rows: Row[] = LANGS.flatMap((l) =>
  JSON.parse(readFileSync(`test/fixtures/questions/${values.split}/${l}.json`, 'utf8')),
);
const fixture = JSON.parse(readFileSync('test/fixtures/paraphrases.json', 'utf8')) as {
  inScope: { lang: Lang; text: string; faqId: string }[];
  outOfScope: { lang?: Lang; text: string }[];
};

const judge = (text: string, lang: Lang) => {
  const lexical = matcher.match(text);
  const near = classifier.classify(text, lexical.textLang ?? lang);
  const combined = lexical.id ?? (near && near.score >= threshold ? near.label : null);
  return { lexical: lexical.id, ngram: near?.label ?? null, combined };
};
const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(1)}% (${a}/${b})`;
const refusing = new Set(['off-topic', 'unknown', 'apply']);
const topics = rows.filter((r) => !refusing.has(r.expect));
const refuse = rows.filter((r) => r.expect === 'off-topic' || r.expect === 'unknown');
const count = (list: Row[], f: (j: ReturnType<typeof judge>, r: Row) => boolean) =>
  list.filter((r) => f(judge(r.text, r.lang), r)).length;
console.log(`split ${values.split}, threshold ${threshold}:`);
console.log(
  `  right entry: lexical ${pct(
    count(topics, (j, r) => j.lexical === r.expect),
    topics.length,
  )}, ` +
    `n-grams ${pct(
      count(topics, (j, r) => j.ngram === r.expect),
      topics.length,
    )}, ` +
    `lexical else n-grams ${pct(
      count(topics, (j, r) => j.combined === r.expect),
      topics.length,
    )}`,
);
console.log(
  `  off-topic and unknown refused: lexical ${pct(
    count(refuse, (j) => j.lexical === null),
    refuse.length,
  )}, ` +
    `lexical else n-grams ${pct(
      count(refuse, (j) => j.combined === null),
      refuse.length,
    )}`,
);
const inScope = fixture.inScope.filter((q) => judge(q.text, q.lang).combined === q.faqId).length;
const outRefused = fixture.outOfScope.filter((q) => judge(q.text, q.lang ?? 'en').combined === null).length;
console.log(
  `  old fixture with lexical else n-grams: in scope ${pct(inScope, fixture.inScope.length)}, ` +
    `out of scope refused ${pct(outRefused, fixture.outOfScope.length)}`,
);
