import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FaqMatcher } from '../src/core/faq/matcher.ts';
import { loadFaq } from '../src/core/faq/schema.ts';
import { LANGS } from '../src/core/lang.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const faq = loadFaq();
const dir = mkdtempSync(path.join(os.tmpdir(), 'gnlc-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The dev split's messages of every language (what the kept models must read exactly as learnt ones do). */
const texts = LANGS.flatMap((lang) =>
  (
    JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/questions/dev', `${lang}.json`), 'utf8')) as {
      text: string;
    }[]
  )
    .slice(0, 40)
    .map((q) => q.text),
);
const answers = (m: FaqMatcher) => texts.map((t) => JSON.stringify(m.match(t)));
const warmAll = (m: FaqMatcher) => {
  for (const lang of LANGS) m.warm(lang);
  return m;
};
const inode = (lang: string) => statSync(path.join(dir, `${lang}.model`)).ino;

describe('the classifier models kept in files', () => {
  const learnt = answers(new FaqMatcher(faq, {}, undefined));

  it('are written by the first process, read by the next, and answer exactly as models learnt again', () => {
    expect(answers(warmAll(new FaqMatcher(faq, {}, dir)))).toEqual(learnt);
    expect(readdirSync(dir).sort()).toEqual(LANGS.map((l) => `${l}.model`).sort());
    const before = LANGS.map(inode);
    const kept = answers(warmAll(new FaqMatcher(faq, {}, dir)));
    expect(kept).toEqual(learnt);
    // Read, not learnt again: a language learnt is written anew (a new file renamed over the old one).
    expect(LANGS.map(inode)).toEqual(before);
  });

  it('are learnt again and rewritten when the phrasings change (another key)', () => {
    const fewer = { ...faq, offTopic: { ...faq.offTopic, fr: (faq.offTopic.fr ?? []).slice(1) } };
    const before = inode('fr');
    new FaqMatcher(fewer, {}, dir).warm('fr');
    expect(inode('fr')).not.toBe(before);
    const back = inode('fr');
    new FaqMatcher(faq, {}, dir).warm('fr');
    expect(inode('fr')).not.toBe(back);
  });

  it('are learnt again when a file is damaged, never read half', () => {
    const file = path.join(dir, 'es.model');
    const bytes = readFileSync(file);
    for (const damaged of [bytes.subarray(0, bytes.length - 100), Buffer.from('GNLC-MODELS-1\n{"key":'), bytes]) {
      if (damaged === bytes) bytes[bytes.indexOf(10) - 5] = 0x7b; // the header's JSON broken
      writeFileSync(file, damaged);
      const m = new FaqMatcher(faq, {}, dir);
      expect(answers(m)).toEqual(learnt);
      expect(statSync(file).size).toBeGreaterThan(damaged.length - 1);
    }
  });
});
