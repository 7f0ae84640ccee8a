import { describe, expect, it } from 'vitest';
import { readLocales } from '../../src/i18n/index.ts';
import { LANGS } from '../../src/core/lang.ts';
import { DATA_DIR, loadFaq } from '../../src/core/faq/schema.ts';

type Tree = { [k: string]: string | Tree };
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}
const placeholders = (s: string) => (s.match(/\{\{\s*\w+\s*\}\}/g) ?? []).sort().join(' ');

describe('locale parity', () => {
  const resources = readLocales();
  const flat = Object.fromEntries(LANGS.map((l) => [l, flatten(resources[l] as Tree)]));
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
