import type { Resource } from 'i18next';
import { z } from 'zod';
import type { Lang } from '../lang.ts';
import type { ExpectKind } from '../reply.ts';
import { fold, words } from '../faq/text.ts';
import { formList, LOCALES } from './locale-lists.ts';
import { asciiDigits, countWords, parseLocalizedNumber } from './parse.ts';

/**
 * The kinds of field of the application form: what a field is (FieldDef), and the parsers and builders that
 * turn typed text into a stored value (texts, prose by words, numbers with units, ratings, names, salutations).
 */
/** Sections of Part 1 of the membership application form, in order. */
export const SECTIONS = [
  'city',
  'mayor',
  'contact',
  'pledge',
  'profile',
  'motivation',
  'implementation',
  'challenges',
  'interests',
] as const;
export type Section = (typeof SECTIONS)[number];

/** What a field parser needs besides the text: the language it was typed in, other answers, today. */
export interface ParseContext {
  lang: Lang;
  answers: Readonly<Record<string, unknown>>;
  /** Today in the applicant's time zone (YYYY-MM-DD), and its year. */
  today: string;
  currentYear: number;
}

/** A parser's verdict: the value to store, or an error code (an i18n key under form:errors) with variables. */
export type Parsed =
  /** `also`: answers of other fields the text gave as well ("DUPONT Marie": the first name too). */
  | { ok: true; value: unknown; also?: Record<string, string> }
  | { ok: false; error: string; vars?: Record<string, unknown> };

/** One question of the form: its stored schema, how typed text becomes a value, and how it is asked. */
export interface FieldDef {
  key: string;
  section: Section;
  kind: ExpectKind;
  optional?: boolean;
  /** Stored value's schema; the application record's schema is built from these. */
  schema: z.ZodType;
  /** For choice fields: the allowed values (labels come from locales). */
  choices?: readonly string[];
  /** Choice fields where several values may be picked (toggled with buttons, or typed as a list). */
  multiple?: boolean;
  parse(text: string, ctx: ParseContext): Parsed;
}

export const ok = (value: unknown): Parsed => ({ ok: true, value });
export const fail = (error: string, vars?: Record<string, unknown>): Parsed => ({ ok: false, error, vars });

export function text(min: number, max: number) {
  return (t: string): Parsed => {
    const v = t.trim().replace(/\s+/g, ' ');
    // Characters are counted as the stored schema (zod) counts them, in code points: "𠀋" is one, not two
    // UTF-16 units. Counted in units, "𠀋" passed as a 2-character name that the store then refused.
    const n = [...v].length;
    if (n < min) return fail('too_short', { count: min });
    if (n > max) return fail('too_long', { count: max });
    return ok(v);
  };
}

export function prose(maxWords: number, minWords: number) {
  return (t: string, ctx: ParseContext): Parsed => {
    const v = t.trim();
    // Numbers alone ("12,1", typed one question too late) are no text.
    const n = /\p{L}/u.test(v) ? countWords(v, ctx.lang) : 0;
    if (n < minWords) return fail('too_few_words', { count: minWords, written: n });
    if (n > maxWords) return fail('too_many_words', { max: maxWords, count: n });
    return ok(v);
  };
}

/** A word for a regular expression: its special characters escaped. */
const escapeRe = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What a number counts, for the units it may be typed with (locales/<lng>/form.json `units`). */
export type UnitKind = 'area' | 'money' | 'years' | 'people';

/**
 * The units a number of one kind may be typed with ("696 km²", "كم2", "12 ans", "545 796 habitants"): every
 * language's `form:units.<kind>` ("|"-separated), accepted whatever the language of the conversation. Built from
 * the locales, so a new language brings its own words; matched case-insensitively, at the very end only.
 */
export function unitPattern(resources: Resource, kind: UnitKind): RegExp {
  return new RegExp(`(?:${formList(`units.${kind}`, resources).map(escapeRe).join('|')})$`, 'iu');
}

const UNITS = Object.fromEntries(
  (['area', 'money', 'years', 'people'] as const).map((k) => [k, unitPattern(LOCALES, k)]),
) as Record<UnitKind, RegExp>;

