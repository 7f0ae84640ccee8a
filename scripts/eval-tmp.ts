import { readFileSync } from 'node:fs';
import { loadFaq } from '/work/main/src/core/faq/schema.ts';
import { FaqMatcher } from '/work/main/src/core/faq/matcher.ts';
const faq = loadFaq();
const m = new FaqMatcher(faq);
const set = JSON.parse(readFileSync('/work/main/test/fixtures/paraphrases.json', 'utf8'));
const langs = process.argv.slice(2);
let ok = 0, n = 0, oos = 0, on = 0, langOk = 0;
for (const q of set.inScope) { if (langs.length && !langs.includes(q.lang)) continue;
  const r = m.match(q.text); n++; if (r.id === q.faqId) ok++; else console.log('MISS', q.lang, q.faqId, '→', r.id, r.score, JSON.stringify(r.candidates.slice(0,2)), q.text);
  if ((r.textLang ?? 'en') === q.lang) langOk++; else console.log('LANG', q.lang, r.textLang, r.detection.by, q.text); }
for (const q of set.outOfScope) { if (langs.length && !langs.includes(q.lang)) continue;
  const r = m.match(q.text); on++; if (r.id === null) oos++; else console.log('FP', q.lang, r.id, r.score, q.text); }
console.log(`in-scope ${ok}/${n} = ${(ok/n*100).toFixed(1)}%  out-of-scope refused ${oos}/${on} = ${(oos/on*100).toFixed(1)}%  lang ${langOk}/${n}`);
