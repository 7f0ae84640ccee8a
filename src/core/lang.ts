/** The six UN languages the bot speaks, and locale negotiation helpers. */
export const LANGS = ['en', 'fr', 'es', 'ar', 'zh', 'ru'] as const;
export type Lang = (typeof LANGS)[number];

/** Type guard for a supported language code. */
export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/**
 * Maps a platform locale ("fr-FR", "zh_Hant_TW", "ar") to one of the six languages,
 * or undefined when the locale is missing or not one of them.
 */
export function negotiateLocale(locale: string | undefined | null): Lang | undefined {
  if (!locale) return undefined;
  const primary = locale.trim().toLowerCase().split(/[-_]/)[0];
  return isLang(primary) ? primary : undefined;
}

/**
 * The language to speak to a person in, the one rule for every reply: the language they chose, else the one
 * this message is written in (when it tells), else the one they last wrote in, else their platform's locale,
 * else English.
 */
export function languageOf(
  conv: { lang: { chosen?: Lang; last?: Lang } } | undefined,
  locale?: string | null,
  written?: Lang,
): Lang {
  return conv?.lang.chosen ?? written ?? conv?.lang.last ?? negotiateLocale(locale) ?? 'en';
}

/** Sentences of one message side by side: spaced, except in Chinese, whose sentences end with their own full stop. */
export function sentences(lang: Lang, parts: readonly string[]): string {
  return parts.join(lang === 'zh' ? '' : ' ');
}
