import { describe, expect, it } from 'vitest';
import { loadFaq } from '../../../src/core/faq/schema.ts';
import type { Lang } from '../../../src/core/lang.ts';
import { Chat } from '../../conversation.ts';
import { coreAt } from '../../helpers.ts';

const OPEN = '2025-06-01T10:00:00Z';
const faq = loadFaq();
const says = (topic: string, lang: Lang) => faq.notInSources.find((u) => u.id === topic)!.says![lang];

describe('questions the sources do not answer name what they do not say', () => {
  it.each([
    ['en', 'could our regional government apply rather than the city itself?', 'regions'],
    ['fr', 'Est-ce qu’une région peut déposer une candidature ?', 'regions'],
    ['ru', 'Здравствуйте, может ли подать заявку район города?', 'regions'],
    ['es', '¿Cuándo se publican los resultados de la convocatoria?', 'results'],
    ['zh', '加入网络后我们每年需要提交报告吗？', 'obligations'],
    ['ar', 'هل تقدم اليونسكو دعما ماليا للمدن الأعضاء في الشبكة؟', 'funding'],
  ] as const)('%s "%s": the sources do not say %s, and the contact', async (lang, text, topic) => {
    const core = coreAt(OPEN);
    const [reply, ...more] = await new Chat(core.assistant, `topic-${lang}`).say(text);
    expect(more).toEqual([]);
    expect(reply!.scope).toBe('unknown');
    const contact = { email: 'learningcities@unesco.org', phone: '+49 40 44 80 41 62' };
    expect(reply!.text).toBe(core.i18n.t(lang, 'common:not_in_sources_topic', { what: says(topic, lang), ...contact }));
  });

  it('every topic but "other" says what it is about, in every language (a clause of the template)', () => {
    for (const u of faq.notInSources) {
      if (u.id === 'other') expect(u.says).toBeUndefined();
      else expect(Object.keys(u.says ?? {}).sort(), u.id).toEqual(['ar', 'en', 'es', 'fr', 'ru', 'zh']);
    }
  });
});
