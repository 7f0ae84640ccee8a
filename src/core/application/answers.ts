import { format, parseISO, subDays } from 'date-fns';
import { stopwords, words } from '../faq/text.ts';
import { LANGS, type Lang } from '../lang.ts';
import type { Intake } from '../records.ts';
import { normalizeCommand } from '../word-lists.ts';
import type { FormText } from './display.ts';
import { FIELDS, type FieldDef, type Parsed } from './form.ts';
import { EditRequests } from './edit-request.ts';
import { type FormWords, sameWord } from './words.ts';

/** The kinds whose value may follow words of its question ("площадь 425,3 кв км"), with the postcode. */
const VALUE_AFTER_WORDS = new Set<FieldDef['kind']>(['number', 'year', 'date']);
/** A value of each kind as it stands in a sentence (digits of any script; grouped by spaces, dots or commas). */
const NUMBER = /\p{Nd}(?:[\p{Nd}.,'\u00a0\u202f]|\s(?=\p{Nd}{3}(?!\p{Nd})))*/gu;
const CARRIED: Partial<Record<FieldDef['kind'], RegExp>> = {
  number: NUMBER,
  year: NUMBER,
  phone: /\+?\p{Nd}[\p{Nd}\s().-]{4,}\p{Nd}/gu,
  email: /[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+/gu,
  url: /(?:https?:\/\/)?(?:[\p{L}\p{N}-]+\.)+[\p{L}]{2,}(?:\/\S*)?/gu,
};

/**
 * Reads what a person types for a field: choices by label in any of the six languages, by number or by a
 * unique beginning; yes/no for the pledge; the field's own parser for the others.
 */
export class AnswerReader {
  private readonly nameCache = new Map<string, string[]>();
  private readonly requests: EditRequests;
  /** The pieces of the last list `several` read that name no choice ("gardening"). */
  private missed: string[] = [];

  constructor(
    private readonly text: FormText,
    readonly words: FormWords,
  ) {
    this.requests = new EditRequests(text, words);
  }

  /**
   * What a text asks to change: the name after "edit" ("edit phone": "phone"; a bare "edit": ''), or the questions
   * a sentence asking for a change names ("I want to change the email address"); undefined when it asks none.
   * A yes or a no is not one ("correct, the mayor signed").
   */
  editRequest(typed: string, today: string): string | FieldDef[] | undefined {
    const target = this.words.editTarget(typed);
    if (target !== undefined) return target;
    const named = this.requests.fields(typed, today);
    if (!named.length || this.words.is('yes', typed) || this.words.is('no', typed)) return undefined;
    return named;
  }

  /** The questions a sentence saying an answer was wrong most likely means: see EditRequests.correction. */
  correction(typed: string, today: string): FieldDef[] | undefined {
    return this.requests.correction(typed, today);
  }

  /** Whether a question is about `field` itself ("what is GDP per capita?"): see EditRequests.about. */
  about(field: FieldDef, typed: string, today: string): boolean {
    return this.requests.about(field, typed, today);
  }

  /**
   * The new value a sentence asking to change `field` carries ("…it should be 270000", "l'e-mail correct est
   * x@y.org"), for the fields whose values stand out from words: numbers, years, phones, e-mail and web addresses.
   * Undefined when it carries none, or more than one (which is meant is asked, not guessed).
   */
  carried(field: FieldDef, typed: string): string | undefined {
    const pattern = CARRIED[field.kind];
    const found = pattern ? [...typed.matchAll(pattern)].map((m) => m[0].replace(/[.,;:]+$/u, '')) : [];
    return found.length === 1 ? found[0] : undefined;
  }

  /** `today`: the applicant's day (YYYY-MM-DD, in their zone). */
  parse(field: FieldDef, typed: string, intake: Intake, lang: Lang, today: string): Parsed {
    if (field.kind === 'confirm') {
      if (this.words.accepts(typed)) return { ok: true, value: true };
      return { ok: false, error: this.words.is('no', typed) ? 'pledge_required' : 'pick_choice' };
    }
    if (field.kind === 'choice') {
      const values = field.multiple
        ? this.several(field, typed)
        : [this.choice(field, typed) ?? this.within(field, typed)];
      if (!values || values.every((v) => v === undefined)) return { ok: false, error: 'pick_choice' };
      // "Literacy, health and gardening": what was found, and what was not, said.
      if (values.includes(undefined)) {
        const quoted = (x: string) => this.text.quoted(x, lang);
        const found = (values.filter(Boolean) as string[]).map((c) => quoted(this.text.choice(field, c, lang)));
        // What was not found, as typed; when the folding changed its letters (Arabic "ة"), not named.
        const asTyped = this.missed
          .map((m) => typed.toLowerCase().indexOf(m))
          .map((at, i) => [at, this.missed[i]!.length]);
        if (asTyped.some(([at]) => at! < 0))
          return { ok: false, error: 'some_choices_unknown_unnamed', vars: { found } };
        const missed = asTyped.map(([at, n]) => quoted(typed.slice(at, at! + n!)));
        return { ok: false, error: 'some_choices_unknown', vars: { found, missed } };
      }
      // Typed items add to what is ticked already; typed over an answer being edited, they replace it (the ticks
      // are still the stored answer: nothing was pressed since the question was asked again).
      const ticked = field.multiple ? (intake.pick ?? []) : [];
      const stored = intake.answers[field.key];
      const editing =
        Array.isArray(stored) && stored.length === ticked.length && ticked.every((c) => stored.includes(c));
      const picked = new Set([...(editing ? [] : ticked), ...(values as string[])]);
      const value = field.multiple ? field.choices!.filter((c) => picked.has(c)) : values[0];
      return { ok: true, value };
    }
    // "Today, 1 June 2025?" is asked: a yes is today.
    if (field.kind === 'date' && (this.words.is('today', typed) || this.words.plainYes(typed)))
      return { ok: true, value: today };
    // "Yesterday", "вчера", "昨天", alone or in a short sentence with no date ("lo firmó ayer"): the day before.
    if (field.kind === 'date' && this.saysDay('yesterday', typed)) return { ok: true, value: dayBefore(today) };
    if (field.kind === 'date' && this.saysDay('today', typed)) return { ok: true, value: today };
    const ctx = { lang, answers: intake.answers, today, currentYear: Number(today.slice(0, 4)) };
    const parsed = field.parse(typed, ctx);
    if (parsed.ok) return parsed;
    // "la superficie son 178,69 km2", "面积14335平方公里", "индекс 420014": the value after words of its question.
    const value =
      VALUE_AFTER_WORDS.has(field.kind) || field.key === 'contact.postcode'
        ? this.after(field, typed, today)
        : undefined;
    // "c'est claire.martin@mairie-lyon.fr": the one e-mail address, after words of its question only (not "juan
    // soto@munivalpo.cl", an address with a space in it).
    const email = field.kind === 'email' ? this.carried(field, typed) : undefined;
    const head = email === undefined ? '' : typed.slice(0, typed.indexOf(email));
    const tail = email === undefined ? '' : typed.slice(typed.indexOf(email) + email.length);
    const introduced = head.trim() !== '' && /^[\s.!]*$/u.test(tail) && this.requests.onlyAbout(field, head, today);
    const again = (v: string | undefined) => (v === undefined ? undefined : field.parse(v, ctx));
    const found = again(value) ?? again(introduced ? email : undefined);
    return found?.ok ? found : parsed;
  }

  /** A day said in words, alone or in a short sentence without digits ("подписали вчера", "市长昨天签的字"). */
  private saysDay(kind: 'today' | 'yesterday', typed: string): boolean {
    if (this.words.is(kind, typed)) return true;
    return !/\p{Nd}/u.test(typed) && words(typed, 'zh').length <= 6 && this.words.mentions(kind, typed);
  }

  /** What follows the words of `field`'s question in a text, from its first digit (see EditRequests.onlyAbout). */
  private after(field: FieldDef, typed: string, today: string): string | undefined {
    const at = typed.search(field.kind === 'text' ? /\S*\p{Nd}/u : /\p{Nd}/u);
    // (A sign before the value is not a word of its question: "£32,000" is in another currency.)
    if (at <= 0 || /\p{Sc}/u.test(typed.slice(0, at))) return undefined;
    return this.requests.onlyAbout(field, typed.slice(0, at), today) ? typed.slice(at) : undefined;
  }

  /** The choice a typed text names, if exactly one: its value, a label or a synonym in any language, or a number. */
  choice(field: FieldDef, typed: string): string | undefined {
    const n = normalizeCommand(typed);
    const choices = field.choices ?? [];
    if (/^\d+$/.test(n) && field.kind !== 'rating') return choices[Number(n) - 1];
    for (const c of choices) if (this.names(field, c).includes(n)) return c;
    // A unique label that starts with what was typed ("equity" → "Equity and inclusion"), or that has most words
    // of it ("desarrollo sostenible" → "Educación para el desarrollo sostenible").
    if (n.length >= 4) {
      const hits = choices.filter((c) => this.names(field, c).some((name) => name.startsWith(n)));
      if (hits.length === 1) return hits[0];
      const typed = n.split(' ').filter((w) => w.length > 2);
      const shared = (c: string) =>
        Math.max(...this.names(field, c).map((name) => typed.filter((w) => name.split(' ').includes(w)).length));
      const scores = choices.map(shared);
      const best = Math.max(...scores);
      // Most of the words typed (two at least), in one choice's name only.
      if (best >= Math.max(2, Math.ceil(typed.length * 0.6)) && scores.filter((x) => x === best).length === 1)
        return choices[scores.indexOf(best)];
    }
    return undefined;
  }

  /**
   * The one choice named inside a short answer ("en français svp", "女士，就是我本人", "на английском"): a name of
   * exactly one choice, standing on its own, in at most six words ("en français s'il vous plaît").
   */
  private within(field: FieldDef, typed: string): string | undefined {
    const n = normalizeCommand(typed);
    if (words(typed, 'en').length > 6) return undefined;
    const typedWords = n.split(' ');
    const hits = (field.choices ?? []).filter((c) =>
      // Names, not the stored codes ("en" is also a French word); a word may end differently ("на английском").
      this.names(field, c).some((name) => {
        if (name === c || name.length < 2) return false;
        const at = n.indexOf(name);
        if (at >= 0 && boundary(n, at, name.length)) return true;
        return name.length >= 4 && !name.includes(' ') && typedWords.some((w) => w.startsWith(name));
      }),
    );
    return hits.length === 1 ? hits[0] : undefined;
  }

  /** A choice's names, normalized: its value, its label in every language, the synonyms of `form:choice_words`. */
  private names(field: FieldDef, c: string): string[] {
    const key = `${field.key}=${c}`;
    let names = this.nameCache.get(key);
    if (!names) {
      const group = field.key.endsWith('.salutation') ? 'salutation' : field.key;
      const synonyms = LANGS.flatMap((l) => this.text.synonyms(group, c, l));
      const labels = LANGS.map((l) => this.text.choice(field, c, l));
      names = [...new Set([c, ...labels, ...synonyms].map(normalizeCommand).filter(Boolean))];
      this.nameCache.set(key, names);
    }
    return names;
  }

  /**
   * Several choices typed in one message, with the separators of every language ("Literacy, Health", "محو الأمية
   * والصحة والرفاه", "扫盲和创业", "literacy and health"): whole names first (labels have "and" in them), then
   * what is left, split at the separators. Undefined when a piece names no choice.
   */
  private several(field: FieldDef, typed: string): (string | undefined)[] | undefined {
    let rest = normalizeCommand(typed);
    const found: string[] = [];
    const names = (field.choices ?? []).flatMap((c) => this.names(field, c).map((name) => ({ c, name })));
    for (const { c, name } of names.sort((a, b) => b.name.length - a.name.length)) {
      const at = rest.indexOf(name);
      if (at < 0 || name.length < 2 || !boundary(rest, at, name.length)) continue;
      rest = `${rest.slice(0, at)} | ${rest.slice(at + name.length)}`;
      if (!found.includes(c)) found.push(c);
    }
    const pieces = rest
      .replace(CONJUNCTIONS, ' | ')
      .split(SEPARATORS)
      .map((p) => p.trim())
      .filter((p) => /[\p{L}\p{N}]/u.test(p));
    const more = pieces.map((p) => this.choice(field, p) ?? this.choice(field, p.replace(/^و/u, '')));
    const all = [...found, ...more];
    this.missed = pieces.filter((_, i) => more[i] === undefined);
    return all.length ? all : undefined;
  }

  /** Fields whose label, in any language, is `name`, else contains every word of it ("edit phone"). */
  fields(name: string, today: string): FieldDef[] {
    const wanted = words(name, 'en');
    const exact = FIELDS.filter((f) =>
      LANGS.some((l) => normalizeCommand(this.text.label(f, l)) === normalizeCommand(name)),
    );
    if (exact.length) return exact;
    // Short common words ("le", "the", "el", "du") say nothing of the field; a word may end differently
    // ("фамилию" for "фамилия", "téléphone" for "telephone").
    // "的" says nothing either ("市长的姓": the mayor's surname).
    const short = (w: string) => [...w].length <= 3;
    const meaningful = wanted.filter((w) => !short(w) || !LANGS.some((l) => stopwords(l).has(w)));
    if (!meaningful.length) return [];
    // Each word is in the field's label or its question ("фамилию мэра": "Какая фамилия у мэра?"); of several, those
    // whose label has them ("население": the population, not the GDP "на душу населения"), the shortest label first.
    const has = (f: FieldDef, labelOnly: boolean) =>
      LANGS.some((l) => {
        const text = labelOnly
          ? this.text.label(f, l)
          : `${this.text.label(f, l)} ${this.text.prompt(f, l, {}, today)}`;
        const named = words(text, l);
        return meaningful.every((w) => named.some((x) => sameWord(x, w)));
      });
    const found = FIELDS.filter((f) => has(f, false));
    const byLabel = found.length > 1 ? found.filter((f) => has(f, true)) : [];
    if (byLabel.length < 1) return found;
    const size = (f: FieldDef) => Math.min(...LANGS.map((l) => words(this.text.label(f, l), l).length));
    const least = Math.min(...byLabel.map(size));
    return byLabel.filter((f) => size(f) === least);
  }
}

/** What separates the items of a typed list, in the six languages. */
const SEPARATORS = /[,;，、；،\n|和及与或]/u;
/** The words for "and" and "or" between items (the Arabic "و" left alone once the names beside it are read). */
const CONJUNCTIONS = /(?<=^|\s)(?:and|or|et|ou|y|e|o|и|или|و|أو)(?=\s|$)/gu;

/**
 * A name found at `at` stands on its own: no letter before it (but the Arabic "و", "and", joined to the next
 * word) and none after it; a Chinese one anywhere.
 */
function boundary(text: string, at: number, length: number): boolean {
  const before = text.slice(0, at);
  const after = text[at + length] ?? '';
  // Chinese has no spaces between words: a name in Han characters stands on its own anywhere.
  const ok = (ch: string) => !/[\p{L}\p{N}]/u.test(ch) || /\p{Script=Han}/u.test(text[at]! + text[at + length - 1]!);
  // Arabic joins "and" (و) to the next word, and "in", "for", "as" (ب، ل، ك) to a name with its article (بالإنجليزية).
  const joined =
    /(^|[^\p{L}])و$/u.test(before) || (/^ال/u.test(text.slice(at)) && /(^|[^\p{L}])و?[بلك]$/u.test(before));
  return (before === '' || ok(before.at(-1)!) || joined) && (after === '' || ok(after));
}

/** "contact.salutation=ms" → ["contact.salutation", "ms"]. */
export function splitChoice(value: string | undefined): [string, string] {
  const i = (value ?? '').lastIndexOf('=');
  return i < 0 ? ['', ''] : [value!.slice(0, i), value!.slice(i + 1)];
}

/** The day before a YYYY-MM-DD day. */
function dayBefore(day: string): string {
  return format(subDays(parseISO(day), 1), 'yyyy-MM-dd');
}
