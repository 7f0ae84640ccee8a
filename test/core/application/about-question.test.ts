/**
 * A question about the question waiting ("what is GDP per capita?", "what does that mean?", "where do I find this
 * figure?") gets that question's help, in the person's language; nothing is stored, and the form waits where it was.
 * Questions about something else in the middle of the form still get their FAQ answer.
 */
import { describe, expect, it } from 'vitest';
import type { Lang } from '../../../src/core/lang.ts';
import { DATA_DIR, loadFaq } from '../../../src/core/faq/schema.ts';
import { chatAt, draftAnswers } from '../../conversation.ts';
import { coreOnStore } from '../../helpers.ts';

/** Per language: a question naming the GDP question, one asking what it means, one asking where to find it. */
const ASKED: Record<Lang, [string, string, string]> = {
  en: ['what is GDP per capita?', 'what does that mean?', 'where do we get that number from?'],
  fr: "c'est quoi le PIB par habitant ?|ça veut dire quoi ?|on trouve où ce chiffre ?".split('|') as [
    string,
    string,
    string,
  ],
  es: ['¿qué es el PIB per cápita?', '¿qué quiere decir?', '¿de dónde sacamos ese número?'],
  ar: ['ما هو نصيب الفرد من الناتج المحلي؟', 'ما المقصود بهذا؟', 'من أين نحصل على هذا الرقم؟'],
  zh: ['人均GDP是什么意思？', '这是什么意思？', '这个数字去哪里查？'],
  ru: ['что такое ВВП на душу населения? росстат подойдет?', 'что это значит?', 'где взять эту цифру?'],
};

describe.each(Object.keys(ASKED) as Lang[])('a question about the question waiting, in %s', (lang) => {
  it('gets its help, never stored, whether it names the question, asks what it means or where to find it', async () => {
    const core = coreOnStore('2025-06-01T10:00:00Z');
    const chat = await chatAt(core, lang, 'profile.gdpCity', `about-${lang}`);
    const before = await draftAnswers(core.store, chat);
    const label = core.i18n.t(lang, 'form:fields.profile.gdpCity.label');
    const help = core.i18n.t(lang, 'form:fields.profile.gdpCity.help');
    for (const text of ASKED[lang]) {
      const replies = await chat.say(text);
      expect(replies, text).toHaveLength(1);
      expect(replies[0]!.text, text).toContain(label);
      expect(replies[0]!.text, text).toContain(help);
      expect(chat.expecting).toBe('profile.gdpCity');
    }
    expect(await draftAnswers(core.store, chat)).toEqual(before);
  });

  it('a question about something else there gets its FAQ answer, then the question again', async () => {
    const core = coreOnStore('2025-06-01T10:00:00Z');
    const chat = await chatAt(core, lang, 'mayor.title', `other-${lang}`);
    const replies = await chat.say(loadFaq(DATA_DIR).text[lang].mayor!.questions[0]!);
    expect(replies[0]!.faqId).toBe('mayor');
    expect(chat.expecting).toBe('mayor.title');
  });
});

describe('coming back to the form in words', () => {
  it.each([
    ['ru', 'Добрый день, я вернулась. на чем мы остановились?'],
    ['zh', '我回来了，接着填吧'],
    ['fr', 'Bonjour, me revoilà, où en étions-nous ?'],
    ['es', 'hola, ya volví, dónde nos quedamos'],
    ['en', "hi, I'm back. where were we?"],
    ['ar', 'مرحبا، لقد عدت، أين توقفنا؟'],
  ] as const)('%s "%s" picks the draft up where it stopped, nothing stored', async (lang, text) => {
    const core = coreOnStore('2025-06-01T10:00:00Z');
    const chat = await chatAt(core, lang, 'profile.year', `back-${lang}`);
    const before = await draftAnswers(core.store, chat);
    await chat.say(text);
    expect(chat.expecting).toBe('profile.year');
    expect(chat.text).toContain(core.i18n.t(lang, 'form:fields.profile.year.prompt').slice(0, 12));
    // Not "I do not know", nor the answer to a question.
    expect(chat.last.some((r) => r.scope || r.faqId)).toBe(false);
    expect(await draftAnswers(core.store, chat)).toEqual(before);
  });
});

describe('whether the question waiting must be answered, and a yes with words that accept', () => {
  it.each([
    ['fr', "c'est obligatoire ?"],
    ['ru', 'это обязательно?'],
    ['zh', '人均GDP必须填吗'],
    ['es', '¿es obligatorio?'],
    ['en', 'is it required?'],
    ['ar', 'هل هذا إلزامي؟'],
  ] as const)('%s "%s" gets the question\'s help, nothing stored', async (lang, text) => {
    const core = coreOnStore('2025-06-01T10:00:00Z');
    const chat = await chatAt(core, lang, 'profile.gdpCity', `required-${lang}`);
    const before = await draftAnswers(core.store, chat);
    const [reply, ...more] = await chat.say(text);
    expect(more).toEqual([]);
    expect(reply!.text).toContain(core.i18n.t(lang, 'form:fields.profile.gdpCity.help'));
    expect(await draftAnswers(core.store, chat)).toEqual(before);
  });

  it('"sí, el intendente está de acuerdo" takes the pledge', async () => {
    const core = coreOnStore('2025-06-01T10:00:00Z');
    const chat = await chatAt(core, 'es', 'pledge.adopt', 'pledge-es');
    await chat.say('sí, el intendente está de acuerdo');
    expect((await draftAnswers(core.store, chat))['pledge.adopt']).toBe(true);
    expect(chat.expecting).toBe('pledge.date');
  });
});

describe('more that a tester typed in French', () => {
  it('"Bonjour, nous sommes la ville de Lyon" where the city is asked takes Lyon', async () => {
    const core = coreOnStore('2025-06-01T10:00:00Z');
    const chat = await chatAt(core, 'fr', 'city.name', 'lyon-greeting');
    await chat.say('Bonjour, nous sommes la ville de Lyon');
    expect((await draftAnswers(core.store, chat))['city.name']).toBe('Lyon');
  });

  it('"aucune, c\'est la mairie" leaves the optional organization empty', async () => {
    const core = coreOnStore('2025-06-01T10:00:00Z');
    const chat = await chatAt(core, 'fr', 'contact.organization', 'none-fr');
    await chat.say("aucune, c'est la mairie");
    expect(chat.expecting).toBe('contact.address');
    expect(await draftAnswers(core.store, chat)).not.toHaveProperty(['contact.organization']);
  });

  it('"on ne l\'a pas, on passe" skips an optional question', async () => {
    const core = coreOnStore('2025-06-01T10:00:00Z');
    const chat = await chatAt(core, 'fr', 'profile.gdpCity', 'skip-fr');
    await chat.say("on ne l'a pas, on passe");
    expect(chat.expecting).toBe('profile.gdpCountry');
  });

  it('"je ne sais pas trop quoi mettre ici, vous avez un exemple" at the implementation is not stored', async () => {
    const core = coreOnStore('2025-06-01T10:00:00Z');
    const chat = await chatAt(core, 'fr', 'implementation', 'example-fr');
    const before = await draftAnswers(core.store, chat);
    await chat.say('je ne sais pas trop quoi mettre ici, vous avez un exemple');
    expect(chat.expecting).toBe('implementation');
    expect(await draftAnswers(core.store, chat)).toEqual(before);
  });
});
