import type { Translate } from '../../i18n/index.ts';
import { LANGS } from '../lang.ts';
import { words } from '../faq/text.ts';
import { normalizeCommand, WordLists } from '../word-lists.ts';

/** Typed commands of the application form, in every language (locales/<lng>/form.json `commands`). */
export const FORM_COMMANDS = [
  'apply_exact',
  'apply_phrases',
  'continue',
  'later',
  'back',
  'skip',
  'review',
  'cancel',
  'help',
  'edit',
  /** Words that ask for a change inside a sentence ("I made a mistake in the email"), with the `edit` ones. */
  'change_words',
  /** Words that say an answer was wrong ("me equivoqué", "неправильно", "填错"): a correction, even unnamed. */
  'mistake',
  /** Words that point at the value asked ("this figure", "ce chiffre", "这个数字"), found inside a sentence. */
  'this_value',
  'status',
  'submit',
  'yes',
  'no',
  /** Words that turn a yes into something else ("yes but not yet", "да, но не подписал"). */
  'but',
  'done',
  'none',
  'today',
  'yesterday',
  'keep',
  /** "It's a question", "it's my answer": the buttons of "your answer, or a question?", typed. */
  'is_question',
  'is_answer',
  /** Words that take the pledge ("we accept", "принимаем", "نقبل"), with the yes ones. */
  'accept',
  /** Phrases that ask for a draft, inside a sentence (the draft button's words among them). */
  'draft',
  'filler',
] as const;
export type FormCommand = (typeof FORM_COMMANDS)[number];
/** Commands that also count at the end of a short sentence ("sorry, my mistake, back"). */
const TRAILING = new Set<FormCommand>(['back', 'skip', 'review', 'cancel', 'help', 'status', 'later', 'continue']);

/** A word without the punctuation after it ("да," "oui!"). */
const unpunctuated = (w: string) => w.replace(/[,，、;；.。!！:：،؛]+$/u, '');

/** Recognises form commands typed in any of the six languages. */
export class FormWords {
  private readonly lists: WordLists<FormCommand>;
  private readonly phrases: string[][] = [];
  /** The words of each phrase asking for a draft ("préparer un brouillon", "подготовить черновик"). */
  private readonly draftPhrases: string[][] = [];
  /** The change verbs (`edit` and `change_words` of every language, one word each), for `asksChange`. */
  private readonly changeWords: SameWords;
  private readonly hanChangeWords: string[];
  /** The `mistake` words of every language, and the Chinese ones (found inside ICU's words). */
  private readonly mistakes: SameWords;
  private readonly hanMistakes: string[];
  /** The words of the help phrases ("what does that mean", "什么意思"): they ask about a question, not name it. */
  private readonly helpWords = new Set<string>();

  constructor(t: Translate) {
    this.lists = new WordLists(t, 'form', FORM_COMMANDS);
    const verbs = LANGS.flatMap((l) => [...this.lists.raw(l, 'edit'), ...this.lists.raw(l, 'change_words')])
      .filter((x) => !/\s/u.test(x))
      .map((x) => words(x, 'zh').join(''));
    const han = (x: string) => /\p{Script=Han}/u.test(x);
    // A one-character Chinese verb ("改") is a word of its own: compared whole, as the others.
    this.changeWords = new SameWords(verbs.filter((x) => !han(x) || x.length === 1));
    this.hanChangeWords = verbs.filter(han);
    const mistakes = LANGS.flatMap((l) => this.lists.raw(l, 'mistake'));
    this.mistakes = new SameWords(mistakes.filter((x) => !han(x)).map((x) => words(x, 'en').join(' ')));
    this.hanMistakes = mistakes.filter(han);
    for (const lang of LANGS) {
      for (const p of this.lists.raw(lang, 'help')) for (const w of words(p, lang)) this.helpWords.add(w);
      for (const [kind, into] of [
        ['apply_phrases', this.phrases],
        ['draft', this.draftPhrases],
      ] as const) {
        for (const p of this.lists.raw(lang, kind)) {
          const ws = words(p, lang);
          if (ws.length) into.push(ws);
        }
      }
    }
  }

  /** A text that is only a yes or a no, as the lists say it ("oui", "нет", "好的"; not "ok, let's start"). */
  yesOrNo(text: string): boolean {
    return this.lists.is('yes', text) || this.lists.is('no', text);
  }

