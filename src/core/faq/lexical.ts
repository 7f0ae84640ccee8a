import MiniSearch from 'minisearch';
import { Kept } from '../../lib/memo.ts';
import type { Lang } from '../lang.ts';
import type { Faq } from './schema.ts';
import { terms, words } from './text.ts';

/** One FAQ entry the text may be about, with the matcher's confidence in [0, 1]. */
export interface Candidate {
  id: string;
  score: number;
}

/**
 * Full-text FAQ index of one language: MiniSearch over each entry's title, question variants and keywords
 * (stemmed, stopwords removed, accents folded), with fuzzy and prefix matching for typos and word forms.
 * Confidence is the share of the question's meaningful words the best entry accounts for, weighted by how
 * specific each word is, so a question about something else ("deadline for my tax return") stays low even when
 * it shares a word with the FAQ. Built on the language's first question (a process that never hears Chinese
 * never loads Chinese word segmentation).
 */
export class LexicalIndex {
  private readonly search: MiniSearch<{ id: string; title: string; questions: string; keywords: string }>;
  /** Number of entries each term occurs in, for term weights. */
  private readonly df = new Map<string, number>();
  private readonly keep = new Set<string>();
  private readonly entryCount: number;
  /** Each query term's results, kept (see searchTerms). */
  private readonly byTerm = new Kept<readonly { id: string; score: number }[]>(MAX_TERMS);

  constructor(faq: Faq, lang: Lang) {
    this.entryCount = faq.entries.length;
    const { df, keep } = this;
    // A stopword that is a keyword on its own ("when", "combien", "когда") carries meaning here.
    for (const e of faq.entries) {
      for (const k of faq.text[lang][e.id]!.keywords) {
        const ws = words(k, lang);
        if (ws.length === 1) keep.add(ws[0]!);
      }
    }
    const analyze = (text: string) => terms(text, lang, keep);
    /** The longest indexed term: a longer query term is more than two edits from every one of them. */
    let longest = 0;
    this.search = new MiniSearch<{ id: string; title: string; questions: string; keywords: string }>({
      fields: ['title', 'questions', 'keywords'],
      tokenize: (text) => [text],
      processTerm: (text) => analyze(text),
      searchOptions: {
        // Queries are analyzed by `terms` before searching: do not analyze them twice.
        tokenize: (text) => text.split(' '),
        processTerm: (term) => term,
        boost: { title: 1.5, keywords: 2 },
        combineWith: 'OR',
        // Only unknown words can be typos (and fuzzy search is the costly part). Chinese words are two or
        // three characters: an edit would change the word, not fix a typo.
        // A term longer than every indexed one by more than the two edits allowed cannot match: not searched
        // (the fuzzy walk costs the term's length at every node of the index, seconds for a very long word).
        fuzzy: (term) =>
          lang === 'zh' || df.has(term) || term.length < 6 || term.length > longest + 2
            ? false
            : term.length < 9
              ? 1
              : 2,
        prefix: (term) => (lang === 'zh' ? term.length >= 2 : term.length >= 4),
        weights: { fuzzy: 0.6, prefix: 0.5 },
      },
    });
    const docs = faq.entries.map((e) => {
      const t = faq.text[lang][e.id]!;
      return { id: e.id, title: t.title, questions: t.questions.join('\n'), keywords: t.keywords.join('\n') };
    });
    this.search.addAll(docs);
    for (const d of docs) {
      for (const term of new Set(analyze(`${d.title}\n${d.questions}\n${d.keywords}`))) {
        df.set(term, (df.get(term) ?? 0) + 1);
        longest = Math.max(longest, term.length);
      }
    }
  }

  /**
   * MiniSearch's OR query over `queryTerms`, from each term's own results: an entry's score is the sum of its terms'
   * scores times the number of terms it matched, as MiniSearch computes it. A term's results (its prefix and fuzzy
   * expansions are the costly part) depend only on the index, which never changes: they are kept for the next
   * question with that word, as people's questions share most of their words.
   */
  private searchTerms(queryTerms: readonly string[]): { id: string; score: number; queryTerms: string[] }[] {
    const combined = new Map<string, { id: string; score: number; queryTerms: string[] }>();
    for (const term of queryTerms) {
      for (const r of this.termResults(term)) {
        const had = combined.get(r.id);
        if (had) {
          had.score += r.score;
          had.queryTerms.push(term);
        } else combined.set(r.id, { id: r.id, score: r.score, queryTerms: [term] });
      }
    }
    const out = [...combined.values()];
    for (const r of out) r.score *= r.queryTerms.length;
    return out.sort((a, b) => b.score - a.score);
  }

  /** One term's results: the entries it matches (exactly, by prefix or fuzzily) with their scores. */
  private termResults(term: string): readonly { id: string; score: number }[] {
    return this.byTerm.get(term, () => this.search.search(term).map((r) => ({ id: String(r.id), score: r.score })));
  }

  /** Matches `text`; `score` is the confidence of the best candidate. */
  match(text: string, lang: Lang): { score: number; candidates: Candidate[] } {
    const queryTerms = [...new Set(terms(text, lang, this.keep))];
    if (queryTerms.length === 0) return { score: 0, candidates: [] };
    const results = this.searchTerms(queryTerms);
    if (results.length === 0) return { score: 0, candidates: [] };
    const weight = (t: string) => Math.log(1 + this.entryCount / Math.max(1, this.df.get(t) ?? 0));
    const total = queryTerms.reduce((s, t) => s + weight(t), 0);
    const confidence = (r: { queryTerms: string[] }) => {
      const matched = new Set(r.queryTerms);
      const covered = queryTerms.filter((t) => matched.has(t)).reduce((s, t) => s + weight(t), 0);
      return covered / total;
    };
    const topScore = results[0]!.score;
    // Rank the leading entries by how much of the question they explain, then by BM25 relevance.
    const ranked = results
      .slice(0, 6)
      .map((r) => ({ id: String(r.id), score: confidence(r) * (r.score / topScore) ** 0.75 }))
      .sort((a, b) => b.score - a.score);
    const [best, runnerUp] = ranked;
    // When two entries explain the question about equally well it is ambiguous: lower the confidence.
    const dominance = runnerUp ? Math.min(1, 0.75 + (best!.score - runnerUp.score) / best!.score) : 1;
    const candidates = ranked
      .slice(0, 4)
      .map((c, i) => ({ id: c.id, score: round(i === 0 ? c.score * dominance : c.score) }));
    return { score: best!.score * dominance, candidates };
  }
}

/** The most query terms whose results an index keeps (a few MB at most; the oldest go first). */
const MAX_TERMS = 20_000;

export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
