import { describe, expect, it } from 'vitest';
import { features, NgramClassifier } from '../../../src/core/faq/ngrams.ts';

const classifier = new NgramClassifier([
  { lang: 'en', text: 'When is the deadline for applications?', label: 'deadline' },
  { lang: 'en', text: 'How much does membership cost?', label: 'fee' },
  { lang: 'ru', text: 'Сколько стоит членство в сети?', label: 'fee' },
  { lang: 'ru', text: 'Когда крайний срок подачи заявок?', label: 'deadline' },
]);

describe('the n-gram classifier', () => {
  it('marks word boundaries and keeps common words (their weight is low, but "who" and "when" say a lot)', () => {
    const f = features('the deadline', 'en');
    expect(f).toContain('w:deadline');
    expect(f).toContain('#dea');
    expect(f).toContain('dead');
    expect(f).toContain('ine#');
    expect(f).toContain('w:the');
    expect(f).toContain('#the');
  });

  it('finds the label of a phrasing whose word forms differ', () => {
    expect(classifier.classify('applying deadlines', 'en')).toMatchObject({ label: 'deadline' });
    expect(classifier.classify('стоимость членства', 'ru')).toMatchObject({ label: 'fee' });
  });

  it('says how much of a text it knows, and nothing for a text it knows nothing of', () => {
    const half = classifier.classify('deadline for my tax return', 'en')!;
    expect(half.label).toBe('deadline');
    expect(half.coverage).toBeLessThan(0.7);
    expect(classifier.classify('zzzz qqqq', 'en')).toMatchObject({ label: '', score: 0, known: 0 });
    expect(classifier.classify('👋 ?', 'en')).toBeUndefined();
    expect(classifier.classify('deadline', 'fr')).toBeUndefined();
  });
});

describe('a phrasing typed as it is', () => {
  it('takes its label even when its words are too common to make it similar to itself', () => {
    // Many phrasings share every word of "谁可以申请？" (who / can / apply), most of them questions the sources do
    // not answer ("县可以申请吗"): over the features the index keeps, its similarity to itself is far below 1.
    const regions = ['县可以申请吗', '省可以申请吗？', '州政府可以申请吗', '新区可以申请吗', '区可以申请吗？'];
    const zh = new NgramClassifier([
      { lang: 'zh', text: '谁可以申请？', label: 'eligibility' },
      ...regions.map((text) => ({ lang: 'zh' as const, text, label: 'unknown:regions' })),
      ...Array.from({ length: 40 }, (_, i) => ({ lang: 'zh' as const, text: `申请第${i}步怎么做`, label: 'how' })),
    ]);
    const typed = zh.classify('谁可以申请？', 'zh')!;
    expect(typed).toMatchObject({ label: 'eligibility', same: true });
    expect(typed.share).toBeGreaterThanOrEqual(0.9);
    expect(zh.classify('县可以申请吗', 'zh')).toMatchObject({ label: 'unknown', same: true });
  });
});
