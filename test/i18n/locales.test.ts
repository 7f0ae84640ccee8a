import { coreAt } from '../helpers.ts';
import { describe, expect, it } from 'vitest';
import { readLocales } from '../../src/i18n/index.ts';
import { LANGS } from '../../src/core/lang.ts';
import { DATA_DIR, loadFaq } from '../../src/core/faq/schema.ts';

import { flatten, PLURAL, type Tree } from './keys.ts';

/** The keys code asks for: a plural key's forms (`x_one`, `x_few`…) are one key, shown by its `other` form. */
function asked(tree: Tree): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of flatten(tree)) {
    const base = k.replace(PLURAL, '');
    if (base === k || k.endsWith('_other') || !out.has(base)) out.set(base, v);
  }
  return out;
}
const placeholders = (s: string) => (s.match(/\{\{\s*\w+\s*\}\}/g) ?? []).sort().join(' ');

describe('locale parity', () => {
  const resources = readLocales();
  const flat = Object.fromEntries(LANGS.map((l) => [l, asked(resources[l] as Tree)]));
  const allKeys = new Set(LANGS.flatMap((l) => [...flat[l]!.keys()]));

  it.each(LANGS)('%s has every key, none empty, same placeholders as English', (lang) => {
    const missing = [...allKeys].filter((k) => !flat[lang]!.get(k)?.trim());
    expect(missing, `missing or empty in ${lang}`).toEqual([]);
    const differ = [...allKeys].filter(
      (k) => placeholders(flat[lang]!.get(k) ?? '') !== placeholders(flat.en!.get(k) ?? ''),
    );
    expect(differ, `placeholders differ in ${lang}`).toEqual([]);
  });

  it('the FAQ has every entry in every language, with the same contact placeholders', () => {
    const faq = loadFaq(DATA_DIR);
    for (const e of faq.entries) {
      for (const lang of LANGS) {
        expect(placeholders(faq.text[lang][e.id]!.answer), `${lang} ${e.id}`).toBe(
          placeholders(faq.text.en[e.id]!.answer),
        );
      }
    }
  });

  it('has the entries the product needs', () => {
    const ids = loadFaq(DATA_DIR).entries.map((e) => e.id);
    for (const id of [
      'eligibility',
      'benefits',
      'how-to-apply',
      'deadline',
      'commission-deadline',
      'endorsement',
      'quota',
      'guiding-documents',
      'application-form',
      'mayor',
      'language',
      'contact',
      'network',
      'learning-city',
      'award',
    ]) {
      expect(ids).toContain(id);
    }
  });
});

describe('the contact answer', () => {
  it.each(LANGS)('%s names the address country in the language', (lang) => {
    const core = coreAt('2025-06-10T12:00:00Z');
    const region = new Intl.DisplayNames([lang], { type: 'region' }).of('DE')!;
    const answer = core.assistant.ask('contact', { lang }).answer;
    expect(answer).toContain(`Hamburg, ${region}`);
    if (lang !== 'en') expect(answer).not.toContain('Germany');
  });
});
