import { describe, expect, it } from 'vitest';
import { createI18n, readLocales } from '../../src/i18n/index.ts';
import { LANGS } from '../../src/core/lang.ts';
import { DATA_DIR, loadFaq } from '../../src/core/faq/schema.ts';
import { flatten, type Tree } from './keys.ts';

/**
 * One glossary per language (locales/<lng>/glossary.json): UNESCO's official names, put into messages by nesting
 * (`$t(glossary:names.network)`), never typed again; the product's key terms; and the words that the glossary
 * replaces, which no message may use (a calque, a second term for one thing).
 */
interface Glossary {
  names: Record<string, string>;
  terms: Record<string, string>;
  /** "word=instead|word=instead…": each language's own words. */
  avoid: string;
}

describe('glossary', () => {
  const resources = readLocales();
  const faq = loadFaq(DATA_DIR);
  const glossary = (lang: string) => resources[lang]!.glossary as unknown as Glossary;
  /** Every text a person reads in `lang`: the messages and the FAQ's answers and titles. */
  const texts = (lang: (typeof LANGS)[number]) => {
    const out = new Map<string, string>();
    for (const [ns, tree] of Object.entries(resources[lang]!)) {
      if (ns === 'glossary') continue;
      for (const [k, v] of flatten(tree as Tree, `${ns}.`)) if (!v.includes('|')) out.set(k, v);
    }
    for (const [id, e] of Object.entries(faq.text[lang])) {
      out.set(`faq.${id}.answer`, e.answer);
      out.set(`faq.${id}.title`, e.title);
    }
    return out;
  };

  it.each(LANGS)('%s has the same names and terms as English', (lang) => {
    const en = glossary('en');
    // A name's case forms ("network_gen") are in every language: one without cases gives the name itself.
    expect(Object.keys(glossary(lang).names).sort()).toEqual(Object.keys(en.names).sort());
    expect(Object.keys(glossary(lang).terms).sort()).toEqual(Object.keys(en.terms).sort());
    for (const v of [...Object.values(glossary(lang).names), ...Object.values(glossary(lang).terms)])
      expect(v.trim()).not.toBe('');
  });

  it.each(LANGS)('%s writes each official name through the glossary only', (lang) => {
    const typed: string[] = [];
    for (const [key, text] of texts(lang)) {
      if (key.endsWith('.title')) continue; // a topic's short label on a button
      for (const [id, name] of Object.entries(glossary(lang).names))
        if (text.toLowerCase().includes(name.toLowerCase())) typed.push(`${key} types names.${id}`);
    }
    expect(typed).toEqual([]);
  });

  it.each(LANGS)('%s uses none of the words its glossary replaces', (lang) => {
    const found: string[] = [];
    for (const [key, text] of texts(lang)) {
      for (const [word, instead] of glossary(lang)
        .avoid.split('|')
        .map((e) => e.split('='))) {
        if (!word || !instead) throw new Error(`${lang} glossary avoid: "${word}=${instead}" is not word=instead`);
        // At a word's start, except in Chinese, written without spaces between words.
        const start = /\p{Script=Han}/u.test(word) ? '' : '(?<![\\p{L}])';
        const at = new RegExp(`${start}${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'iu');
        if (at.test(text)) found.push(`${key}: "${word}" (use ${instead})`);
      }
    }
    expect(found).toEqual([]);
  });

  it.each(LANGS)('%s: a name nested in a message with values comes out in that language', (lang) => {
    const i18n = createI18n();
    i18n.add('faq', faq.text);
    const english = Object.values(glossary('en').names);
    const wrong: string[] = [];
    for (const [key, text] of texts(lang)) {
      if (!text.includes('$t(glossary:')) continue;
      const names = [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!);
      const ns = key.slice(0, key.indexOf('.'));
      const out = i18n.t(lang, `${ns}:${key.slice(ns.length + 1)}`, {
        ...Object.fromEntries(names.map((n) => [n, 'X'])),
        count: 2,
      });
      if (out.includes('$t(')) wrong.push(`${key}: nesting left: ${out}`);
      if (lang !== 'en' && english.some((n) => out.includes(n))) wrong.push(`${key}: English name: ${out}`);
    }
    expect(wrong).toEqual([]);
  });

  it('the check sees a replaced word', () => {
    const at = /(?<![\p{L}])призыв/iu;
    expect(at.test('Призыв к подаче заявок')).toBe(true);
    expect(at.test('конкурс')).toBe(false);
  });
});
