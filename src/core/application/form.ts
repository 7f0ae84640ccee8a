import { z } from 'zod';
import { CHALLENGES } from './challenges.ts';
import {
  fail,
  type FieldDef,
  named,
  nameField,
  number,
  ok,
  type Parsed,
  prose,
  rating,
  salutation,
  text,
  withoutCityIntro,
} from './fields.ts';
import { ambiguousCountry, asciiDigits, closestCountries, isCountryCode, parseCountry } from './parse.ts';
import { phone, pledgeDate, website, year } from './readers.ts';

export {
  type FieldDef,
  type ParseContext,
  type Parsed,
  SECTIONS,
  type Section,
  unitPattern,
  withoutIntros,
} from './fields.ts';

/** The challenges rated 1–5 (data/challenges.json: provisional, the official list is not in the sources). */
export const CHALLENGE_AREAS: readonly string[] = CHALLENGES.areas.map((a) => a.id);

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

/** "Mombasa, Kenya", "Dakar, au Sénégal", "Thiès au Sénégal", "Hamburg (Germany)", "طنطا، مصر": a name, a country. */
const CITY_AND_COUNTRY = /^(.+?)\s*(?:[,，、،]\s*|[(（]\s*|\s(?=(?:in|au|aux|en|в|во|في)\s))(.+?)\s*[)）]?$/u;
/** A preposition before a country's name ("au Sénégal", "in Kenya", "en España"). */
const BEFORE_COUNTRY = /^(?:in|au|aux|en|à|a|de|du|el|la|le|les|l'|в|во|في)\s*/iu;

/** The city's name, and its country when the name is followed by one (see CITY_AND_COUNTRY). */
function cityName(t: string): Parsed {
  const whole = text(2, 100)(withoutCityIntro(t));
  const parts = whole.ok ? CITY_AND_COUNTRY.exec(String(whole.value)) : null;
  const country = parts && parseCountry(parts[2]!.replace(BEFORE_COUNTRY, ''));
  const city = country ? text(2, 100)(parts[1]!) : undefined;
  return city?.ok ? { ...city, also: { 'city.country': country! } } : whole;
}

/** A postcode as countries write them: letters and digits, with spaces or hyphens, 2 to 10 characters. */
const POSTCODE = /^[A-Z0-9][A-Z0-9 -]{1,9}$/;

/**
 * The membership application form, Part 1 (shared/domain.md), in the order it is asked.
 * Choice fields are matched against their localized labels by the intake; `parse` handles typed values.
 */
export const FIELDS: readonly FieldDef[] = [
  { key: 'city.name', section: 'city', kind: 'text', schema: z.string().min(2).max(100), parse: named(cityName) },
  {
    key: 'city.country',
    section: 'city',
    kind: 'country',
    schema: z.string().refine(isCountryCode, 'not an ISO 3166-1 alpha-2 code'),
    parse: (t) => {
      const code = parseCountry(t);
      const several = ambiguousCountry(t);
      if (several) return fail('ambiguous_country', { suggest: several });
      return code ? ok(code) : fail('unknown_country', { suggest: closestCountries(t) });
    },
  },
  {
    key: 'city.website',
    section: 'city',
    kind: 'url',
    schema: z.url({ protocol: /^https?$/ }),
    parse: website,
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
    // Optional: many countries have no postcodes.
    key: 'contact.postcode',
    section: 'contact',
    kind: 'text',
    optional: true,
    schema: z.string().regex(POSTCODE),
    parse: (t) => {
      const v = asciiDigits(t).trim().toUpperCase();
      return POSTCODE.test(v) ? ok(v) : fail('not_a_postcode');
    },
  },
  {
    key: 'contact.phone',
    section: 'contact',
    kind: 'phone',
    schema: z.string().regex(/^\+\d{6,15}$/),
    parse: phone,
  },
  {
    key: 'contact.email',
    section: 'contact',
    kind: 'email',
    schema: z.email(),
    parse: (t) => {
      // Full-width characters of a Chinese keyboard (＠), and the one address in a sentence ("邮箱是 a@b.cn").
      const typed = t.normalize('NFKC').trim();
      // "juan soto@munivalpo.cl" is one address typed with a space, not "soto@munivalpo.cl" after a word: refused.
      if (/^[A-Za-z0-9._%+'-]+\s+[^\s@]+@\S+$/u.test(typed)) return fail('not_an_email');
      const found = typed.match(/[\p{L}\p{N}._%+'-]*[A-Za-z0-9._%+'-]@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/gu) ?? [];
      const r = z.email().safeParse((found.length === 1 ? found[0]! : t).trim().replace(/^[^A-Za-z0-9]+/, ''));
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
  { key: 'pledge.date', section: 'pledge', kind: 'date', schema: z.iso.date(), parse: pledgeDate },
  {
    key: 'profile.year',
    section: 'profile',
    kind: 'year',
    schema: z.number().int().min(1990).max(2100),
    parse: year,
  },
  {
    key: 'profile.population',
    section: 'profile',
    kind: 'number',
    schema: z.number().int().positive(),
    parse: number({ integer: true, min: 1, max: 100_000_000, unit: 'people' }),
  },
  {
    key: 'profile.area',
    section: 'profile',
    kind: 'number',
    schema: z.number().positive(),
    parse: number({ min: 0.01, max: 1_000_000, unit: 'area' }),
  },
  {
    key: 'profile.gdpCity',
    section: 'profile',
    kind: 'number',
    optional: true,
    schema: z.number().nonnegative(),
    parse: number({ min: 1, max: 10_000_000, unit: 'money' }),
  },
  {
    key: 'profile.gdpCountry',
    section: 'profile',
    kind: 'number',
    optional: true,
    schema: z.number().nonnegative(),
    parse: number({ min: 1, max: 10_000_000, unit: 'money' }),
  },
  {
    key: 'profile.schoolingMen',
    section: 'profile',
    kind: 'number',
    optional: true,
    schema: z.number().min(0).max(25),
    parse: number({ min: 0, max: 25, unit: 'years' }),
  },
  {
    key: 'profile.schoolingWomen',
    section: 'profile',
    kind: 'number',
    optional: true,
    schema: z.number().min(0).max(25),
    parse: number({ min: 0, max: 25, unit: 'years' }),
  },
  // The form's limit is 200 words; it states no minimum.
  { key: 'motivation', section: 'motivation', kind: 'text', schema: z.string().min(1), parse: prose(200, 1) },
  { key: 'implementation', section: 'implementation', kind: 'text', schema: z.string().min(1), parse: prose(200, 1) },
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

/**
 * Ratings of challenges no longer listed (a coordinator replaced data/challenges.json): kept with the answers they
 * belong to. Any other key is refused.
 */
const otherChallenges = <T extends z.ZodObject>(schema: T) =>
  schema.catchall(z.number().int().min(1).max(5)).superRefine((answers, ctx) => {
    for (const key of Object.keys(answers))
      if (!FIELD.has(key) && !key.startsWith('challenges.'))
        ctx.addIssue({ code: 'custom', path: [key], message: 'not a field of the form' });
  });

/** The answers of an application, validated field by field (a draft: any may still be missing). */
export const AnswersSchema = otherChallenges(
  z.object(Object.fromEntries(FIELDS.map((f) => [f.key, f.schema.optional()]))),
);

/**
 * The answers of a submitted application: every non-optional field present. The challenges are the exception:
 * the list may change after the application was made (submitting asks for every challenge of the list).
 */
export const CompleteAnswersSchema = otherChallenges(
  z.object(
    Object.fromEntries(
      FIELDS.map((f) => [f.key, f.optional || f.section === 'challenges' ? f.schema.optional() : f.schema]),
    ),
  ),
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
