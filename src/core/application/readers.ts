import { parse as parseHost } from 'tldts';
import { z } from 'zod';
import { fail, ok, type ParseContext, type Parsed } from './fields.ts';
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
  for (const token of text.split(/[\s,;，、；()（）「」“”"'<>]+/u)) {
    const v = token.replace(/^[^\p{L}\p{N}]+|[.。!?！？:：]+$/gu, '');
    if (!v.includes('.') && !v.includes('。')) continue;
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
  return e164 ? ok(e164) : fail(hasCountryCode(t) ? 'not_a_phone' : 'not_a_phone_in_country');
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
 * 2025年6月1日; "today" is the caller's. Returns it as YYYY-MM-DD.
 */
export function calendarDate(text: string): string | undefined {
  const t = asciiDigits(text).trim();
  const iso = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/u.exec(t);
  const dmy = /^(\d{1,2})[-/. ]+(\d{1,2})[-/. ]+(\d{4})$/.exec(t);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : [];
  if (!y) return undefined;
  const date = `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
  // A real day of the calendar: 31/02/2025 is not one.
  return z.iso.date().safeParse(date).success && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date)
    ? date
    : undefined;
}

/** The pledge's date: a calendar date, its year from 1990 to next year (a typo such as 2205 is caught). */
export function pledgeDate(text: string, ctx: ParseContext): Parsed {
  const date = calendarDate(text);
  if (!date) return fail('not_a_date');
  const y = Number(date.slice(0, 4));
  return y >= 1990 && y <= ctx.currentYear + 1 ? ok(date) : fail('year_range', { min: 1990, max: ctx.currentYear + 1 });
}
