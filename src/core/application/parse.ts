import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import MiniSearch from 'minisearch';
import type { CountryCode, Examples } from 'libphonenumber-js';
import { memo } from '../../lib/memo.ts';
import { LANGS, type Lang } from '../lang.ts';
import { fold, words } from '../faq/text.ts';
import { formList } from './locale-lists.ts';

/**
 * The country and telephone libraries are the form's: a first answer does not need them, so they are loaded at
 * their first use (about 150 ms of start-up otherwise). i18n-iso-countries keeps one JSON file of names per
 * language; the six we speak are registered as it loads.
 */
const require = createRequire(import.meta.url);
const countries = memo((): typeof import('i18n-iso-countries') => {
  const lib = require('i18n-iso-countries') as typeof import('i18n-iso-countries');
  for (const lang of LANGS) lib.registerLocale(require(`i18n-iso-countries/langs/${lang}.json`));
  return lib;
});
const phones = memo((): { lib: typeof import('libphonenumber-js'); examples: Examples } => ({
  lib: require('libphonenumber-js'),
  examples: require('libphonenumber-js/mobile/examples'),
}));

/** A country name folded for lookup: case, accents and punctuation ignored. */
const nameKey = (name: string) =>
  fold(name)
    .replace(/[\p{P}\s]+/gu, ' ')
    .trim();

/** The words of states' official names, in the six languages (locales/<lng>/form.json `country_words`). */
const COUNTRY_WORDS = new Set(formList('country_words').map(nameKey));

let countryByName: Map<string, string> | undefined;
/**
 * Every country name and alias → code, in every language i18n-iso-countries knows ("Deutschland", "Brasil",
 * "Türkiye", "USA", "UK"), and the runtime's CLDR names of the six; built on first use, off the start-up path.
 */
function countryNames(): Map<string, string> {
  if (countryByName) return countryByName;
  const dir = path.dirname(require.resolve('i18n-iso-countries/langs/en.json'));
  const langs = readdirSync(dir).filter((f) => f.endsWith('.json'));
  for (const f of langs) countries().registerLocale(require(path.join(dir, f)));
  const map = new Map<string, string>();
  for (const f of langs) {
    for (const [code, names] of Object.entries(countries().getNames(f.slice(0, -5), { select: 'all' }))) {
      for (const n of names) if (!map.has(nameKey(n))) map.set(nameKey(n), code);
    }
  }
  // Runtime CLDR names too ("德国", "Allemagne"), which cover spellings the list may lack.
  for (const lang of LANGS) {
    const names = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' });
    for (const code of Object.keys(countries().getAlpha2Codes())) {
      const n = names.of(code);
      if (n && !map.has(nameKey(n))) map.set(nameKey(n), code);
    }
  }
  // The United Kingdom by its official name and its four nations, which are not ISO countries of their own (a
  // council in England types "England"; UNESCO's Member State is the United Kingdom).
  for (const n of UK_NAMES) map.set(nameKey(n), 'GB');
  for (const [n, code] of Object.entries(ALIASES)) map.set(nameKey(n), code);
  countryByName = map;
  return map;
}

/** Short forms people type that the lists lack ("RDC", "EEUU", "Guinée-Conakry"). */
const ALIASES: Record<string, string> = {
  RDC: 'CD',
  'RD Congo': 'CD',
  'R.D. Congo': 'CD',
  'Congo-Kinshasa': 'CD',
  'Congo Kinshasa': 'CD',
  'Congo-Brazzaville': 'CG',
  'Congo Brazzaville': 'CG',
  RCA: 'CF',
  Centrafrique: 'CF',
  'Guinée-Conakry': 'GN',
  'Guinea-Conakry': 'GN',
  EEUU: 'US',
  'EE.UU.': 'US',
  'EE UU': 'US',
};

/** Names that several countries go by ("Congo": the Republic of the Congo, or the DR Congo): which one is asked. */
const AMBIGUOUS: [string[], string[]][] = [
  [
    ['Congo', 'Конго', '刚果', 'الكونغو', 'Kongo'],
    ['CG', 'CD'],
  ],
  [
    ['Korea', 'Corée', 'Corea', 'Корея', 'كوريا'],
    ['KR', 'KP'],
  ],
];

