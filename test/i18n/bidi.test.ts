import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/index.ts';
import { DATA_DIR, loadFaq } from '../../src/core/faq/schema.ts';
import { flatten, PLURAL, type Tree } from './keys.ts';
import { createBidi, ltrRuns, visualLines } from '../../scripts/bidi.ts';

/**
 * Every Arabic message, with the values people see in it (a telephone number, an e-mail and a web address, an
 * application id, a Latin city name, a time zone), rendered by the Unicode bidirectional algorithm as a chat
 * client does: each line is a paragraph whose direction comes from its first strong letter. Each left-to-right
 * run of the message (its values and any Latin or digits in the text) must read in logical order, and a line
 * with Arabic in it must be right to left.
 */
const SAMPLE: Record<string, string | number> = {
  phone: '+49 40 44 80 41 62',
  email: 'learningcities@unesco.org',
  web: 'https://www.uil.unesco.org/en/learning-cities',
  url: 'https://www.hamburg.de/learning-city',
  id: 'GNLC-2025-DE-0001',
  ids: 'GNLC-2025-DE-0001, GNLC-2025-DE-0002',
  city: 'Bad Homburg vor der Höhe',
  code: 'DE',
  zone: 'Europe/Berlin',
  cycle: '2025',
  call: '2025',
  address: 'Feldbrunnenstr. 58, 20148 Hamburg, Germany',
  name: 'Anna Schmidt',
  value: '+49 30 1234 5678',
  count: 12,
  n: 3,
  total: 34,
  limit: 3,
};
const sample = (name: string): string | number => SAMPLE[name] ?? `Example ${name} 40 44`;

describe('Arabic messages read in order when rendered right to left', () => {
  const i18n = createI18n();
  const faq = loadFaq(DATA_DIR);
  i18n.add('faq', faq.text);
  const bidi = createBidi();
  const ar = flatten(i18n.instance.getDataByLanguage('ar') as Tree);

  it('every message, with its values', () => {
    const wrong: string[] = [];
    for (const [key, template] of ar) {
      if (template.includes('|')) continue; // a list of words the bot reads, never shows
      const base = key.replace(PLURAL, '');
      const names = [...new Set([...template.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1]!))];
      const vars = Object.fromEntries(names.map((n) => [n, sample(n)]));
      const ns = base.slice(0, base.indexOf('.'));
      const text = i18n.t('ar', `${ns}:${base.slice(ns.length + 1)}`, names.length ? vars : undefined);
      for (const { raw, logical, visual, rtl } of visualLines(bidi, text)) {
        if (/\p{Script=Arabic}/u.test(logical) && !rtl) wrong.push(`${key}: a line reads left to right: ${logical}`);
        for (const run of ltrRuns(raw)) {
          if (!visual.includes(run)) wrong.push(`${key}: "${run}" is shown reordered: ${visual}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the check catches a telephone number put into Arabic text without an isolate', () => {
    const [line] = visualLines(bidi, 'الهاتف: +49 40 44 80 41 62');
    expect(line!.visual).not.toContain('+49 40 44 80 41 62');
    const [fixed] = visualLines(bidi, 'الهاتف: \u2068+49 40 44 80 41 62\u2069');
    expect(fixed!.visual).toContain('+49 40 44 80 41 62');
  });
});
