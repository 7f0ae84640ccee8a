import { LANGS, type Lang } from '../lang.ts';
import type { Faq } from './schema.ts';
import { words } from './text.ts';
import { type Neighbours, NgramClassifier } from './ngrams.ts';
import { detectLanguage, isLatin, LanguageLexicon, type Detection } from './language.ts';
import { type Candidate, LexicalIndex, round } from './lexical.ts';
import { MODELS_DIR } from '../../paths.ts';

export type { Candidate } from './lexical.ts';

/** The languages written in Latin script, told apart by their words. */
const LATIN_LANGS = ['en', 'fr', 'es'] as const;

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
  /** It asks where the person's own application stands ("where is our application at"): the status command. */
  status?: boolean;
  /** Of a question the sources do not answer (scope "unknown"), its topic when the classifier tells it ("regions"). */
  topic?: string;
  /** The classifier's probability that the text asks to start an application (a statement of intent). */
  requestLikelihood?: number;
  /**
   * Which method found the entry: the lexical index, or the n-gram classifier when the words differ; on a
   * refusal, 'ngrams' when the classifier was sure of it (not a fallback for a text it could not read).
   */
  by?: 'lexical' | 'ngrams';
}

/** Below this confidence the bot says it does not know instead of guessing (tuned on test/fixtures). */
export const CONFIDENCE_THRESHOLD = 0.5;

/**
 * The n-gram classifier (trained on the FAQ's questions and phrasings, requests to apply, questions the sources
 * do not answer and messages about something else) decides, the lexical index when the classifier is unsure.
 * Chosen on test/fixtures/questions/tune and test/fixtures only: SHARE and SCORE, the label's probability and its
 * nearest phrasing's similarity from which the classifier's label is taken; KNOWN_WORDS, the share of the text's
 * words the phrasings must know for that; OFF_TOPIC, that share below which an unclear text is not about the
 * GNLC; LEX_HIGH, LEX_SHARE and LEX_RATIO: a lexical match this confident wins over a classifier less sure than
 * LEX_SHARE that finds the lexical entry at least LEX_RATIO as likely as its own pick; MID_FORM: how sure the
 * classifier must be of a question typed where the form waits for an answer.
 */
export const NGRAM = {
  share: 0.2,
  score: 0.2,
  offTopic: 0.4,
  lexHigh: 0.8,
  lexShare: 0.6,
  midForm: 0.4,
  knownWords: 0.01,
  lexRatio: 0.7,
  general: 0.7,
} as const;

/** Why a question gets no entry: not about the GNLC, about it but not in the sources, or unclear. */
export type Scope = 'off-topic' | 'unknown' | 'unclear';
/** The classifier's label for questions the sources do not answer (learnt per topic: `unknown:<topic>`). */
const UNKNOWN = 'unknown';
/** The classifier's label for a request to start an application now. */
const REQUEST = 'request';
/** The classifier's label for messages about something else. */
const OFF_TOPIC = 'off-topic';
/** The classifier's label for a question about where one's own application stands (the status command). */
const STATUS = 'status';

/** What a classifier label stands for. */
function labelKind(label: string): 'entry' | 'request' | 'status' | 'unknown' | 'off-topic' | undefined {
  if (!label) return undefined;
  if (label === REQUEST) return 'request';
  if (label === STATUS) return 'status';
  if (label === OFF_TOPIC) return 'off-topic';
  return label === UNKNOWN ? 'unknown' : 'entry';
}

/**
 * The FAQ matcher: detects the text's language, then asks the classifier (ngrams.ts) and the lexical index of
 * that language (lexical.ts), and decides between them (see NGRAM).
 */
export class FaqMatcher {
  private readonly indexes = new Map<Lang, LexicalIndex>();
  private readonly lexicon: LanguageLexicon;
  /** The phrasings of every entry as character n-grams: what a question resembles when its words differ. */
  private readonly ngrams: NgramClassifier;
  private readonly generalOf = new Map<string, string>();

