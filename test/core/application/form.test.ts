import { describe, expect, it } from 'vitest';
import { FIELD, unitPattern } from '../../../src/core/application/form.ts';
import { readLocales } from '../../../src/i18n/index.ts';

const parse = (key: string, text: string, lang: 'en' | 'fr' | 'es' | 'ru' | 'zh' | 'ar' = 'en') =>
  FIELD.get(key)!.parse(text, { lang, answers: {}, today: '2025-06-01', currentYear: 2025 });

describe('units of a number (form:number_units)', () => {
  it("are every language's words, read from the locales, accepted in any conversation", () => {
    const unit = unitPattern(readLocales());
    for (const typed of [
      'km²',
      'KM2',
      'km',
      'USD',
      'us$',
      '$',
      'year',
      'Years',
      'an',
      'ans',
      'año',
      'AÑOS',
      'год',
      'года',
      'лет',
      '年',
      'سنة',
      'سنوات',
    ]) {
      expect(`12 ${typed}`.replace(unit, ''), typed).toBe('12 ');
    }
    // Only at the very end, and only whole entries of the lists.
    expect('12 km de long'.replace(unit, '')).toBe('12 km de long');
    expect(parse('profile.area', '696,1 km²', 'fr')).toEqual({ ok: true, value: 696.1 });
    expect(parse('profile.schoolingWomen', '12 лет', 'en')).toEqual({ ok: true, value: 12 });
    expect(parse('profile.schoolingMen', '11.5 años', 'es')).toEqual({ ok: true, value: 11.5 });
  });

  it('come from the translations given, so a new language needs only its locale file', () => {
    const unit = unitPattern({
      en: { form: { number_units: 'km|year' } },
      xx: { form: { number_units: 'jahre | m.' } },
    });
    expect('3 Jahre'.replace(unit, '')).toBe('3 ');
    expect('3 m.'.replace(unit, '')).toBe('3 ');
    // Entries are text, not patterns: the "." is a dot.
    expect('3 mx'.replace(unit, '')).toBe('3 mx');
    expect('3 лет'.replace(unit, '')).toBe('3 лет');
  });
});