/** The countries a name may mean when several go by it ("Congo"), or undefined. */
export function ambiguousCountry(text: string): string[] | undefined {
  const key = nameKey(text.trim());
  return AMBIGUOUS.find(([names]) => names.some((n) => nameKey(n) === key))?.[1];
}

const UK_NAMES = [
  'United Kingdom of Great Britain and Northern Ireland',
  'England',
  'Scotland',
  'Wales',
  'Northern Ireland',
  'Angleterre',
  'Écosse',
  'Pays de Galles',
  'Irlande du Nord',
  'Inglaterra',
  'Escocia',
  'Gales',
  'Irlanda del Norte',
  'Англия',
  'Шотландия',
  'Уэльс',
  'Северная Ирландия',
  '英格兰',
  '苏格兰',
  '威尔士',
  '北爱尔兰',
  'إنجلترا',
  'إنكلترا',
  'اسكتلندا',
  'ويلز',
  'أيرلندا الشمالية',
];

/** An ISO 3166-1 alpha-2 code from a code ("de", "DEU") or a country's name in any language. */
export function parseCountry(text: string): string | undefined {
  const raw = text.trim();
  if (/^[a-z]{2}$/i.test(raw) && countries().isValid(raw.toUpperCase())) return raw.toUpperCase();
  const byName = countryNames().get(nameKey(raw));
  if (byName) return byName;
  // An official long name ("Республика Казахстан", "جمهورية مصر العربية", "Republic of Kenya"): without the words
  // of state forms, one name is left.
  const short = nameKey(raw)
    .split(' ')
    .filter((w) => !COUNTRY_WORDS.has(w))
    .join(' ');
  const byShort = short && short !== nameKey(raw) ? countryNames().get(short) : undefined;
  if (byShort) return byShort;
  return /^[a-z]{3}$/i.test(raw) ? countries().alpha3ToAlpha2(raw.toUpperCase()) : undefined;
}

let countrySearch: MiniSearch<{ id: number; name: string; code: string }> | undefined;
/** The countries whose names come closest to a text that names none ("Germny", "Kenia"), best first. */
export function closestCountries(text: string, max = 3): string[] {
  // No country's name is this long: a fuzzy search of a long text would only cost time.
  if ([...text].length > 60) return [];
  if (!countrySearch) {
    countrySearch = new MiniSearch({ fields: ['name'], storeFields: ['code'], processTerm: (t) => nameKey(t) });
    countrySearch.addAll([...countryNames()].map(([name, code], id) => ({ id, name, code })));
  }
  const codes: string[] = [];
  for (const hit of countrySearch.search(text, { fuzzy: 0.34, prefix: true })) {
    if (!codes.includes(hit.code)) codes.push(hit.code);
    if (codes.length === max) break;
  }
  return codes;
}

/** The country's name in a language, for prompts and the review. */
export function countryName(code: string, lang: Lang): string {
  return countries().getName(code, lang) ?? code;
}

/** True for an ISO 3166-1 alpha-2 code. */
export function isCountryCode(code: string): boolean {
  return countries().isValid(code);
}

/**
 * The zero of each block of decimal digits people type besides ASCII: Arabic-Indic, Eastern Arabic-Indic (Persian,
 * Urdu), N'Ko, the Indic scripts, Thai, Lao, Tibetan, Myanmar, Khmer, Mongolian. Full-width digits (０１２) are
 * NFKC's, like the mathematical ones.
 */
const DIGIT_ZEROS = [
  0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0de6, 0x0e50,
  0x0ed0, 0x0f20, 0x1040, 0x17e0, 0x1810,
];

/** A text with the digits of every script as ASCII digits ("٢٠٢٤", "۲۰۲۴", "２０２４" → "2024"), and NFKC's forms. */
export function asciiDigits(text: string): string {
  return text.normalize('NFKC').replace(/[^\P{Nd}0-9]/gu, (d) => {
    const c = d.codePointAt(0)!;
    const zero = DIGIT_ZEROS.find((z) => c >= z && c <= z + 9);
    return zero === undefined ? d : String(c - zero);
  });
}

