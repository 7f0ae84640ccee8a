/**
 * A change asked for in a sentence, as people ask it at the review, in six languages: the question it names is
 * asked again (nothing stored from the sentence); after submission, the person is told that a submitted
 * application is not changed here, with its status. A sentence that carries the new value ("it should be 270000")
 * changes the answer to it, when the field takes it.
 */
import { describe, expect, it } from 'vitest';
import { INTAKE_ACTIONS } from '../../../src/core/actions.ts';
import type { Lang } from '../../../src/core/lang.ts';
import { Chat, answerAll, chatAt, command, draftAnswers, validAnswers } from '../../conversation.ts';
import { coreAt, coreOnStore } from '../../helpers.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import { createCore } from '../../../src/core/create.ts';
import { createMemoryStore } from '../../../src/store/memory.ts';

const OPEN = '2025-06-01T10:00:00Z';

/** A person of `lang` at the review of a complete draft. */
async function atReview(lang: Lang) {
  const core = coreAt(OPEN);
  const chat = new Chat(core.assistant, `editor-${lang}-${Math.random().toString(36).slice(2)}`, lang);
  await chat.say(core.i18n.t(lang, 'form:commands.apply_phrases').split('|')[0]!);
  await answerAll(chat, validAnswers(lang, core.i18n.t));
  await chat.press(INTAKE_ACTIONS.yes);
  expect(chat.last.at(-1)!.actions!.map((a) => a.id)).toContain(INTAKE_ACTIONS.submit);
  return { core, chat };
}

describe('a change asked for in a sentence', () => {
  it.each([
    ['en', 'I want to change the email address', 'contact.email'],
    ['en', 'we need to update the phone number of the contact', 'contact.phone'],
    ['fr', "je voudrais modifier l'adresse e-mail du contact", 'contact.email'],
    ['fr', 'il y a une erreur dans le nom de la ville', 'city.name'],
    ['es', 'quiero cambiar el correo electrónico', 'contact.email'],
    ['es', 'me equivoqué en el teléfono', 'contact.phone'],
    ['ru', 'хочу изменить телефон контактного лица', 'contact.phone'],
    ['ru', 'мы ошиблись в названии города', 'city.name'],
    ['zh', '我想把联系人电话改一下', 'contact.phone'],
    ['zh', '城市名称写错了', 'city.name'],
    ['ar', 'بدي اعدل رقم الهاتف', 'contact.phone'],
    ['ar', 'أريد تغيير البريد الإلكتروني', 'contact.email'],
  ] as const)('%s "%s" at the review asks %s again, keeping its answer', async (lang, typed, field) => {
    const { core, chat } = await atReview(lang);
    await chat.say(typed);
    expect(chat.expecting).toBe(field);
    // The answer is kept until another is given ("keep" leaves it), and the review comes back after.
    await chat.say(command(core.i18n.t, lang, 'keep'));
    expect(chat.last.at(-1)!.card).toBeDefined();
    expect(chat.expecting).toBeUndefined();
  });

  it('a sentence that names no question, or a yes at the pledge, is not a change asked for', async () => {
    const { chat } = await atReview('en');
    await chat.say('we want to change the way our city learns');
    expect(chat.expecting).toBeUndefined();
    expect(chat.last.at(-1)!.actions!.map((a) => a.id)).toContain(INTAKE_ACTIONS.submit);
    await chat.say('edit pledge');
    expect(chat.expecting).toBe('pledge.adopt');
    await chat.say('correct, the mayor signed it');
    expect(chat.expecting).not.toBe('pledge.adopt');
  });

  it.each([
    ['en', 'I want to change the email address'],
    ['zh', '我想把联系人电话改一下'],
    ['ru', 'можно изменить телефон контактного лица?'],
  ] as const)(
    '%s "%s" after submission: a submitted application is not changed here, and its status',
    async (lang, typed) => {
      const { core, chat } = await atReview(lang);
      await chat.press(INTAKE_ACTIONS.submit);
      await chat.press(INTAKE_ACTIONS.yes);
      expect(chat.text).toContain('GNLC-2025-KE-001');
      await chat.say(typed);
      expect(chat.text).toContain(core.i18n.t(lang, 'form:not_in_form_submitted'));
      expect(chat.text).toContain('GNLC-2025-KE-001');
    },
  );
});

