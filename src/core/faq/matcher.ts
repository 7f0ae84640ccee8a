import MiniSearch, { type SearchResult } from 'minisearch';
import { LANGS, type Lang } from '../lang.ts';
import type { Faq } from './schema.ts';
import { terms, words } from './text.ts';
import { NgramClassifier } from './ngrams.ts';
import { detectLanguage, isLatin, LanguageLexicon, type Detection } from './language.ts';

/** One FAQ entry the text may be about, with the matcher's confidence in [0, 1]. */
export interface Candidate {
  id: string;
  score: number;
}

/** What the matcher made of a text. */
export interface MatchResult {
  /** The entry, when the confidence reaches the threshold; otherwise null (the bot does not guess). */
  id: string | null;
  score: number;
  /** Closest entries, best first (offered as choices when `id` is null). */
  candidates: Candidate[];
  /** The language the text was matched in (may differ from the detected one when the text said more). */
  textLang: Lang | undefined;
  detection: Detection;
  /** When `id` is null: why (see Scope). */
  scope?: Scope;
  /** The text reads most like a request to start an application now ("ok, let's do it"). */
  request?: boolean;
  /** Which method found the entry: the lexical index, or the n-gram classifier when the words differ. */
  by?: 'lexical' | 'ngrams';
}

/** Below this confidence the bot says it does not know instead of guessing (tuned on test/fixtures). */
export const CONFIDENCE_THRESHOLD = 0.5;

/**
 * The n-gram classifier (trained on the FAQ's questions and phrasings, requests to apply, questions the sources
 * do not answer and messages about something else) decides, the lexical index when the classifier is unsure.
 * Chosen on test/fixtures/questions/tune and test/fixtures only: SHARE and SCORE, the label's probability and
 * its nearest phrasing's similarity at which the classifier's label is taken; OFF_TOPIC, the share of the
 * text's words the phrasings know below which an unclear text is not about the GNLC; LEX_HIGH and LEX_SHARE:
 * a lexical match this confident wins over a classifier whose vote is below this share (a bare "deadline" is
 * the deadline entry);
 * MID_FORM: how sure the classifier must be of a question typed where the form waits for an answer.
 */
export const NGRAM = { share: 0.2, score: 0.2, offTopic: 0.4, lexHigh: 0.8, lexShare: 0.6, midForm: 0.4 } as const;

/** Why a question gets no entry: not about the GNLC, about it but not in the sources, or unclear. */
export type Scope = 'off-topic' | 'unknown' | 'unclear';
/** The classifier's label for questions the sources do not answer (learnt per topic: `unknown:<topic>`). */
const UNKNOWN = 'unknown';
/** The classifier's label for a request to start an application now. */
const REQUEST = 'request';
/** The classifier's label for messages about something else. */
const OFF_TOPIC = 'off-topic';

/** What a classifier label stands for. */
function labelKind(label: string): 'entry' | 'request' | 'unknown' | 'off-topic' | undefined {
  if (!label) return undefined;
  if (label === REQUEST) return 'request';
  if (label === OFF_TOPIC) return 'off-topic';
  return label === UNKNOWN ? 'unknown' : 'entry';
}

interface LangIndex {
  search: MiniSearch<{ id: string; title: string; questions: string; keywords: string }>;
  /** Number of entries each term occurs in, for term weights. */
  df: Map<string, number>;
  keep: Set<string>;
}

/**
 * Full-text FAQ matcher: one MiniSearch index per language over each entry's title, question variants
 * and keywords (stemmed, stopwords removed, accents folded), with fuzzy and prefix matching for typos and
 * word forms. Confidence is the share of the question's meaningful words the best entry accounts for,
 * weighted by how specific each word is, so a question about something else ("deadline for my tax return")
 * stays below the threshold even when it shares a word with the FAQ.
 */
export class FaqMatcher {
  private readonly indexes = new Map<Lang, LangIndex>();
  private readonly lexicon: LanguageLexicon;
  private readonly entryCount: number;
  /** The phrasings of every entry as character n-grams: what a question resembles when its words differ. */
  private readonly ngrams: NgramClassifier;