  /** A plain yes ("oui", "да"; not "oui, prévenez-moi quand ça ouvre"): a yes the lists hold as it is. */
  plainYes(text: string): boolean {
    return this.lists.is('yes', text);
  }

  /** A text that says nothing of its language: a yes or a no, or a word that asks to apply ("apply", "заявка"). */
  neutral(text: string): boolean {
    return this.yesOrNo(text) || this.lists.is('apply_exact', text);
  }

  /**
   * True when the whole text is one of the command's words ("back", "retour", "назад"). A yes or a no may say a
   * little more: "oui bien sûr", "yes of course", "نعم بأكد" (its first words are a yes, at most three follow, and
   * none of them is the other answer).
   */
  is(kind: FormCommand, text: string): boolean {
    if (this.lists.is(kind, text)) return true;
    // "是的，确认", "oui, je confirme": every part of it is one ("ah pardon je me suis trompé, retour": its last).
    const parts = text.split(/[\s]*[,，、;；.。!！:：—–]+[\s]*/u).filter(Boolean);
    if (parts.length > 1 && (kind === 'yes' || kind === 'no') && parts.every((p) => this.lists.is(kind, p)))
      return true;
    if (parts.length > 1 && TRAILING.has(kind) && this.lists.is(kind, parts.at(-1)!) && text.length <= 80) return true;
    // "hang on, I need to check with the mayor": a pause opening a short sentence is one.
    if (parts.length > 1 && kind === 'later' && this.lists.is(kind, parts[0]!) && text.length <= 120) return true;
    // "Oops, back", "ой, назад": a filler word before a command.
    const [first, ...rest] = normalizeCommand(text).split(' ');
    if (rest.length && this.lists.has('filler', first!.replace(/[,!.]+$/u, '')) && this.lists.has(kind, rest.join(' ')))
      return true;
    // "y ahora?": a question is not a yes or a no, whatever word it opens with.
    if ((kind !== 'yes' && kind !== 'no') || /[?？؟]/u.test(text)) return false;
    // The words without their punctuation ("да, мэр подписал"); Chinese, unspaced, by ICU ("是的，市长已经签了").
    const han = /\p{Script=Han}/u.test(text);
    const ws = han ? words(text, 'zh') : normalizeCommand(text).split(' ').map(unpunctuated).filter(Boolean);
    const other = kind === 'yes' ? 'no' : 'yes';
    const turns = (w: string) => this.lists.has(other, w) || (kind === 'yes' && this.lists.has('but', w));
    for (let n = 1; n <= Math.min(3, ws.length - 1); n++) {
      const head = ws.slice(0, n).join(' ');
      const rest = ws.slice(n);
      if (this.lists.has(kind, head) && rest.length <= (han ? 6 : 4) && !rest.some(turns)) return true;
    }
    return false;
  }

  /** "I want to apply", "je veux postuler", "我想申请": the whole text is a start command or contains a start phrase. */
  isApply(text: string): boolean {
    if (this.isApplyCommand(text)) return true;
    // ICU word boundaries do not depend on the locale (its Chinese dictionary applies to any text),
    // so one segmentation of the text serves the phrases of every language.
    const ws = words(text, 'en');
    return this.phrases.some((p) => containsRun(ws, p));
  }

  /** True when the whole text is a request to apply ("apply", "je veux postuler"), not one inside a sentence. */
  /** A text asking for a draft: one to prepare now, even with no call open ("je voudrais préparer un brouillon"). */
  asksDraft(text: string): boolean {
    const ws = words(text, 'en');
    return this.draftPhrases.some((p) => containsRun(ws, p));
  }

  isApplyCommand(text: string): boolean {
    return this.is('apply_exact', text) || this.is('apply_phrases', text);
  }

  /**
   * A word of a sentence that asks to change an answer ("change", "changed", "修改", "اعدل", "ошиблись"). Asked of
   * every word of every message typed: only the verbs that can be the same word (`sameWord`: a shared beginning of
   * three letters, or one ending the other) are compared.
   */
  asksChange(word: string): boolean {
    // Chinese verbs are found inside ICU's words ("改成", "修改一下"); one character only as a word of its own.
    return this.changeWords.has(word) || this.hanChangeWords.some((h) => h.length > 1 && word.includes(h));
  }