/** "about", "environ", "حوالي", "约", "左右": said before or after a number, and dropped. */
const approx = formList('approx_words').map(escapeRe).join('|');
// At the end without a leading `\s*` (the text is trimmed first): a long run of spaces would be quadratic.
const APPROX_START = new RegExp(`^(?:${approx})\\s*`, 'iu');
const APPROX_END = new RegExp(`(?:${approx})$`, 'iu');
/** "1,6 million", "600 ألف", "160万", "2 млн": the number times its multiplier. */
const MULTIPLIERS = new Map(
  formList('multipliers').map((entry) => {
    const [word, times] = entry.split('=');
    return [word!.toLowerCase(), Number(times)] as const;
  }),
);
const MULTIPLIER = new RegExp(`(?:${[...MULTIPLIERS.keys()].map(escapeRe).join('|')})$`, 'iu');

/** A currency other than the US dollar: a sign ("£", "€", "₽") or an ISO 4217 code ("EUR", "GBP"). */
const CODES = new Set(Intl.supportedValuesOf('currency').filter((c) => c !== 'USD'));
function otherCurrency(t: string): boolean {
  return /[\p{Sc}]/u.test(t.replace(/\$/gu, '')) || (t.match(/\b[A-Z]{3}\b/gu) ?? []).some((c) => CODES.has(c));
}

const DOLLAR_FIRST = new RegExp(
  `^(?:${formList('units.money', LOCALES)
    .filter((u) => /\$|usd/iu.test(u))
    .map(escapeRe)
    .join('|')})\\s*`,
  'iu',
);

export function number(opts: { integer?: boolean; min: number; max: number; unit: UnitKind }) {
  return (t: string, ctx: ParseContext): Parsed => {
    if (opts.unit === 'money') {
      // The form asks for amounts in US dollars: another currency is not converted, the amount asked in dollars.
      if (otherCurrency(t)) return fail('not_usd');
      // "US$ 32,000", "$32,000": the dollar before the amount, as it is written in English.
      t = t.trim().replace(DOLLAR_FIRST, '');
    }
    // The unit is looked for at the very end (spaces around it are the number parser's to drop): a leading
    // `\s*` would make every position of a long run of spaces a start, in quadratic time.
    let cleaned = t.trim().replace(APPROX_START, '').replace(APPROX_END, '').trimEnd();
    cleaned = cleaned.replace(UNITS[opts.unit], '').trimEnd().replace(APPROX_END, '').trimEnd();
    const multiplier = MULTIPLIER.exec(cleaned);
    const times = multiplier ? MULTIPLIERS.get(multiplier[0].toLowerCase())! : 1;
    if (multiplier) cleaned = cleaned.slice(0, multiplier.index);
    const read = parseLocalizedNumber(cleaned, ctx.lang, { integer: opts.integer && times === 1 });
    if (read === undefined) return fail('not_a_number');
    const n = Math.round(read * times * 1e6) / 1e6;
    if (opts.integer && !Number.isInteger(n)) return fail('not_an_integer');
    if (n < opts.min || n > opts.max) return fail('out_of_range', { min: opts.min, max: opts.max });
    return ok(n);
  };
}

/** Rating words of every language (`form:rating_words`: five entries, variants split by "/") → 1–5. */
const RATING_WORDS = new Map<string, number>();
for (const bundle of Object.values(LOCALES)) {
  const list = (bundle.form as { rating_words?: unknown } | undefined)?.rating_words;
  if (typeof list === 'string')
    list.split('|').forEach((entry, i) => {
      for (const w of entry.split('/')) if (w.trim()) RATING_WORDS.set(fold(w.trim()), i + 1);
    });
}

/**
 * A rating from 1 to 5 as people type it: "3", "٣", "3/5", "I'd say 3", "four", "пять", "四". One number (or
 * rating word) in the text; "6" or two numbers are not a rating.
 */
export function rating(t: string, ctx: ParseContext): Parsed {
  // A sentence around a number is a question or a comment ("does 5 mean a big challenge"), not a rating.
  if (words(t, ctx.lang).length > 5) return fail('not_a_rating');
  // "3/5", "3 of 5", "3 sur 5", "3 de 5", "3 من 5", "3 из 5": the first number is the rating.
  const text = asciiDigits(t).replace(/(?<!\d)([1-5])\s*(?:\/|out of|of|sur|de|من|из)\s*5(?!\d)/iu, '$1');
  const numbers = text.match(/\d+(?:[.,]\d+)?/g) ?? [];
  // A number word counts alone ("four", "cuatro", "пять"): in a phrase it is often an article ("quite a big one",
  // "es un reto grande", "одна из главных проблем" were read as 1).
  const ws = words(text, ctx.lang);
  const named = ws.length <= 2 ? ws.map((w) => RATING_WORDS.get(fold(w))).filter((n) => n !== undefined) : [];
  const found = numbers.length ? numbers.map(Number) : named;
  const n = found.length === 1 ? found[0]! : undefined;
  return n !== undefined && Number.isInteger(n) && n >= 1 && n <= 5 ? ok(n) : fail('not_a_rating');
}

