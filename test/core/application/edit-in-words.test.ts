/**
 * A change asked for in a sentence, as people ask it at the review, in six languages: the question it names is
 * asked again (nothing stored from the sentence); after submission, the person is told that a submitted
 * application is not changed here, with its status.
 */
import { describe, expect, it } from 'vitest';
import { INTAKE_ACTIONS } from '../../../src/core/actions.ts';
import type { Lang } from '../../../src/core/lang.ts';
import { Chat, answerAll, command, validAnswers } from '../../conversation.ts';
import { coreAt } from '../../helpers.ts';

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
