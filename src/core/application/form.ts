import { z } from 'zod';
import type { Resource } from 'i18next';
import { readLocales } from '../../i18n/index.ts';
import type { Lang } from '../lang.ts';
import type { ExpectKind } from '../reply.ts';
import { countWords, hasCountryCode, isCountryCode, parseCountry, parseLocalizedNumber, parsePhone } from './parse.ts';

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

/** The six areas of what a learning city does (2025 call page); the form rates each as a challenge, 1–5. */
export const CHALLENGE_AREAS = [
  'inclusive-education',
  'families-communities',
  'workplace',
  'technologies',
  'quality',
  'culture',
] as const;

/** The network's thematic clusters a city can be interested in (shared/domain.md). */
export const INTEREST_CLUSTERS = [
  'esd',
  'equity-inclusion',
  'health-wellbeing',
  'literacy',
  'entrepreneurship',
  'monitoring-evaluation',
  'citizenship',
] as const;

/** What a field parser needs besides the text: the language it was typed in, other answers, the year. */
export interface ParseContext {
  lang: Lang;
  answers: Readonly<Record<string, unknown>>;
  currentYear: number;
}

/** A parser's verdict: the value to store, or an error code (an i18n key under form:errors) with variables. */
export type Parsed = { ok: true; value: unknown } | { ok: false; error: string; vars?: Record<string, unknown> };

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

const ok = (value: unknown): Parsed => ({ ok: true, value });
const fail = (error: string, vars?: Record<string, unknown>): Parsed => ({ ok: false, error, vars });

function text(min: number, max: number) {
  return (t: string): Parsed => {
    const v = t.trim().replace(/\s+/g, ' ');
    // Characters are counted as the stored schema (zod) counts them, in code points: "𠀋" is one, not two
    // UTF-16 units. Counted in units, "𠀋" passed as a 2-character name that the store then refused.
    const n = [...v].length;
    if (n < min) return fail('too_short', { min });
    if (n > max) return fail('too_long', { max });
    return ok(v);
  };
}

function prose(maxWords: number, minWords: number) {
  return (t: string, ctx: ParseContext): Parsed => {
    const v = t.trim();
    const n = countWords(v, ctx.lang);
    if (n < minWords) return fail('too_few_words', { min: minWords, count: n });
    if (n > maxWords) return fail('too_many_words', { max: maxWords, count: n });
    return ok(v);
  };
}

/**
 * The units a number may be typed with ("696 km²", "12 ans", "12 лет"): every language's `form:number_units`
 * ("|"-separated), accepted whatever the language of the conversation. Built from the locales, so a new
 * language brings its own words; matched case-insensitively, at the very end of the answer only.
 */