export const nameField = (key: string, section: Section): FieldDef => ({
  key,
  section,
  kind: 'text',
  schema: z.string().min(1).max(80),
  parse: key.endsWith('.lastName') ? named(fullName(key)) : named((t) => text(1, 80)(t)),
});

/**
 * The most words a name has: "عبد الله بن محمد آل سعود" is six, "Santa Fe de la Vera Cruz" six. More is a sentence
 * typed where a name was asked ("we are still discussing with the mayor who…"), never stored as the name.
 */
const NAME_WORDS = 8;

/** A name's parser, after "my name is …" is dropped, for a text of at most NAME_WORDS words. */
export function named(parse: (t: string, ctx: ParseContext) => Parsed) {
  return (t: string, ctx: ParseContext): Parsed => {
    const v = withoutIntro(t);
    return countWords(v, ctx.lang) > NAME_WORDS ? fail('reads_as_sentence') : parse(v, ctx);
  };
}

/** What separates an introduction from the name: a colon, a comma or a dash, spaces, or nothing before Chinese. */
const AFTER_INTRO = '(?:\\s*[:：,—–-]\\s*|\\s+|(?=\\p{Script=Han}))';
/** "My name is …", "je m'appelle …", "我姓…", "меня зовут …" (`form:name_intro`, longest first): dropped. */
const NAME_INTRO = new RegExp(`^(?:${formList('name_intro').map(escapeRe).join('|')})${AFTER_INTRO}`, 'iu');
/** "We are the city of …", "somos la ciudad de …", "город …", "我们是…" (`form:city_intro`): dropped. */
const CITY_INTRO = new RegExp(`^(?:${formList('city_intro').map(escapeRe).join('|')})${AFTER_INTRO}`, 'iu');
function withoutIntro(t: string, intro = NAME_INTRO): string {
  const v = t.trim().replace(/\s+/g, ' ');
  // Either apostrophe ("le maire s’appelle"): matched as one, the name kept as typed.
  const found = intro.exec(v.replace(/’/gu, "'"));
  const rest = found ? v.slice(found[0].length) : v;
  return rest.length ? rest : v;
}
/** The city's name without the words before it ("Somos la ciudad de Rosario": "Rosario"). */
export function withoutCityIntro(t: string): string {
  return withoutIntro(t, CITY_INTRO);
}
/** A text without the words that introduce a city's or a person's name ("nous sommes la ville de Lyon": "Lyon"). */
export function withoutIntros(t: string): string {
  return withoutIntro(withoutCityIntro(t));
}

/**
 * The surname, and the first name when the text gives both the way forms are filled in: "Dupont, Marie" (surname
 * first, a comma) or "DUPONT Marie" (the surname in capitals). Anything else is the surname as typed.
 */
function fullName(key: string) {
  const first = key.replace(/lastName$/, 'firstName');
  return (v: string): Parsed => {
    const comma = v.length <= 200 ? /^([^,]+),\s*([^,]+)$/u.exec(v) : null;
    // Word by word (a pattern with nested repetition would backtrack for ages on a long run of capitals).
    const ws = v.length <= 200 ? v.split(' ') : [];
    const upper = ws.findIndex((w) => !/^\p{Lu}[\p{Lu}'’-]+$/u.test(w));
    const caps = upper > 0 && /^\p{Lu}\p{Ll}/u.test(ws[upper]!);
    const [surname, given] = comma
      ? [comma[1]!, comma[2]!]
      : caps
        ? [ws.slice(0, upper).join(' '), ws.slice(upper).join(' ')]
        : [v, ''];
    const parsed = text(1, 80)(surname);
    if (!parsed.ok || !given || [...given].length > 80) return parsed;
    return { ...parsed, also: { [first]: given.trim() } };
  };
}
export const salutation = (section: Section): FieldDef => ({
  key: `${section}.salutation`,
  section,
  kind: 'choice',
  choices: ['ms', 'mr'],
  schema: z.enum(['ms', 'mr']),
  parse: () => fail('pick_choice'),
});
