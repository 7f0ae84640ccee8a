import { parse as parseHost } from 'tldts';
import { z } from 'zod';
import { fail, ok, type ParseContext, type Parsed } from './fields.ts';
import { fold } from '../faq/text.ts';
import { LANGS } from '../lang.ts';
import { asciiDigits, hasCountryCode, parsePhone } from './parse.ts';

/**
 * The readers of the form's fields that are more than a number or a text: the official website (a host under a
 * real public suffix), the telephone (read in the city's country when typed without its code), the data year
 * and the pledge's date, each from what people type around the value ("our site is www.…", "2024 г.").
 */

/** A web address's host is a name under a public suffix ICANN knows ("freiburg.de"; not "www.freiburg"). */
function realHost(hostname: string): boolean {
  const host = parseHost(hostname, { allowPrivateDomains: true });
  return !host.isIp && (host.isIcann === true || host.isPrivate === true) && !!host.domainWithoutSuffix;
}

/** The one web address in a text ("Our website is www.leipzig.de"), as an https URL. */
export function website(text: string): Parsed {
  const found = new Set<string>();
  // Words, or the Latin addresses inside them ("官网是www.yiwu.gov.cn", written without a space).
  const latin = /(?:https?:\/\/)?[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}[^\s\p{Script=Han}]*/gu;
  const tokens = text
    .split(/[\s,;，、；()（）「」“”"'<>]+/u)
    .flatMap((t) => (/\p{Script=Han}/u.test(t) && t.match(latin)) || [t]);
  for (const token of tokens) {
    const v = token.replace(/^[^\p{L}\p{N}]+|[.。!?！？:：]+$/gu, '');
    // An email address ("juan.lopez@guadalajara.gob.mx") is not a web address.
    if ((!v.includes('.') && !v.includes('。')) || v.includes('@')) continue;
    const withScheme = /^https?:\/\//i.test(v) ? v : `https://${v.replace(/。/g, '.')}`;
    const r = z.url({ protocol: /^https?$/ }).safeParse(withScheme);
    if (r.success && realHost(new URL(r.data).hostname)) found.add(r.data);
  }
  return found.size === 1 ? ok([...found][0]) : fail(found.size > 1 ? 'several_urls' : 'not_a_url');
}

/**
 * A telephone number in E.164: with its country code (+49…, 0049…), or without it in the city's country
 * (`answers['city.country']`). Digits of every script are read.
 */
export function phone(text: string, ctx: ParseContext): Parsed {
  const t = asciiDigits(text).trim();
  const country = ctx.answers['city.country'] as string | undefined;
  if (!hasCountryCode(t) && !country) return fail('phone_needs_country_code');
  const e164 = parsePhone(t.replace(/^\s*00/, '+'), hasCountryCode(t) ? undefined : country);
  return e164 ? ok(e164) : hasCountryCode(t) ? fail('not_a_phone') : fail('not_a_phone_in_country', { country });
}

/** The year of the profile's figures: one four-digit number, words around it allowed ("2024年", "en 2024"). */
export function year(text: string, ctx: ParseContext): Parsed {
  const numbers = asciiDigits(text).match(/\d+/g) ?? [];
  if (numbers.length !== 1 || numbers[0]!.length !== 4) return fail('not_a_year');
  const y = Number(numbers[0]);
  return y >= 1990 && y <= ctx.currentYear ? ok(y) : fail('year_range', { min: 1990, max: ctx.currentYear });
}

/**
 * A calendar date: 2025-06-01, or day, month and year in that order (1/6/2025, 1.6.2025, 1 6 2025), or
 * 2025年6月1日 (or 1号); "today" is the caller's. Returns it as YYYY-MM-DD.
 */
export function calendarDate(text: string): string | undefined {
  // "2025 г.", "20.05.2025г.", "le 3 juin 2025": the words around a date are dropped, month names read.
  const t = withMonthNumbers(fold(asciiDigits(text)))
    .replace(/^(?:le|el|the|on|du|del)\s+/u, '')
    .replace(/\s*(?:г\.?|года|год)$/u, '')
    .replace(/(\d)(?:er|st|nd|rd|th|º|°)\b/u, '$1')
    .replace(/\s+(?:de|del)\s+/gu, ' ')
    .replace(/,/g, ' ')
    .trim();
  // 日 or, as often written, 号 (2025年6月1号).
  const iso = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?$/u.exec(t);
  const dmy = /^(\d{1,2})[-/. ]+(\d{1,2})[-/. ]+(\d{4})$/.exec(t);
  // A month name first ("June 3 2025", turned into "#6 3 2025"): month, day, year.
  const mdy = /^#(\d{1,2})\s+(\d{1,2})\s+(\d{4})$/.exec(t);
  const named = /^(\d{1,2})\s+#(\d{1,2})\s+(\d{4})$/.exec(t);
  const [y, m, d] = iso
    ? [iso[1], iso[2], iso[3]]
    : dmy
      ? [dmy[3], dmy[2], dmy[1]]
      : named
        ? [named[3], named[2], named[1]]
        : mdy
          ? [mdy[3], mdy[1], mdy[2]]
          : [];
  if (!y) return undefined;
  const date = `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
  // A real day of the calendar: 31/02/2025 is not one.
  return z.iso.date().safeParse(date).success && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date)
    ? date
    : undefined;
}

let MONTHS: [string, number][] | undefined;
/**
 * The month names of the six languages (and Arabic's regional ones), long and short, as written alone and in a
 * date ("juin", "June", "junio", "июня", "يونيو"), folded, longest first; from the runtime's CLDR data.
 */
function monthNames(): [string, number][] {
  if (MONTHS) return MONTHS;
  const names = new Map<string, number>();
  // Arabic names its months three ways: يونيو, حزيران (Levant, Iraq), جوان (Maghreb).
  for (const lang of [...LANGS.filter((l) => l !== 'zh'), 'ar-SY', 'ar-DZ']) {
    for (let m = 0; m < 12; m++) {
      const at = new Date(Date.UTC(2025, m, 15));
      for (const month of ['long', 'short'] as const) {
        names.set(fold(new Intl.DateTimeFormat(lang, { month, timeZone: 'UTC' }).format(at)).replace(/\.$/, ''), m + 1);
        const inDate = new Intl.DateTimeFormat(lang, { day: 'numeric', month, timeZone: 'UTC' }).formatToParts(at);
        const part = inDate.find((p) => p.type === 'month')?.value;
        if (part) names.set(fold(part).replace(/\.$/, ''), m + 1);
      }
    }
  }
  MONTHS = [...names].filter(([n]) => n.length >= 3).sort((a, b) => b[0].length - a[0].length);
  return MONTHS;
}

/** A text with its month names as "#<number>" ("3 juin 2025" → "3 #6 2025"). */
function withMonthNumbers(text: string): string {
  for (const [name, m] of monthNames()) {
    const at = text.indexOf(name);
    if (at >= 0 && !/\p{L}/u.test(text[at - 1] ?? '') && !/\p{L}/u.test(text[at + name.length] ?? ''))
      return `${text.slice(0, at)} #${m} ${text.slice(at + name.length)}`.replace(/\s+/g, ' ');
  }
  return text;
}

/** The pledge's date: a calendar date, its year from 1990 to next year (a typo such as 2205 is caught). */
export function pledgeDate(text: string, ctx: ParseContext): Parsed {
  const date = calendarDate(text);
  if (!date) return fail('not_a_date');
  const y = Number(date.slice(0, 4));
  return y >= 1990 && y <= ctx.currentYear + 1 ? ok(date) : fail('year_range', { min: 1990, max: ctx.currentYear + 1 });
}
