import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/index.ts';
import { LANGS } from '../../src/core/lang.ts';
import { flatten, PLURAL, type Tree } from './keys.ts';

/**
 * Every message that takes a count has its six plural forms in every language (every locale has every key). Each
 * language uses those of its Intl.PluralRules categories (Arabic six, Russian four, French three, Chinese one),
 * and `_zero` for 0 in every language (i18next looks it up first): the others are never shown. Each reads right
 * with 0, 1, 2, 5, 11, 21, 101 and a million. No message dodges the plural with "(s)" or an abbreviation.
 */
const COUNTS = [0, 1, 2, 5, 11, 21, 101, 1_000_000];

describe('plurals', () => {
  const i18n = createI18n();
  const trees = Object.fromEntries(LANGS.map((l) => [l, flatten(i18n.instance.getDataByLanguage(l) as Tree)]));
  const counted = new Set(
    LANGS.flatMap((l) => [...trees[l]!.keys()].filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, ''))),
  );

  it('some messages take a count (the walk below is not empty)', () => {
    expect(counted.size).toBeGreaterThan(10);
  });

  it.each(LANGS)('%s has every plural form of every counted message', (lang) => {
    const forms = ['zero', 'one', 'two', 'few', 'many', 'other'];
    const missing = [...counted].flatMap((k) =>
      forms.filter((c) => !trees[lang]!.get(`${k}_${c}`)?.trim()).map((c) => `${k}_${c}`),
    );
    expect(missing).toEqual([]);
  });

  it.each(LANGS)('%s: every counted message with 0, 1, 2, 5, 11, 21, 101 and a million', (lang) => {
    const numbers = new Intl.NumberFormat(lang, { useGrouping: 'min2' });
    const rules = new Intl.PluralRules(lang);
    const wrong: string[] = [];
    for (const k of counted) {
      const ns = k.slice(0, k.indexOf('.'));
      const key = `${ns}:${k.slice(ns.length + 1)}`;
      const names = [...trees[lang]!]
        .filter(([kk]) => kk === k || kk.replace(PLURAL, '') === k)
        .flatMap(([, v]) => [...v.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!));
      for (const count of COUNTS) {
        const vars: Record<string, unknown> = Object.fromEntries(names.map((n) => [n, 'Hamburg']));
        const text = i18n.t(lang, key, { ...vars, count, limit: count });
        const form = trees[lang]!.get(`${k}_${rules.select(count)}`);
        if (text.includes('{{')) wrong.push(`${key} (${count}): a placeholder is left: ${text}`);
        if (form?.includes('{{count}}') && !text.includes(numbers.format(count)))
          wrong.push(`${key} (${count}): the count is not shown as ${numbers.format(count)}: ${text}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each(LANGS)('%s dodges no plural', (lang) => {
    const dodges: Record<string, RegExp> = {
      en: /\(s\)|\b(day|question|application|answer|city|word|character)s?\(s\)/,
      fr: /\(s\)|\(x\)/,
      es: /\(s\)|\(es\)/,
      ru: /\bдн\.|\(а\)|\(ов\)|\(и\)/,
      ar: /\(ات\)/,
      zh: /$^/,
    };
    const found = [...trees[lang]!].filter(([, v]) => dodges[lang]!.test(v)).map(([k, v]) => `${k}: ${v}`);
    expect(found).toEqual([]);
  });
});
