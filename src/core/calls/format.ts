import type { Lang } from '../lang.ts';
import { memo } from '../../lib/memo.ts';
import { endOf } from './engine.ts';

/** The regional form of each language used for dates ("15 June 2025", "15 juin 2025", "2025年6月15日"). */
const DATE_LOCALE: Record<Lang, string> = { en: 'en-GB', fr: 'fr-FR', es: 'es-ES', ar: 'ar', zh: 'zh-CN', ru: 'ru-RU' };

const dayFormat = memo(
  (lang: Lang) => new Intl.DateTimeFormat(DATE_LOCALE[lang], { dateStyle: 'long', timeZone: 'UTC' }),
);
const relativeFormat = memo((lang: Lang) => new Intl.RelativeTimeFormat(DATE_LOCALE[lang], { numeric: 'auto' }));
const timeFormat = memo(
  (lang: Lang, zone: string, dateStyle: 'long' | 'medium') =>
    new Intl.DateTimeFormat(DATE_LOCALE[lang], { dateStyle, timeStyle: 'short', timeZone: zone }),
);

/** A calendar date (YYYY-MM-DD) written the way the language writes dates. */
export function formatDay(date: string, lang: Lang): string {
  return dayFormat(lang).format(new Date(`${date}T00:00:00Z`));
}

/** "in 5 days", "tomorrow", "today", "3 days ago" in the language. */
export function formatDaysFromNow(days: number, lang: Lang): string {
  return relativeFormat(lang).format(days, 'day');
}

/** The last minute of a deadline day (in the call's zone) shown in another zone, e.g. the user's. */
export function formatDeadlineIn(date: string, callZone: string, userZone: string, lang: Lang): string {
  const lastMinute = new Date(endOf(date, callZone).getTime() - 60_000);
  return timeFormat(lang, userZone, 'long').format(lastMinute);
}

const RECENT = new Date('2025-01-15T12:00:00Z');

/**
 * A time zone as the language names it ("Central European Time", "heure d’Europe centrale", "توقيت وسط أوروبا",
 * "中欧时间"), not its IANA id; the id where the language has no name for it.
 */
export const formatZone = memo((zone: string, lang: Lang): string => {
  const name = (style: 'longGeneric' | 'long') =>
    new Intl.DateTimeFormat(DATE_LOCALE[lang], { timeZone: zone, timeZoneName: style })
      // At a recent instant: ICU names a zone by its rules then (Germany kept no summer time in 1970).
      .formatToParts(RECENT)
      .find((p) => p.type === 'timeZoneName')?.value;
  const generic = name('longGeneric');
  // A zone without a generic name comes out as an offset ("GMT+00:00"): UTC's own name reads better.
  return (generic && !/^(GMT|UTC)[+-]/.test(generic) ? generic : name('long')) ?? zone;
});

/** An instant as date and time on a zone's clock ("8 Jun 2025, 09:00"). */
export function formatInstant(at: Date, zone: string, lang: Lang): string {
  return timeFormat(lang, zone, 'medium').format(at);
}
