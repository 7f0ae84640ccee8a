import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGS } from '../../../src/core/lang.ts';
import { sharedCore } from '../../helpers.ts';

/**
 * Held-out questions written without seeing data/faq (test/fixtures/paraphrases.json): paraphrases,
 * typos, missing accents, questions with no FAQ words, and out-of-scope questions that share words.
 */
const set = JSON.parse(readFileSync(new URL('../../fixtures/paraphrases.json', import.meta.url), 'utf8')) as {
  inScope: { lang: string; faqId: string; text: string }[];
  outOfScope: { lang: string; text: string }[];
};

describe('FAQ matching on held-out paraphrases', () => {
  const { assistant } = sharedCore();
  const inScope = set.inScope.map((q) => ({ q, r: assistant.ask(q.text) }));
  const outOfScope = set.outOfScope.map((q) => ({ q, r: assistant.ask(q.text) }));

  it('has at least 10 in-scope questions per language and out-of-scope ones', () => {
    for (const lang of LANGS) expect(set.inScope.filter((q) => q.lang === lang).length).toBeGreaterThanOrEqual(10);
    expect(set.outOfScope.length).toBeGreaterThanOrEqual(30);
  });

  it('answers at least 90% of in-scope questions with the right entry', () => {
    const wrong = inScope
      .filter(({ q, r }) => r.faqId !== q.faqId)
      .map(({ q, r }) => `${q.lang} ${q.faqId}→${r.faqId} ${q.text}`);
    const accuracy = 1 - wrong.length / inScope.length;
    expect(accuracy, wrong.join('\n')).toBeGreaterThanOrEqual(0.9);
  });

  it('answers at least 75% right in every single language', () => {
    for (const lang of LANGS) {
      const mine = inScope.filter(({ q }) => q.lang === lang);
      const right = mine.filter(({ q, r }) => r.faqId === q.faqId).length;
      expect(right / mine.length, lang).toBeGreaterThanOrEqual(0.75);
    }
  });

  it('refuses at least 80% of out-of-scope questions, offering the contact', () => {
    const guessed = outOfScope.filter(({ r }) => r.faqId !== null).map(({ q, r }) => `${q.lang} →${r.faqId} ${q.text}`);
    expect(1 - guessed.length / outOfScope.length, guessed.join('\n')).toBeGreaterThanOrEqual(0.8);
    for (const { r } of outOfScope.filter(({ r }) => r.faqId === null))
      expect(r.answer).toContain('learningcities@unesco.org');
  });

  it("answers in the question's language", () => {
    const wrong = [...inScope, ...outOfScope]
      .filter(({ q, r }) => r.lang !== q.lang)
      .map(({ q, r }) => `${q.lang}→${r.lang} ${q.text}`);
    expect(wrong.length / (inScope.length + outOfScope.length), wrong.join('\n')).toBeLessThanOrEqual(0.03);
  });
});