  /** `extraWords`: more words typical of each language (greetings, command words) for detecting it. */
  constructor(faq: Faq, extraWords: Partial<Record<Lang, string[]>> = {}) {
    this.entryCount = faq.entries.length;
    const vocabulary: Partial<Record<Lang, Set<string>>> = {};
    for (const lang of LANGS) {
      const keep = new Set<string>();
      // A stopword that is a keyword on its own ("when", "combien", "когда") carries meaning here.
      for (const e of faq.entries) {
        for (const k of faq.text[lang][e.id]!.keywords) {
          const ws = words(k, lang);
          if (ws.length === 1) keep.add(ws[0]!);
        }
      }
      const analyze = (text: string) => terms(text, lang, keep);
      const df = new Map<string, number>();
      /** The longest indexed term: a longer query term is more than two edits from every one of them. */
      let longest = 0;
      const search = new MiniSearch<{ id: string; title: string; questions: string; keywords: string }>({
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
            lang === 'zh' || df.has(term) || term.length < 5 || term.length > longest + 2
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
      search.addAll(docs);
      const vocab = new Set<string>((extraWords[lang] ?? []).flatMap((w) => words(w, lang)));
      for (const d of docs) {
        const all = `${d.title}\n${d.questions}\n${d.keywords}`;
        for (const w of words(all, lang)) vocab.add(w);
        for (const term of new Set(analyze(all))) {
          df.set(term, (df.get(term) ?? 0) + 1);
          longest = Math.max(longest, term.length);
        }
      }
      vocabulary[lang] = vocab;
      this.indexes.set(lang, { search, df, keep });
    }
    this.lexicon = new LanguageLexicon(vocabulary);
    const examples = LANGS.flatMap((lang) => [
      ...faq.entries.flatMap((e) => {
        const t = faq.text[lang][e.id]!;
        return [t.title, ...t.questions, ...(faq.phrasings[lang][e.id] ?? [])].map((text) => ({
          lang,
          text,
          label: e.id,
        }));
      }),
      ...(faq.requests[lang] ?? []).map((text) => ({ lang, text, label: REQUEST })),
      ...faq.notInSources.flatMap((u) => u.questions[lang].map((text) => ({ lang, text, label: `unknown:${u.id}` }))),
      ...(faq.offTopic[lang] ?? []).map((text) => ({ lang, text, label: OFF_TOPIC })),
    ]);
    this.ngrams = new NgramClassifier(examples);
  }

  /** Detects the language of `text` (see detectLanguage). */
  detect(text: string): Detection {
    return detectLanguage(text, this.lexicon);
  }

  /**
   * Finds the FAQ entry `text` asks about. `hint` is the language to try first when detection cannot
   * tell (the platform locale); Latin-script text is also tried in the other Latin languages, since a
   * confident match is itself strong evidence of the language.
   */
  match(text: string, hint?: Lang): MatchResult {
    const detection = this.detect(text);
    const first = detection.lang ?? hint ?? 'en';
    let best = this.matchIn(text, first);
    let textLang: Lang = first;
    if (
      best.score < CONFIDENCE_THRESHOLD &&
      isLatin(first) &&
      detection.by !== 'script' &&
      detection.by !== 'detector'
    ) {
      for (const other of ['en', 'fr', 'es'] as const) {
        if (other === first) continue;
        const r = this.matchIn(text, other);
        if (r.score >= CONFIDENCE_THRESHOLD && r.score > best.score + 0.15) {
          best = r;
          textLang = other;
        }
      }
    }
    const top = best.candidates[0];
    const confident = top !== undefined && best.score >= CONFIDENCE_THRESHOLD;
    const lang = detection.lang ?? (confident ? textLang : first);
    const near = this.ngrams.classify(text, lang);
    const base = { candidates: best.candidates, detection };
    const refuse = (scope: Scope, score: number): MatchResult => ({
      ...base,
      id: null,
      score: round(score),
      textLang: scope === 'unknown' ? (detection.lang ?? textLang) : detection.lang,
      scope,
    });
    const kind = near ? labelKind(near.label) : undefined;
    // The classifier decides when its nearest phrasings agree (their vote share estimates the label's probability).
    // Except where the FAQ's own words say it all ("deadline") and the phrasings are divided.
    const lexical =
      confident && best.score >= NGRAM.lexHigh && (!near || (kind === 'entry' && near.share < NGRAM.lexShare));
    const sure = !lexical && near !== undefined && near.share >= NGRAM.share && near.score >= NGRAM.score;
    if (sure && kind === 'request')
      return { ...base, id: null, score: round(near.score), textLang: lang, request: true };
    // A question the sources do not answer ("how are applications evaluated?") gets no entry, even a close one.
    if (sure && kind === 'unknown') return refuse('unknown', near.score);
    if (sure && kind === 'off-topic') return refuse('off-topic', near.score);
    if (sure && kind === 'entry') {
      // Found by the lexical index as well, or only by the phrasings (in other words than the FAQ's).
      const by = confident && top!.id === near.label ? 'lexical' : 'ngrams';
      const candidates = [
        { id: near.label, score: round(near.share) },
        ...best.candidates.filter((c) => c.id !== near.label),
      ];
      return { id: near.label, score: round(near.share), candidates, textLang: lang, detection, by };
    }
    if (!confident) {
      // A text without words ("👋 ?") is unclear, not off-topic.
      const known = near?.known ?? 1;
      if (known < NGRAM.offTopic || kind === 'off-topic') return refuse('off-topic', best.score);
      return refuse(kind === 'unknown' ? 'unknown' : 'unclear', best.score);
    }
    return {
      id: top.id,
      score: round(best.score),
      candidates: best.candidates,
      textLang: detection.lang ?? textLang,
      detection,
    };
  }

  /** Matches in one language's index; `score` is the confidence of the best candidate. */
  private matchIn(text: string, lang: Lang): { score: number; candidates: Candidate[] } {
    const index = this.indexes.get(lang)!;
    const queryTerms = [...new Set(terms(text, lang, index.keep))];
    if (queryTerms.length === 0) return { score: 0, candidates: [] };
    const results = index.search.search(queryTerms.join(' '), {});
    if (results.length === 0) return { score: 0, candidates: [] };
    const weight = (t: string) => Math.log(1 + this.entryCount / Math.max(1, index.df.get(t) ?? 0));
    const total = queryTerms.reduce((s, t) => s + weight(t), 0);
    const confidence = (r: SearchResult) => {
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

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