export function unitPattern(resources: Resource): RegExp {
  const words = new Set<string>();
  for (const bundle of Object.values(resources)) {
    const list = (bundle.form as Record<string, unknown> | undefined)?.number_units;
    if (typeof list === 'string') for (const w of list.split('|')) if (w.trim()) words.add(w.trim());
  }
  const escaped = [...words].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?:${escaped.join('|')})$`, 'iu');
}

const UNIT = unitPattern(readLocales());

function number(opts: { integer?: boolean; min: number; max: number }) {
  return (t: string, ctx: ParseContext): Parsed => {
    // The unit is looked for at the very end (spaces around it are the number parser's to drop): a leading
    // `\s*` would make every position of a long run of spaces a start, in quadratic time.
    const cleaned = t.trimEnd().replace(UNIT, '');
    const n = parseLocalizedNumber(cleaned, ctx.lang, { integer: opts.integer });
    if (n === undefined) return fail('not_a_number');
    if (opts.integer && !Number.isInteger(n)) return fail('not_an_integer');
    if (n < opts.min || n > opts.max) return fail('out_of_range', { min: opts.min, max: opts.max });
    return ok(n);
  };
}

function rating(t: string, ctx: ParseContext): Parsed {
  const n = parseLocalizedNumber(t, ctx.lang, { integer: true });
  return n !== undefined && Number.isInteger(n) && n >= 1 && n <= 5 ? ok(n) : fail('not_a_rating');
}

const nameField = (key: string, section: Section): FieldDef => ({
  key,
  section,
  kind: 'text',
  schema: z.string().min(1).max(80),
  parse: text(1, 80),
});
const salutation = (section: Section): FieldDef => ({
  key: `${section}.salutation`,
  section,
  kind: 'choice',
  choices: ['ms', 'mr'],
  schema: z.enum(['ms', 'mr']),
  parse: () => fail('pick_choice'),
});

/**
 * The membership application form, Part 1 (shared/domain.md), in the order it is asked.
 * Choice fields are matched against their localized labels by the intake; `parse` handles typed values.
 */
export const FIELDS: readonly FieldDef[] = [
  { key: 'city.name', section: 'city', kind: 'text', schema: z.string().min(2).max(100), parse: text(2, 100) },
  {
    key: 'city.country',
    section: 'city',
    kind: 'country',
    schema: z.string().refine(isCountryCode, 'not an ISO 3166-1 alpha-2 code'),
    parse: (t) => {
      const code = parseCountry(t);
      return code ? ok(code) : fail('unknown_country');
    },
  },
  {
    key: 'city.website',
    section: 'city',
    kind: 'url',
    schema: z.url({ protocol: /^https?$/ }),
    parse: (t) => {
      const v = t.trim();
      const withScheme = /^https?:\/\//i.test(v) ? v : `https://${v}`;
      const r = z.url({ protocol: /^https?$/, hostname: /\.[a-z]{2,}$/i }).safeParse(withScheme);
      return r.success && !/\s/.test(v) ? ok(r.data) : fail('not_a_url');
    },
  },
  salutation('mayor'),
  nameField('mayor.lastName', 'mayor'),
  nameField('mayor.firstName', 'mayor'),
  { key: 'mayor.title', section: 'mayor', kind: 'text', schema: z.string().min(2).max(150), parse: text(2, 150) },
  salutation('contact'),
  nameField('contact.lastName', 'contact'),
  nameField('contact.firstName', 'contact'),
  { key: 'contact.title', section: 'contact', kind: 'text', schema: z.string().min(2).max(150), parse: text(2, 150) },
  {
    key: 'contact.organization',
    section: 'contact',
    kind: 'text',
    optional: true,
    schema: z.string().min(2).max(150),
    parse: text(2, 150),
  },
  { key: 'contact.address', section: 'contact', kind: 'text', schema: z.string().min(5).max(300), parse: text(5, 300) },
  {
    key: 'contact.postcode',
    section: 'contact',
    kind: 'text',
    schema: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$/),
    parse: (t) =>
      /^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$/.test(t.trim()) ? ok(t.trim().toUpperCase()) : fail('not_a_postcode'),
  },
  {
    key: 'contact.phone',
    section: 'contact',
    kind: 'phone',
    schema: z.string().regex(/^\+\d{6,15}$/),
    parse: (t, ctx) => {
      if (!hasCountryCode(t)) return fail('phone_needs_country_code');
      const e164 = parsePhone(t.replace(/^\s*00/, '+'), ctx.answers['city.country'] as string | undefined);
      return e164 ? ok(e164) : fail('not_a_phone');
    },
  },
  {
    key: 'contact.email',
    section: 'contact',
    kind: 'email',
    schema: z.email(),
    parse: (t) => {
      const r = z.email().safeParse(t.trim());
      return r.success ? ok(r.data.toLowerCase()) : fail('not_an_email');
    },
  },
  {
    key: 'contact.language',
    section: 'contact',
    kind: 'choice',
    choices: ['en', 'fr'],
    schema: z.enum(['en', 'fr']),
    parse: () => fail('pick_choice'),
  },
  {
    key: 'pledge.adopt',
    section: 'pledge',
    kind: 'confirm',
    schema: z.literal(true),
    parse: () => fail('pledge_required'),
  },
  {
    key: 'profile.year',
    section: 'profile',
    kind: 'year',
    schema: z.number().int().min(1990).max(2100),
    parse: (t, ctx) => {
      const v = t.trim();
      if (!/^\d{4}$/.test(v)) return fail('not_a_year');
      const y = Number(v);
      return y >= 1990 && y <= ctx.currentYear ? ok(y) : fail('year_range', { min: 1990, max: ctx.currentYear });
    },
  },
  {
    key: 'profile.population',
    section: 'profile',
    kind: 'number',
    schema: z.number().int().positive(),
    parse: number({ integer: true, min: 1, max: 100_000_000 }),
  },
  {
    key: 'profile.area',
    section: 'profile',
    kind: 'number',
    schema: z.number().positive(),
    parse: number({ min: 0.01, max: 1_000_000 }),
  },
  {
    key: 'profile.gdpCity',
    section: 'profile',
    kind: 'number',
    optional: true,
    schema: z.number().nonnegative(),
    parse: number({ min: 1, max: 10_000_000 }),
  },
  {
    key: 'profile.gdpCountry',
    section: 'profile',
    kind: 'number',
    schema: z.number().nonnegative(),
    parse: number({ min: 1, max: 10_000_000 }),
  },
  {
    key: 'profile.schoolingMen',
    section: 'profile',
    kind: 'number',
    optional: true,
    schema: z.number().min(0).max(25),
    parse: number({ min: 0, max: 25 }),
  },
  {
    key: 'profile.schoolingWomen',
    section: 'profile',
    kind: 'number',
    optional: true,
    schema: z.number().min(0).max(25),
    parse: number({ min: 0, max: 25 }),
  },
  { key: 'motivation', section: 'motivation', kind: 'text', schema: z.string().min(1), parse: prose(200, 10) },
  { key: 'implementation', section: 'implementation', kind: 'text', schema: z.string().min(1), parse: prose(200, 10) },
  ...CHALLENGE_AREAS.map(
    (area): FieldDef => ({
      key: `challenges.${area}`,
      section: 'challenges',
      kind: 'rating',
      choices: ['1', '2', '3', '4', '5'],
      schema: z.number().int().min(1).max(5),
      parse: rating,
    }),
  ),
  {
    key: 'interests',
    section: 'interests',
    kind: 'choice',
    choices: INTEREST_CLUSTERS,
    multiple: true,
    schema: z.array(z.enum(INTEREST_CLUSTERS)).min(1),
    parse: () => fail('pick_choice'),
  },
];

/** Field definitions by key. */
export const FIELD = new Map(FIELDS.map((f) => [f.key, f]));

/** The answers of an application, validated field by field (a draft: any may still be missing). */
export const AnswersSchema = z.object(Object.fromEntries(FIELDS.map((f) => [f.key, f.schema.optional()])));

/** The complete answers required to submit (every non-optional field present). */
export const CompleteAnswersSchema = z.object(
  Object.fromEntries(FIELDS.map((f) => [f.key, f.optional ? f.schema.optional() : f.schema])),
);

/** The first field that still needs an answer, skipping the ones the user skipped. */
export function nextField(
  answers: Readonly<Record<string, unknown>>,
  skipped: readonly string[],
): FieldDef | undefined {
  return FIELDS.find((f) => answers[f.key] === undefined && !skipped.includes(f.key));
}

/** Fields still missing for submission. */
export function missingFields(answers: Readonly<Record<string, unknown>>): FieldDef[] {
  return FIELDS.filter((f) => !f.optional && answers[f.key] === undefined);
}
