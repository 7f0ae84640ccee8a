/**
 * Prints the FAQ matcher's misses on the held-out questions (test/fixtures/paraphrases.json):
 * `npm run -s eval:faq [lang…]`. The test suite asserts the figures; this shows the details.
 */
import { createMemoryStore } from '../src/store/memory.ts';
import { readFileSync } from 'node:fs';
import { fixedClock } from '../src/core/clock.ts';
import { createCore } from '../src/core/create.ts';

const { assistant } = createCore({ clock: fixedClock(new Date('2025-06-10T12:00:00Z')), store: createMemoryStore() });
const set = JSON.parse(readFileSync(new URL('../test/fixtures/paraphrases.json', import.meta.url), 'utf8'));
const langs = process.argv.slice(2);
const keep = (q: { lang: string }) => langs.length === 0 || langs.includes(q.lang);
let right = 0,
  total = 0,
  refused = 0,
  outTotal = 0,
  langRight = 0;
for (const q of set.inScope.filter(keep)) {
  const m = assistant.matcher.match(q.text);
  total++;
  if (m.id === q.faqId) right++;
  else
    console.log(`MISS ${q.lang} ${q.faqId} → ${m.id} ${m.score} ${JSON.stringify(m.candidates.slice(0, 2))} ${q.text}`);
  if ((m.textLang ?? 'en') === q.lang) langRight++;
  else console.log(`LANG ${q.lang} → ${m.textLang} (${m.detection.by}) ${q.text}`);
}
for (const q of set.outOfScope.filter(keep)) {
  const m = assistant.matcher.match(q.text);
  outTotal++;
  if (m.id === null) refused++;
  else console.log(`GUESS ${q.lang} → ${m.id} ${m.score} ${q.text}`);
}
const pct = (a: number, b: number) => `${a}/${b} = ${((a / b) * 100).toFixed(1)}%`;
console.log(
  `in-scope right ${pct(right, total)}; out-of-scope refused ${pct(refused, outTotal)}; ` +
    `language right ${pct(langRight, total)}`,
);
