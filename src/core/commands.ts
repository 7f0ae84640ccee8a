import type { Translate } from '../i18n/index.ts';
import { LANGS, isLang, type Lang } from './lang.ts';
import { words } from './faq/text.ts';
import { normalizeCommand, WordLists } from './word-lists.ts';

/** The command lists of locales/<lng>/common.json. */
export const COMMON_COMMANDS = ['language', 'help', 'greeting', 'introduction', 'thanks', 'okay'] as const;

/** What a text of courtesies only is: thanks (or goodbye) outrank an acknowledgement, which outranks a greeting. */
type Courtesy = 'thanks' | 'okay' | 'greeting';
const RANK: Record<Courtesy, number> = { greeting: 0, okay: 1, thanks: 2 };

/** The form's commands that tell a short text's language too ("continuer", "statut", "préparer un brouillon"). */
const FORM_VOCABULARY = ['continue', 'status', 'review', 'draft', 'back', 'skip', 'cancel', 'submit'] as const;

/** A question mark in any of the six languages' scripts. */
const QUESTION_MARK = /[?？؟]/u;
/** Scripts written without spaces between words: their question words are looked for anywhere in the text. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** Recognises the bot's typed commands in all six languages (the words live in locales/<lng>/common.json). */
export class CommandWords {
  readonly lists: WordLists<(typeof COMMON_COMMANDS)[number]>;
  private readonly languageNames = new Map<string, Lang>();
  /** Interrogative openings ("who", "comment", "¿cuándo", "как", "هل"), normalized; and words found anywhere (谁, 吗). */
  private readonly openings: string[] = [];
  private readonly inside: string[] = [];
  /** Introductions ("i'm", "je suis", "меня зовут", "我是"), normalized. */
  private readonly introductions: string[];
  /** Thanks, acknowledgement and greeting phrases as words, longest first, each with its kind. */
  private readonly courtesies: { words: string[]; kind: Courtesy }[] = [];

  /** The form's and the alerts' command lists, for `vocabulary` (read once). */
  private readonly more: {
    form: WordLists<(typeof FORM_VOCABULARY)[number]>;
    alerts: WordLists<'subscribe' | 'stop'>;
  };

  constructor(t: Translate) {
    this.more = {
      form: new WordLists(t, 'form', FORM_VOCABULARY),
      alerts: new WordLists(t, 'alerts', ['subscribe', 'stop']),
    };
    this.lists = new WordLists(t, 'common', COMMON_COMMANDS);
    for (const lang of LANGS) {
      for (const kind of ['thanks', 'okay', 'greeting'] as const) {
        for (const p of this.lists.raw(lang, kind)) this.courtesies.push({ words: words(p, lang), kind });
      }
    }
    this.courtesies.sort((a, b) => b.words.length - a.words.length);
    this.introductions = LANGS.flatMap((l) => this.lists.raw(l, 'introduction').map((p) => normalizeCommand(p)));
    const questions = new WordLists(t, 'common', ['question_words'] as const);
    for (const lang of LANGS) {
      for (const w of questions.raw(lang, 'question_words')) {
        if (UNSPACED.test(w)) this.inside.push(w);
        else this.openings.push(normalizeCommand(w));
      }
    }
    // Every language's name in every language ("anglais", "Inglés", "английский", "英语", "الإنجليزية"),
    // from the runtime's CLDR data rather than a hand-made table.
    for (const display of LANGS) {
      const names = new Intl.DisplayNames([display], { type: 'language' });
      for (const lang of LANGS) {
        const name = names.of(lang);
        if (name) this.languageNames.set(normalizeCommand(name), lang);
      }
    }
    for (const lang of LANGS) this.languageNames.set(lang, lang);
  }

  /** Every command word of one language (greetings, help, language, the form's, the alerts'), to tell its texts. */
  vocabulary(lang: Lang): string[] {
    const { form, alerts } = this.more;
    const common = COMMON_COMMANDS.flatMap((kind) => this.lists.raw(lang, kind));
    const more = [...FORM_VOCABULARY.flatMap((kind) => form.raw(lang, kind)), ...alerts.raw(lang, 'subscribe')];
    return [...common, ...more, ...alerts.raw(lang, 'stop')];
  }

  /** True when the whole text is a help command ("help", "aide", "帮助"). */
  isHelp(text: string): boolean {
    return this.lists.is('help', text);
  }

  /**
   * Parses "language: français", "langue anglais", "idioma: es", "язык: русский", "语言：中文".
   * Returns the language, `{ unknown }` for one word that names no language we speak ("langue klingon"), or
   * undefined when the text is not a language command at all ("langues acceptées pour le dossier ?" is a question).
   */
  language(text: string): Lang | { unknown: string } | undefined {
    const m = /^\s*([^\s:：]+)\s*[:：]?\s*(.+?)\s*$/u.exec(text);
    if (!m || !this.lists.is('language', m[1]!)) return undefined;
    const choice = this.languageCode(m[2]!);
    if (typeof choice !== 'string' && (/\s/u.test(choice.unknown) || QUESTION_MARK.test(choice.unknown)))
      return undefined;
    return choice;
  }