/** The decimal mark people usually type in each language. */
const DECIMAL_MARK: Record<Lang, string> = { en: '.', zh: '.', ar: '.', fr: ',', es: ',', ru: ',' };

/**
 * A number written the way people write it in `lang`: "1 234 567", "1,234,567", "1.234.567",
 * "1’234", "2,5", "2.5". A separator followed by exactly three digits, or repeated, groups thousands;
 * otherwise it is the decimal mark. Returns undefined when the text is not a number.
 */
export function parseLocalizedNumber(text: string, lang: Lang, opts: { integer?: boolean } = {}): number | undefined {
  // Digits of every script; the Arabic decimal and thousands separators (٫ ٬), and the Arabic comma (،).
  let s = asciiDigits(text.trim())
    .replace(/[\u00A0\u202F\u2009\s'’_]/g, '')
    .replace(/\u066B/g, '.')
    .replace(/[\u066C\u060C]/g, ',');
  if (!/^[+-]?[\d.,]+$/.test(s) || !/\d/.test(s)) return undefined;
  const sign = s.startsWith('-') ? -1 : 1;
  s = s.replace(/^[+-]/, '');
  const seps = s.replace(/\d/g, '');
  let normalized: string;
  if (seps.length === 0) normalized = s;
  else if (new Set(seps).size === 2) {
    // Both marks: the last one is the decimal mark ("1.234,5" or "1,234.5").
    const dec = seps[seps.length - 1]!;
    const group = dec === '.' ? ',' : '.';
    if (s.indexOf(group) > s.lastIndexOf(dec)) return undefined;
    normalized = s.split(group).join('').replace(dec, '.');
  } else if (seps.length > 1) {
    // The same mark repeated groups thousands: every group must have three digits.
    const parts = s.split(seps[0]!);
    if (parts.slice(1).some((p) => p.length !== 3) || parts[0]!.length > 3 || parts[0]!.length === 0) return undefined;
    normalized = parts.join('');
  } else {
    const [int, frac] = s.split(seps) as [string, string];
    if (!int || !frac) return undefined;
    // "1,234" could be a thousand or a decimal: a whole-number field, or a mark that is not the
    // language's decimal mark, makes it a thousand; "2,5" and "2.5" are decimals everywhere.
    const threeDigitGroup = frac.length === 3 && int.length <= 3 && !int.startsWith('0');
    const grouped = threeDigitGroup && (opts.integer || seps !== DECIMAL_MARK[lang]);
    normalized = grouped ? int + frac : `${int}.${frac}`;
  }
  const n = Number(normalized);
  return Number.isFinite(n) ? sign * n : undefined;
}

/**
 * A telephone number in international form (E.164), read with libphonenumber; `country` helps with national
 * numbers.
 */
export function parsePhone(text: string, country?: string): string | undefined {
  const phone = phones().lib.parsePhoneNumberFromString(
    text.trim(),
    country && isCountryCode(country) ? (country as CountryCode) : undefined,
  );
  return phone?.isValid() ? phone.number : undefined;
}

/** A number in E.164 as people read it ("+49 40 428310"). */
export function formatPhone(e164: string): string {
  return phones().lib.parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/** An example telephone number of a country, with its code ("+33 6 12 34 56 78"), if libphonenumber has one. */
export function examplePhone(country: string): string | undefined {
  if (!isCountryCode(country)) return undefined;
  const { lib, examples } = phones();
  return lib.getExampleNumber(country as CountryCode, examples)?.formatInternational();
}

/** True when the text carries an explicit country code (+49…, 0049…). */
export function hasCountryCode(text: string): boolean {
  return /^\s*(\+|00)\d/.test(text);
}

/** Counts words the way the language writes them (ICU word boundaries, so Chinese counts words, not spaces). */
export function countWords(text: string, lang: Lang): number {
  return words(text, lang).length;
}
