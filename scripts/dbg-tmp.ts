import { loadFaq } from '../src/core/faq/schema.ts';
import { terms } from '../src/core/faq/text.ts';
import { FaqMatcher } from '../src/core/faq/matcher.ts';
const m = new FaqMatcher(loadFaq()) as any;
const [lang, q] = process.argv.slice(2) as [any, string];
const idx = m.indexes.get(lang);
const ts = [...new Set(terms(q, lang, idx.keep))];
console.log(ts.map((t) => `${t}:${idx.df.get(t) ?? 0}`).join(' '));
for (const r of idx.search.search(ts.join(' ')).slice(0, 4)) console.log('   ', r.id, r.score.toFixed(2), JSON.stringify(r.match));