describe('a change that carries the new value', () => {
  /** A draft at the review (or at `field`), on a store the test reads. */
  async function drafted(lang: Lang, field?: string) {
    const store = createMemoryStore();
    const core = createCore({ clock: fixedClock(new Date(OPEN)), store });
    const chat = new Chat(core.assistant, `carrier-${lang}-${field ?? 'review'}`, lang);
    await chat.say(core.i18n.t(lang, 'form:commands.apply_phrases').split('|')[0]!);
    const answers = validAnswers(lang, core.i18n.t);
    if (field) for (let i = 0; i < 40 && chat.expecting !== field; i++) await chat.say(answers[chat.expecting!]!);
    else {
      await answerAll(chat, answers);
      await chat.press(INTAKE_ACTIONS.yes);
    }
    const stored = async () => (await store.conversations.get(`local:${chat.user}`))!.intake!.answers;
    return { core, chat, stored };
  }

  it.each([
    ['en', 'the population is wrong, it should be 270000', 'profile.population', 270_000],
    ['fr', "l'adresse e-mail est fausse, la bonne est marie.dupont@lyon.fr", 'contact.email', 'marie.dupont@lyon.fr'],
    ['es', 'me equivoqué en el teléfono, es el +254 20 555 1234', 'contact.phone', '+254205551234'],
    ['ru', 'ошибка в численности населения, правильно 270 000', 'profile.population', 270_000],
    ['zh', '人口写错了，应该是270000', 'profile.population', 270_000],
    ['ar', 'عدد السكان خطأ، الصحيح 270000', 'profile.population', 270_000],
  ] as const)('%s "%s" at the review changes %s and shows the review again', async (lang, typed, field, value) => {
    const { core, chat, stored } = await drafted(lang);
    const [reply, ...more] = await chat.say(typed);
    expect(more).toEqual([]);
    expect(reply!.card).toBeDefined();
    expect(reply!.text.startsWith(core.i18n.t(lang, 'form:changed', { label: '', value: '' }).slice(0, 4))).toBe(true);
    expect((await stored())[field]).toEqual(value);
    expect(chat.expecting).toBeUndefined();
  });

  it('in the middle of the form, the answer given before is changed and the question waiting asked again', async () => {
    const { chat, stored } = await drafted('en', 'contact.email');
    await chat.say('sorry, the website is wrong, it is www.lyon.fr');
    expect((await stored())['city.website']).toBe('https://www.lyon.fr');
    expect(chat.expecting).toBe('contact.email');
  });

  it('a value the field does not take, or two values, ask the question again and change nothing', async () => {
    const { chat, stored } = await drafted('en');
    const before = (await stored())['profile.population'];
    await chat.say('the population is wrong, it should be 270000 or 280000');
    expect(chat.expecting).toBe('profile.population');
    await chat.say('keep');
    await chat.say('the email is wrong, it should be peter@testville');
    expect(chat.expecting).toBe('contact.email');
    expect((await stored())['profile.population']).toBe(before);
  });
});

describe('a sentence saying an answer was wrong, typed where another question waits', () => {
  /** A person of `lang` at `field`, every question before it answered validly. */
  async function atField(lang: Lang, field: string) {
    const core = coreOnStore(OPEN);
    const chat = await chatAt(core, lang, field, `wrong-${lang}-${field}`, lang);
    return { chat, stored: () => draftAnswers(core.store, chat) };
  }

  it.each([
    ['es', 'ah perdón, me equivoqué en la ciudad, el nombre es solo Rosario', 'city.name'],
    ['es', 'y los apellidos míos son García López nomás, corregilo por favor', 'contact.lastName'],
    ['ru', 'ой, фамилию мэра я неправильно ввела, исправьте на Метшин', 'mayor.lastName'],
    ['zh', '不好意思，联系人名字填错了，应该是"华"', 'contact.firstName'],
    ['en', 'oops, I got the mayor surname wrong, it is Otieno', 'mayor.lastName'],
  ] as const)(
    '%s "%s" is never stored: the question it means is asked, or those it may mean offered',
    async (lang, typed, field) => {
      const { chat, stored } = await atField(lang, 'contact.organization');
      const before = await stored();
      await chat.say(typed);
      expect(await stored()).toEqual(before);
      // Named clearly ("the mayor surname"): asked again at once.
      if (chat.expecting === field) return;
      const offered = chat.last
        .at(-1)!
        .actions!.filter((a) => a.id === INTAKE_ACTIONS.edit)
        .map((a) => a.value);
      expect(offered).toContain(field);
      // Pressing it asks that question; its new answer is taken, and the form comes back where it was.
      await chat.press(INTAKE_ACTIONS.edit, field);
      expect(chat.expecting).toBe(field);
    },
  );
});

describe('back after an edit asked mid-form', () => {
  it('goes to the question before the one waiting, not to the answer just changed', async () => {
    const core = coreAt(OPEN);
    const chat = await chatAt(core, 'ru', 'contact.organization', 'back-after-edit', 'ru');
    await chat.say('изменить фамилию мэра');
    expect(chat.expecting).toBe('mayor.lastName');
    await chat.say('Метшин');
    expect(chat.expecting).toBe('contact.organization');
    await chat.say(command(core.i18n.t, 'ru', 'back'));
    expect(chat.expecting).toBe('contact.title');
  });
});