  /** Whether a list's phrase stands in a text as words of its own ("lo firmó ayer"; in Chinese, anywhere). */
  mentions(kind: FormCommand, text: string): boolean {
    const n = ` ${normalizeCommand(text).replace(/[?？؟!.,，。]/gu, ' ')} `;
    return [...this.lists.entries(kind)].some((p) =>
      /\p{Script=Han}/u.test(p) ? n.includes(p) : n.includes(` ${p} `),
    );
  }

  /** A yes or words that accept ("we accept"), or a yes then such words ("sí, el intendente está de acuerdo"). */
  accepts(text: string): boolean {
    const yes = (p: string) => this.is('yes', p) || this.is('accept', p);
    if (yes(text)) return true;
    const parts = text.split(/[,，、;；.。!！:：—–]+/u).filter((p) => p.trim());
    return parts.length > 1 && parts.every(yes);
  }

  /** Whether a text says an answer was wrong (a word of `mistake`; in Chinese, anywhere in it). */
  saysMistake(text: string): boolean {
    return this.hanMistakes.some((h) => text.includes(h)) || words(text, 'en').some((w) => this.mistakes.has(w));
  }

  /** Whether a Chinese text holds a change word anywhere ("联系人名字填错了": 填错), however ICU cut it. */
  hasHanChange(text: string): boolean {
    return this.hanChangeWords.some((h) => h.length > 1 && text.includes(h));
  }

  /** A word of the help phrases ("mean", "意思", "значит"). */
  asksHelp(word: string): boolean {
    return this.helpWords.has(word);
  }

  /** For "edit <name>": the name after an edit word, or '' for a bare "edit"; undefined when not an edit command. */
  editTarget(text: string): string | undefined {
    const n = normalizeCommand(text);
    if (this.lists.has('edit', n)) return '';
    // The name as typed, not as normalized: it is shown back when no question has it ("اسم العائلة", not "العايله").
    const [first, ...rest] = n.split(' ');
    if (first && rest.length && this.lists.has('edit', first)) return text.trim().replace(/^\S+\s+/u, '');
    // Chinese writes no space after the verb: "修改官方网站".
    const han = this.lists
      .raw('zh', 'edit')
      .find((w) => /^\p{Script=Han}+$/u.test(w) && n.startsWith(w) && n.length > w.length);
    return han ? text.trim().slice(han.length) : undefined;
  }
}

/** True when `run` appears in `ws` as consecutive words. */
function containsRun(ws: string[], run: string[]): boolean {
  outer: for (let i = 0; i + run.length <= ws.length; i++) {
    for (let j = 0; j < run.length; j++) if (ws[i + j] !== run[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * Words to ask "is this one of them, in another form?" (`sameWord`) of many words: only those that can be the same
 * word are compared (a shared beginning of three letters, or, of five letters or more, one ending the other).
 */
export class SameWords {
  readonly words: readonly string[];
  private readonly exact: Set<string>;
  private readonly byStart = new Map<string, string[]>();
  private readonly long: string[];

  constructor(list: readonly string[]) {
    this.words = list;
    this.exact = new Set(list);
    for (const w of this.exact)
      if (w.length >= 3) this.byStart.set(w.slice(0, 3), [...(this.byStart.get(w.slice(0, 3)) ?? []), w]);
    this.long = [...this.exact].filter((w) => w.length >= 5);
  }

  /** True when one of the words is `word` in another form: `list.some((x) => sameWord(x, word))`. */
  has(word: string): boolean {
    if (this.exact.has(word)) return true;
    if (this.byStart.get(word.slice(0, 3))?.some((x) => sameWord(x, word))) return true;
    return word.length >= 5 && this.long.some((x) => x.endsWith(word) || word.endsWith(x));
  }
}

/** Two forms of one word: equal, one the other's beginning (4 letters or more), or sharing all but their endings. */
export function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length >= 4 && long.startsWith(short)) return true;
  // "мэра" for "мэр"; "phone" in "telephone".
  if (short.length >= 3 && long.startsWith(short) && long.length - short.length <= 2) return true;
  if (short.length >= 5 && long.endsWith(short)) return true;
  let common = 0;
  while (common < short.length && short[common] === long[common]) common++;
  // "почту" for "почты", "courriels" for "courriel": a case or number ending changed on a stem of four letters.
  if (common >= 4 && common >= short.length - 1 && long.length - common <= 2) return true;
  return common >= 5 && common >= short.length - 2;
}
