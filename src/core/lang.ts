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
