import { z } from 'zod';
import { fail, type FieldDef, nameField, number, ok, prose, rating, salutation, text } from './fields.ts';
import { hasCountryCode, isCountryCode, parseCountry, parsePhone } from './parse.ts';

export { type FieldDef, type ParseContext, type Parsed, SECTIONS, type Section, unitPattern } from './fields.ts';

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
