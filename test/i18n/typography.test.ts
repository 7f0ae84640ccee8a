import { describe, expect, it } from 'vitest';
import { finish, mark } from '../../src/i18n/typography.ts';
import { createI18n } from '../../src/i18n/index.ts';
import { formatDay } from '../../src/core/calls/format.ts';

const NBSP = '\u00A0';
const THIN = '\u202F';

describe('typography of each language, applied to every message', () => {
  it('French: no break before : ; ! ? nor inside guillemets, whatever space the text had', () => {
    expect(finish('fr', 'Attention : la date ; vraiment ? Oui ! « Continuer »')).toBe(
      `Attention${NBSP}: la date${THIN}; vraiment${THIN}? Oui${THIN}! «${NBSP}Continuer${NBSP}»`,
    );
    expect(finish('fr', 'Note: oui')).toBe(`Note${NBSP}: oui`);
    // Addresses, times and queries keep their punctuation as they are.
    expect(finish('fr', 'https://www.uil.unesco.org/fr?x=1 à 09:30')).toBe('https://www.uil.unesco.org/fr?x=1 à 09:30');
  });

  it('French: the first of the month is "1er", and "de" elides before a vowel', () => {
    expect(finish('fr', `le ${formatDay('2025-06-01', 'fr')} et le ${formatDay('2025-06-11', 'fr')}`)).toBe(
      'le 1er juin 2025 et le 11 juin 2025',
    );
    expect(finish('fr', `Ville de ${mark('Angers')}, que ${mark('Oslo')}, de ${mark('Hambourg')}`)).toBe(
      "Ville d'Angers, qu'Oslo, de Hambourg",
    );
  });

  it('a value that opens a sentence starts with a capital; one inside a sentence does not change', () => {
    const commission = 'the National Commission (Germany)';
    expect(finish('en', `${mark(commission)} has returned it. Then ${mark(commission)} decides.`)).toBe(
      'The National Commission (Germany) has returned it. Then the National Commission (Germany) decides.',
    );
    expect(finish('en', `Done. ${mark('the commission')} will decide.\n${mark('endorsed')} by Anna`)).toBe(
      'Done. The commission will decide.\nEndorsed by Anna',
    );
    expect(finish('fr', `KE · ${mark('la Commission nationale')} : salle C1`)).toBe(
      'KE · La Commission nationale\u00A0: salle C1',
    );
    // After an abbreviation of one letter the sentence goes on ("15 мая 2025 г. (через 5 дней)").
    expect(finish('ru', `до 15 мая 2025 г. ${mark('через 5 дней')}`)).toBe('до 15 мая 2025 г. через 5 дней');
  });

  it('a bracket left empty by an empty value goes', () => {
    expect(finish('en', 'It decides by 15 July 2025 (). Then…')).toBe('It decides by 15 July 2025. Then…');
    expect(finish('zh', '截止日期为2025年7月15日（）。')).toBe('截止日期为2025年7月15日。');
  });

  it('Russian: a date ending in "г." takes no second full stop', () => {
    expect(finish('ru', `Приём заявок до ${formatDay('2025-06-15', 'ru')}.`)).toBe('Приём заявок до 15 июня 2025 г.');
  });

  it('Chinese: no ASCII space beside full-width punctuation, full-width brackets after Chinese text', () => {
    expect(finish('zh', '截止日期： 2025年6月15日。 国家： 中国 (CN)、 肯尼亚 (KE)')).toBe(
      '截止日期：2025年6月15日。国家：中国（CN）、肯尼亚（KE）',
    );
    expect(finish('zh', '网址 https://www.uil.unesco.org (英文)')).toBe('网址 https://www.uil.unesco.org (英文)');
  });

  it('Arabic: a left-to-right run with separators is isolated, a lone word or number is not', () => {
    expect(finish('ar', 'أو 2025-06-15 أو DE أو 3')).toBe('أو \u20682025-06-15\u2069 أو DE أو 3');
  });

  it('word lists the bot reads are left as written (no isolates in Arabic, no spaces added in French)', () => {
    const { t, instance } = createI18n();
    for (const [lang, key] of [
      ['ar', 'form:commands.back'],
      ['ar', 'form:units.area'],
      ['fr', 'form:commands.help'],
    ] as const) {
      const [ns, path] = key.split(':') as [string, string];
      expect(t(lang, key)).toBe(path.split('.').reduce((o: any, k) => o[k], instance.getResourceBundle(lang, ns)));
    }
    expect(t('ar', 'form:commands.back')).toContain('|go back|');
  });

  it('through t: numbers grouped by the language, lists joined by it, and what a person typed kept as typed', () => {
    const { t, add } = createI18n();
    add('x', { fr: { n: '{{count}} habitants : {{items}}.', echo: '{{text}}' }, zh: { l: '{{items}}' } });
    expect(t('fr', 'x:n', { count: 20000, items: ['Lyon', 'Lille', 'Nice'] })).toBe(
      `20${'\u202F'}000 habitants${NBSP}: Lyon, Lille et Nice.`,
    );
    expect(t('zh', 'x:l', { items: ['北京', '上海', '广州'] })).toBe('北京、上海和广州');
    expect(t('fr', 'x:echo', { text: 'bonjour à tous' })).toBe('bonjour à tous');
  });
});
