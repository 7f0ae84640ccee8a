import { describe, expect, it } from 'vitest';
import { FIELD, unitPattern } from '../../../src/core/application/form.ts';
import { createI18n, readLocales } from '../../../src/i18n/index.ts';
import { FormText } from '../../../src/core/application/display.ts';
import { LANGS } from '../../../src/core/lang.ts';

const parse = (key: string, text: string, lang: 'en' | 'fr' | 'es' | 'ru' | 'zh' | 'ar' = 'en') =>
  FIELD.get(key)!.parse(text, { lang, answers: {}, today: '2025-06-01', currentYear: 2025 });

describe('units of a number (form:units)', () => {
  it.each([
    ['area', ['km²', 'KM2', 'km', 'sq km', 'kilomètres carrés', 'كم2', 'كم²', 'كم مربع', '平方公里', 'км²', 'кв. км']],
    ['money', ['USD', 'us$', '$', 'dollars', 'دولار', '美元', 'долларов', 'dólares']],
    ['years', ['year', 'Years', 'an', 'ans', 'año', 'AÑOS', 'год', 'года', 'лет', '年', 'سنة', 'سنوات']],
    ['people', ['inhabitants', 'habitants', 'habitantes', 'نسمة', '人', 'жителей']],
  ] as const)("of %s are every language's words, read from the locales", (kind, typed) => {
    const unit = unitPattern(readLocales(), kind);
    for (const u of typed) expect(`12 ${u}`.replace(unit, ''), u).toBe('12 ');
  });

  it('are accepted in any conversation, at the very end only, and only for their kind of number', () => {
    expect('12 km de long'.replace(unitPattern(readLocales(), 'area'), '')).toBe('12 km de long');
    expect(parse('profile.area', '696,1 km²', 'fr')).toEqual({ ok: true, value: 696.1 });
    expect(parse('profile.area', '60 كم2', 'ar')).toEqual({ ok: true, value: 60 });
    expect(parse('profile.population', '545 796 inhabitants', 'en')).toEqual({ ok: true, value: 545796 });
    expect(parse('profile.gdpCity', '4,300 دولار', 'ar')).toEqual({ ok: true, value: 4300 });
    expect(parse('profile.schoolingWomen', '12 лет', 'en')).toEqual({ ok: true, value: 12 });
    expect(parse('profile.schoolingMen', '11.5 años', 'es')).toEqual({ ok: true, value: 11.5 });
    expect(parse('profile.area', '4300 $', 'en').ok).toBe(false);
  });

  it('come from the translations given, so a new language needs only its locale file', () => {
    const unit = unitPattern(
      { en: { form: { units: { years: 'km|year' } } }, xx: { form: { units: { years: 'jahre | m.' } } } },
      'years',
    );
    expect('3 Jahre'.replace(unit, '')).toBe('3 ');
    expect('3 m.'.replace(unit, '')).toBe('3 ');
    // Entries are text, not patterns: the "." is a dot.
    expect('3 mx'.replace(unit, '')).toBe('3 mx');
    expect('3 лет'.replace(unit, '')).toBe('3 лет');
  });
});

describe('readings that testers saw go wrong', () => {
  it('a rating is a number, or a number word alone: an article in a phrase is not a 1', () => {
    const key = 'challenges.inclusive-education';
    expect(parse(key, 'quite a big one', 'en').ok).toBe(false);
    expect(parse(key, 'es un reto grande', 'es').ok).toBe(false);
    expect(parse(key, 'одна из главных проблем', 'ru').ok).toBe(false);
    expect(parse(key, 'cuatro', 'es')).toEqual({ ok: true, value: 4 });
    expect(parse(key, 'пять', 'ru')).toEqual({ ok: true, value: 5 });
    expect(parse(key, "I'd say 4", 'en')).toEqual({ ok: true, value: 4 });
  });

  it('a number alone is no motivation (typed one question too late)', () => {
    expect(parse('motivation', '12,1', 'es').ok).toBe(false);
    expect(parse('motivation', 'Aprender toda la vida', 'es').ok).toBe(true);
  });
});

describe('the review card', () => {
  const { t } = createI18n();
  it.each(LANGS)('in %s, names each answer without repeating its section ("Mayor: Mayor: surname")', (lang) => {
    const card = new FormText(t).reviewCard({}, lang);
    const mayor = card.sections.find((s) => s.title === t(lang, 'form:sections.mayor'))!;
    expect(mayor.facts).toHaveLength(4);
    for (const fact of mayor.facts) expect(fact.label, fact.label).not.toMatch(/[:：]/u);
  });
});

describe('the United Kingdom', () => {
  it.each([
    ['England', 'en'],
    ['United Kingdom of Great Britain and Northern Ireland', 'en'],
    ['Écosse', 'fr'],
    ['Inglaterra', 'es'],
    ['Англия', 'ru'],
    ['英格兰', 'zh'],
    ['إنجلترا', 'ar'],
  ] as const)('"%s" is GB (its nations are no ISO countries of their own)', (text, lang) => {
    expect(parse('city.country', text, lang)).toEqual({ ok: true, value: 'GB' });
  });
});
