/**
 * A change asked for in a sentence ("I want to change the email address", "我想把联系人电话改成…", "بدي اعدل رقم
 * الهاتف"): a word that asks for a change, and words that name a question of the form.
 */
import { stopwords, words } from '../faq/text.ts';
import { LANGS } from '../lang.ts';
import type { FormText } from './display.ts';
import { FIELDS, type FieldDef } from './form.ts';
import { formList } from './locale-lists.ts';
import { type FormWords, SameWords } from './words.ts';

/** Longer than this, a text is an answer or a question, not a request to change one answer. */
const MAX_WORDS = 14;
/** A word in the labels of this many questions or fewer tells which one is meant. */
const TELLING = 3;
/** More questions as likely than this: the sentence names a part of the form, not an answer. */
const MAX_FOUND = 4;

/** The words of each question of the form in the six languages: of its label, and of its question. */
interface Named {
  field: FieldDef;
  label: SameWords;
  prompt: SameWords;
}

/** Values written in a sentence: e-mail and web addresses, numbers (a phone, a population). */
const VALUES = /[^\s@]+@[^\s@]+|(?:https?:\/\/)?(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}\S*|\+?\p{Nd}[\p{Nd}\s().,'-]*/gu;

/** The words of approximations in the six languages ("aproximadamente", "около", "大约"). */
const APPROX = new Set(formList('approx_words').flatMap((p) => words(p, /\p{Script=Han}/u.test(p) ? 'zh' : 'en')));
/** A common word of one of the six languages ("the", "dans", "хочу"). */
const common = (w: string) => LANGS.some((l) => stopwords(l).has(w));

export class EditRequests {
  private named?: Named[];
  /** The Chinese words of the form's labels and questions, longest first. */
  private han?: string[];

  constructor(
    private readonly text: FormText,
    private readonly words: FormWords,
  ) {}

  /**
   * The questions such a sentence names, best first by how many of its words their labels (twice) and questions
   * hold: one, or several as likely ("the contact's name": surname and first name); none when it asks no change or
   * names nothing (a word of a label is needed: "change the email address", not "change our plans").
   */
  fields(typed: string, today: string, strict = true): FieldDef[] {
    const han = /\p{Script=Han}/u.test(typed);
    // The new value the sentence may carry ("…it should be 270000") names no question.
    const bare = typed.replace(VALUES, ' ');
    const ws = words(bare, han ? 'zh' : 'en');
    if (ws.length < 2 || ws.length > MAX_WORDS) return [];
    const verb = ws.findIndex((w) => this.words.asksChange(w));
    if (verb < 0 && !(han && this.words.hasHanChange(typed))) return [];
    const named = this.vocabulary(today);
    const rest = han ? this.inside(typed, named) : ws.filter((w, i) => i !== verb && !(w.length <= 3 && common(w)));
    // A word of a few labels only says which question ("email", "телефон"); one of many ("learning", "contact")
    // only narrows it down.
    const inLabel = named.map((n) => rest.map((w) => n.label.has(w)));
    const labels = rest.map((_, i) => inLabel.filter((hits) => hits[i]).length);
    const meaningful = rest.filter((w) => !common(w)).length;
    let best = 0;
    let found: FieldDef[] = [];
    for (const [f, { field, prompt }] of named.entries()) {
      let telling = false;
      let score = 0;
      let said = 0;
      for (const [i, w] of rest.entries()) {
        if (inLabel[f]![i]) {
          telling ||= labels[i]! <= TELLING;
          score += 2;
          said++;
        } else if (prompt.has(w)) {
          score++;
          said++;
        }
      }
      // Most of what the sentence says is about the question ("the way our city learns" is not the city's name);
      // half of it when it carries a value, introduced by words of its own ("the correct one is…").
      // (Not `strict`: the questions a correction most likely means, to offer: "me equivoqué en la ciudad…".)
      const about = !strict || (bare === typed ? said * 2 > meaningful : said * 2 >= meaningful);
      if (!telling || !about || score < best) continue;
      if (score > best) found = [];
      best = score;
      found.push(field);
    }
    return found.length <= MAX_FOUND ? found : [];
  }

  /**
   * A sentence that says an answer was wrong without naming it clearly ("ah perdón, me equivoqué en la ciudad, el
   * nombre es solo Rosario", "联系人名字填错了"): the questions it most likely means (maybe none); undefined when it
   * says no such thing, or is too short or too long to be one.
   */
  correction(typed: string, today: string): FieldDef[] | undefined {
    const han = /\p{Script=Han}/u.test(typed);
    const ws = words(typed.replace(VALUES, ' '), han ? 'zh' : 'en');
    if (ws.length < 3 || ws.length > MAX_WORDS || !this.words.saysMistake(typed)) return undefined;
    return this.fields(typed, today, false);
  }

  /**
   * Whether every meaningful word of a text is one of `field`'s label or question, or of an approximation
   * ("la superficie son", "男性大约", "индекс"): words that only introduce the value after them.
   */
  onlyAbout(field: FieldDef, text: string, today: string): boolean {
    const han = /\p{Script=Han}/u.test(text);
    const own = this.vocabulary(today).find((n) => n.field === field);
    if (!own) return false;
    const all = words(text, han ? 'zh' : 'en');
    const ws = all.filter((w) => !common(w) && !APPROX.has(w));
    if (!all.length) return false;
    // Chinese: the question's words inside the text ("男性" in 男性大约), once ICU's cuts are joined.
    if (han) return ws.every((w) => own.label.has(w) || own.prompt.has(w) || /^\p{Script=Han}$/u.test(w));
    return ws.every((w) => own.label.has(w) || own.prompt.has(w) || [...w].length <= 3);
  }

  /**
   * Whether a question is about `field` itself ("what is GDP per capita?", "что значит официальная должность?"): a
   * word of its label that tells it from most others, and most of the question's meaningful words in its label or
   * its question; of a message of sentences, one of them ("где взять численность населения? росстат подойдет?").
   */
  about(field: FieldDef, typed: string, today: string): boolean {
    // "Where do we get that number from?" where a number, a date or a choice is asked.
    if (field.kind !== 'text' && this.words.mentions('this_value', typed)) return true;
    const sentences = typed.split(/(?<=[.?!。？！؟])\s*/u).filter((p) => /[\p{L}\p{N}]/u.test(p));
    if (sentences.length > 1 && sentences.length <= 3) return sentences.some((p) => this.about(field, p, today));
    const han = /\p{Script=Han}/u.test(typed);
    // Not the words that ask ("what does … mean", "什么意思"), nor a Chinese character ICU leaves alone ("人均": 人, 均).
    const asking = (w: string) => common(w) || this.words.asksHelp(w) || /^\p{Script=Han}$/u.test(w);
    const meaningful = words(typed, han ? 'zh' : 'en').filter((w) => !asking(w));
    if (!meaningful.length || meaningful.length > MAX_WORDS) return false;
    const named = this.vocabulary(today);
    const own = named.find((n) => n.field === field);
    if (!own) return false;
    let hits = 0;
    let telling = false;
    // Chinese: the form's words inside the text, and those in other scripts ("人均GDP").
    const said = han
      ? [...this.inside(typed, named), ...meaningful.filter((w) => !/\p{Script=Han}/u.test(w))]
      : meaningful;
    for (const w of said) {
      const inLabel = own.label.has(w);
      telling ||= inLabel && named.filter((n) => n.label.has(w)).length <= TELLING;
      if (inLabel || own.prompt.has(w)) hits++;
    }
    return telling && hits * 2 > meaningful.length;
  }

  /**
   * Chinese: the words of the form's questions written in the text, longest first and not inside another found
   * ("联系人电话": 联系人, 电话), since ICU cuts a sentence into other words than a label ("联系", "人").
   */
  private inside(typed: string, named: Named[]): string[] {
    const text = words(typed, 'zh').join('');
    this.han ??= [...new Set(named.flatMap((n) => [...n.label.words, ...n.prompt.words]))]
      .filter((w) => /^\p{Script=Han}{2,}$/u.test(w))
      .sort((a, b) => b.length - a.length);
    const known = this.han.filter((w) => text.includes(w));
    return known.filter((w, i) => !known.slice(0, i).some((longer) => longer.includes(w)));
  }

  private vocabulary(today: string): Named[] {
    this.named ??= FIELDS.map((field) => ({
      field,
      label: new SameWords(LANGS.flatMap((l) => words(this.text.label(field, l), l))),
      prompt: new SameWords(LANGS.flatMap((l) => words(this.text.prompt(field, l, {}, today), l))),
    }));
    return this.named;
  }
}