  /** A language given by code or by name in any of the six languages ("fr", "français", "French"). */
  languageCode(text: string): Lang | { unknown: string } {
    const value = normalizeCommand(text);
    const found = this.languageNames.get(value) ?? (isLang(value) ? value : undefined);
    return found ?? { unknown: text.trim() };
  }

  /**
   * True when a text reads as a question: a question mark in any script, an interrogative opening of two words or
   * more ("who can apply", "comment postuler", "как подать"), or a question word of a language written without
   * spaces (谁可以申请). The words are in locales/<lng>/common.json `commands.question_words`.
   */
  isQuestion(text: string): boolean {
    if (QUESTION_MARK.test(text)) return true;
    if (this.inside.some((w) => text.includes(w))) return true;
    // A sentence of context before the question ("Je suis point focal à Thiès. Pourriez-vous…"): in a short
    // message, each sentence may open the question (a long text, such as an answer of the form, is not read so).
    const sentences = text.split(/(?<=[.!。！])\s+|\n+/u).filter((x) => x.trim());
    if (sentences.length > 1 && sentences.length <= 3) return sentences.some((x) => this.opensQuestion(x));
    return this.opensQuestion(text);
  }

  /** True when a sentence opens with an interrogative (after any greeting). */
  private opensQuestion(text: string): boolean {
    // A greeting before the question ("Bonjour, qui peut postuler") does not hide it.
    const all = normalizeCommand(text)
      .split(/[\s,.!;:،，。！]+/u)
      .filter(Boolean);
    const tokens = all.slice(this.greetings(all, 2));
    if (tokens.length < 2) return false;
    const n = tokens.join(' ');
    return this.openings.some((w) => n.startsWith(`${w} `));
  }

  /**
   * What follows the greetings a text opens with ("Bonjour, Saint-Louis" → "Saint-Louis"), as typed; undefined when
   * it opens with none or is nothing else.
   */
  afterGreeting(text: string): string | undefined {
    const typed = text
      .trim()
      .split(/[\s,.!;:،，。！]+/u)
      .filter(Boolean);
    const k = this.greetings(
      typed.map((w) => normalizeCommand(w)),
      0,
    );
    return k > 0 && k < typed.length ? typed.slice(k).join(' ') : undefined;
  }

  /**
   * How many of the normalized `tokens` are the greetings they open with (one word or two: "bonjour", "good
   * morning"), counted while more than `keep` tokens are left.
   */
  private greetings(tokens: readonly string[], keep: number): number {
    let k = 0;
    while (tokens.length - k > keep) {
      if (this.lists.has('greeting', tokens[k]!)) k++;
      else if (k + 1 < tokens.length && this.lists.has('greeting', `${tokens[k]} ${tokens[k + 1]}`)) k += 2;
      else break;
    }
    return k;
  }

  /**
   * Who is writing, asking nothing yet ("Hello! I'm Sarah from Bristol city council", "Меня зовут Ольга, я из
   * администрации Казани", "我是杭州市教育局的王芳"): after any greeting, an introduction opens the text.
   */
  introduces(text: string): boolean {
    if (this.isQuestion(text)) return false;
    const rest = normalizeCommand(this.afterGreeting(text) ?? text);
    return this.introductions.some((n) => rest === n || rest.startsWith(UNSPACED.test(n) ? n : `${n} `));
  }

  /**
   * A text of thanks, acknowledgement or goodbye only, maybe with a greeting ("Merci beaucoup, bonne journée",
   * "ok thanks", "مع السلامة", "d'accord").
   */
  isThanks(text: string): boolean {
    if (this.lists.is('thanks', text) || this.lists.is('okay', text)) return true;
    const c = this.courtesy(text);
    return c === 'thanks' || c === 'okay';
  }

  /** A text of acknowledgements only, thanking for nothing ("ok", "d'accord, compris", "понятно"). */
  isOkay(text: string): boolean {
    return !this.lists.is('thanks', text) && (this.lists.is('okay', text) || this.courtesy(text) === 'okay');
  }

  /** True when the text is only greetings (and punctuation): "hello", "bonjour !", "你好", "hola, buenas tardes". */
  isGreeting(text: string): boolean {
    return this.lists.is('greeting', text) || this.courtesy(text) === 'greeting';
  }

  /** A text of courtesies only, read phrase by phrase, longest first: the highest kind of its phrases (RANK). */
  private courtesy(text: string): Courtesy | undefined {
    const ws = words(text, 'en');
    if (ws.length === 0 || ws.length > 8) return undefined;
    let kind: Courtesy = 'greeting';
    for (let i = 0; i < ws.length; ) {
      const phrase = this.courtesies.find((c) => c.words.length && c.words.every((w, k) => ws[i + k] === w));
      if (!phrase) return undefined;
      if (RANK[phrase.kind] > RANK[kind]) kind = phrase.kind;
      i += phrase.words.length;
    }
    return kind;
  }
}