  /**
   * `extraWords`: more words typical of each language (greetings, command words) for detecting it; `modelsDir`:
   * where the classifier keeps what it learns for the next process (the built program's, see src/paths.ts).
   */
  constructor(
    private readonly faq: Faq,
    extraWords: Partial<Record<Lang, string[]>> = {},
    modelsDir: string | undefined = MODELS_DIR,
  ) {
    const vocabulary: Partial<Record<Lang, Set<string>>> = {};
    // The FAQ's words of each Latin-script language, to tell them apart (the other scripts say it themselves).
    for (const lang of LATIN_LANGS) {
      const vocab = new Set<string>((extraWords[lang] ?? []).flatMap((w) => words(w, lang)));
      for (const e of faq.entries) {
        const t = faq.text[lang][e.id]!;
        for (const w of words([t.title, ...t.questions, ...t.keywords].join('\n'), lang)) vocab.add(w);
      }
      vocabulary[lang] = vocab;
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
      ...(faq.status[lang] ?? []).map((text) => ({ lang, text, label: STATUS })),
    ]);
    this.ngrams = new NgramClassifier(examples, modelsDir);
    for (const e of faq.entries) if (e.general) this.generalOf.set(e.id, e.general);
  }

  /**
   * The general entry instead of a narrower one (see EntrySchema.general) unless the classifier finds the narrower
   * one clearly more likely (by 1 / NGRAM.general).
   */
  private widen(id: string, near: Neighbours | undefined): string {
    const general = this.generalOf.get(id);
    if (!general || !near) return id;
    const p = near.probability;
    return (p.get(general) ?? 0) >= NGRAM.general * (p.get(id) ?? 0) ? general : id;
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
    const near = this.classifyParts(text, lang);
    const requestLikelihood = round(near?.probability.get(REQUEST) ?? 0);
    const base = { candidates: best.candidates, detection, requestLikelihood };
    const refuse = (scope: Scope, score: number, by?: 'ngrams'): MatchResult => ({
      ...base,
      id: null,
      score: round(score),
      ...(by && { by }),
      textLang: scope === 'unknown' ? (detection.lang ?? textLang) : detection.lang,
      scope,
    });
    const kind = near ? labelKind(near.label) : undefined;
    // The classifier decides when its label is likely enough, except where the FAQ's own words name an entry the
    // classifier finds nearly as likely as its own pick ("deadline", "la date limite pour les villes": the
    // cities' deadline, not the commission's).
    const lexical =
      confident &&
      best.score >= NGRAM.lexHigh &&
      (!near ||
        (!near.same &&
          near.share < NGRAM.lexShare &&
          (near.probability.get(top!.id) ?? 0) >= NGRAM.lexRatio * near.share));
    // A text none of whose words the phrasings know ("Pierre") is not the classifier's to label.
    const sure =
      !lexical &&
      near !== undefined &&
      near.share >= NGRAM.share &&
      near.score >= NGRAM.score &&
      near.known >= NGRAM.knownWords;
    if (sure && kind === 'request')
      return { ...base, id: null, score: round(near.score), textLang: lang, request: true };
    if (sure && kind === 'status') return { ...base, id: null, score: round(near.score), textLang: lang, status: true };
    // A question the sources do not answer ("how are applications evaluated?") gets no entry, even a close one.
    if (sure && kind === 'unknown') return { ...refuse('unknown', near.score, 'ngrams'), topic: near.topic };
    if (sure && kind === 'off-topic') return refuse('off-topic', near.score, 'ngrams');
    if (sure && kind === 'entry') {
      // Found by the lexical index as well, or only by the phrasings (in other words than the FAQ's).
      const id = this.widen(near.label, near);
      const by = confident && top!.id === id ? 'lexical' : 'ngrams';
      const score = round(Math.max(near.share, near.probability.get(id) ?? 0));
      const candidates = [{ id, score }, ...best.candidates.filter((c) => c.id !== id)];
      return { ...base, id, score, candidates, textLang: lang, by };
    }
    if (!confident) {
      // A text without words ("👋 ?") is unclear, not off-topic.
      const known = near?.known ?? 1;
      if (known < NGRAM.offTopic || kind === 'off-topic') return refuse('off-topic', best.score);
      return refuse(kind === 'unknown' ? 'unknown' : 'unclear', best.score);
    }
    return {
      ...base,
      id: this.widen(top.id, near),
      score: round(best.score),
      textLang: detection.lang ?? textLang,
    };
  }

  /**
   * The classifier's reading of the text, or of its last sentence or its last question when that one is
   * clearer: in "I am the focal point of Lyon. Who can apply? Thank you." the introduction and the thanks only
   * blur the question.
   */
  private classifyParts(text: string, lang: Lang): Neighbours | undefined {
    const whole = this.ngrams.classify(text, lang);
    const sentences = text.split(/(?<=[.!?。！？؟])\s*/u).filter((p) => /[\p{L}\p{N}]/u.test(p));
    if (sentences.length < 2) return whole;
    const asked = sentences.findLast((p) => /[?？؟]\s*$/u.test(p));
    let best = whole;
    for (const part of new Set([sentences.at(-1)!, asked ?? ''])) {
      const read = part ? this.ngrams.classify(part, lang) : undefined;
      if (read && best && read.share > best.share) best = read;
    }
    return best;
  }

  /** Builds a language's indexes now (a server does, after it listens) rather than on its first question. */
  warm(lang: Lang): void {
    this.ngrams.warm(lang);
    this.matchIn('', lang);
  }

  /** Matches in one language's lexical index, built on first use. */
  private matchIn(text: string, lang: Lang): { score: number; candidates: Candidate[] } {
    let index = this.indexes.get(lang);
    if (!index) {
      index = new LexicalIndex(this.faq, lang);
      this.indexes.set(lang, index);
    }
    return index.match(text, lang);
  }
}
