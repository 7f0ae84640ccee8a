/**
 * Words typed in the form that are not answers, found by testers who wrote in their own languages: they are never
 * stored (the form waits on the same question, its stored answers unchanged), and get what they ask for.
 */
import { describe, expect, it } from 'vitest';
import { INTAKE_ACTIONS } from '../../../src/core/actions.ts';
import { LANGS, type Lang } from '../../../src/core/lang.ts';
import { buttons } from '../../../src/core/reply.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import { type Core, createCore } from '../../../src/core/create.ts';
import type { Store } from '../../../src/core/records.ts';
import { createMemoryStore } from '../../../src/store/memory.ts';
import { answerAll, Chat, chatAt, command, validAnswers } from '../../conversation.ts';
import { coreOnStore } from '../../helpers.ts';
import { loadFaq } from '../../../src/core/faq/schema.ts';

/** A core on a memory store the test reads. */
const coreAt = coreOnStore;

const OPEN = '2025-06-01T10:00:00Z';
const CLOSED = '2025-11-01T10:00:00Z';

/** A chat in `lang` with the form open at `field` (every question before it answered validly). */
async function at(
  core: Core & { store: Store },
  lang: Lang,
  field: string,
  user = `at-${lang}-${field}`,
): Promise<Chat> {
  return chatAt(core, lang, field, user);
}

/** A whole valid application in `lang`, typed by `user`, up to "does the mayor endorse it?" (asked after submit). */
async function toConfirmation(core: Core, lang: Lang, user: string): Promise<Chat> {
  const chat = new Chat(core.assistant, user);
  await chat.say(command(core.i18n.t, lang, 'apply_phrases'));
  await answerAll(chat, validAnswers(lang, core.i18n.t));
  await chat.say(command(core.i18n.t, lang, 'submit'));
  return chat;
}

/** The answers stored in the chat's draft. */
async function stored(core: { store: Store }, chat: Chat): Promise<Record<string, unknown>> {
  return { ...(await core.store.conversations.get(`local:${chat.user}`))?.intake?.answers };
}

describe('questions with a conjunction or a request to explain, typed where the motivation is asked', () => {
  it.each([
    ['ru', 'а если мы не успеем до 15 июня, можно подать позже'],
    ['ar', 'وهل يمكن التقديم بعد 15 يونيو اذا تأخرنا'],
    ['ar', 'اعطني مثالا على الدوافع'],
    ['fr', 'et si on envoie le dossier après la date limite'],
    ['es', 'y si mandamos la solicitud después del plazo'],
    ['en', 'and what if we send it after the deadline'],
    ['zh', '举个例子说明一下申请动机应该怎么写'],
    // A question after a comma, in a short text: no question mark, no interrogative opening.
    ['es', 'no se que poner aca la verdad, me das un ejemplo'],
    ['ru', 'у нас пока нет отчетов, можно без ссылок'],
    ['zh', '200字是指汉字还是单词'],
  ] as const)('in %s, "%s" is answered or asked about, never stored', async (lang, text) => {
    const core = coreAt(OPEN);
    const chat = await at(core, lang, 'motivation');
    const before = await stored(core, chat);
    const replies = await chat.say(text);
    expect(chat.expecting).toBe('motivation');
    expect(await stored(core, chat)).toEqual(before);
    const answered = replies.some((r) => r.faqId || r.scope);
    const askedBack = buttons(replies.at(-1)!).some((a) => a.id === INTAKE_ACTIONS.answer);
    expect(answered || askedBack).toBe(true);
  });

  it('a question about the form’s language in Arabic ("املأ" without its hamza) never starts the form', async () => {
    const core = coreAt(OPEN);
    const replies = await new Chat(core.assistant, 'ar-language').say('بأي لغة املأ الاستمارة');
    expect(replies.some((r) => r.expects?.field === 'city.name')).toBe(false);
    expect(replies[0]!.faqId).toBe('language');
  });
});

describe.each(LANGS)('words that are not answers, in %s', (lang) => {
  it('the labels of "your answer, or a question?" typed are never stored', async () => {
    const core = coreAt(OPEN);
    const t = (key: string, vars?: Record<string, unknown>) => core.i18n.t(lang, key, vars);
    const chat = await at(core, lang, 'city.name');
    for (const [label, note] of [
      ['form:buttons.is_question', 'form:question_unknown'],
      ['form:buttons.is_answer', 'form:answer_again'],
    ] as const) {
      const [reply] = await chat.say(t(label));
      expect(chat.expecting).toBe('city.name');
      expect(reply!.text.slice(0, 12)).toBe(t(note, { email: 'x' }).slice(0, 12));
    }
    expect(await stored(core, chat)).toEqual({});
  });

  it('"keep" with no answer to keep says so; the word is never stored', async () => {
    const core = coreAt(OPEN);
    const t = (key: string) => core.i18n.t(lang, key);
    const chat = await at(core, lang, 'mayor.lastName');
    const before = await stored(core, chat);
    const [reply] = await chat.say(command(core.i18n.t, lang, 'keep'));
    expect(reply!.text.startsWith(t('form:nothing_to_keep').slice(0, 12))).toBe(true);
    expect(chat.expecting).toBe('mayor.lastName');
    expect(await stored(core, chat)).toEqual(before);
  });

  it('a no to an optional question skips it', async () => {
    const core = coreAt(OPEN);
    const chat = await at(core, lang, 'contact.organization');
    await chat.say(command(core.i18n.t, lang, 'no'));
    expect(chat.expecting).toBe('contact.address');
    expect(await stored(core, chat)).not.toHaveProperty(['contact.organization']);
  });

  it('the pledge is taken by words that accept it', async () => {
    const core = coreAt(OPEN);
    const chat = await at(core, lang, 'pledge.adopt');
    await chat.say(command(core.i18n.t, lang, 'accept'));
    expect(chat.expecting).toBe('pledge.date');
    expect((await stored(core, chat))['pledge.adopt']).toBe(true);
  });

  it('with no call open, the draft button typed, or a yes to its offer, starts a draft', async () => {
    const core = coreAt(CLOSED);
    const t = (key: string) => core.i18n.t(lang, key);
    const typed = new Chat(core.assistant, `draft-typed-${lang}`);
    await typed.say(command(core.i18n.t, lang, 'apply_phrases'));
    expect(buttons(typed.last.at(-1)!).map((a) => a.id)).toContain(INTAKE_ACTIONS.start);
    await typed.say(t('form:buttons.draft'));
    expect(typed.expecting).toBe('city.name');
    const yes = new Chat(core.assistant, `draft-yes-${lang}`);
    await yes.say(command(core.i18n.t, lang, 'apply_phrases'));
    await yes.say(command(core.i18n.t, lang, 'yes'));
    expect(yes.expecting).toBe('city.name');
    expect(yes.last[0]!.lang).toBe(lang);
  });
});

describe('more that testers typed', () => {
  it('"wait, is membership free?" is answered, and the form waits where it was', async () => {
    const core = coreAt(OPEN);
    const chat = await at(core, 'ru', 'motivation');
    const replies = await chat.say('подождите, а членство платное?');
    expect(replies[0]!.faqId).toBe('fee');
    expect(chat.expecting).toBe('motivation');
  });

  it('one word the apply lists do not know, after "do you want to start?", does not start the form', async () => {
    const core = coreAt(OPEN);
    const chat = new Chat(core.assistant, 'cotonou');
    await chat.say('On peut commencer le formulaire ?');
    expect(chat.expecting).toBe('start');
    await chat.say('Cotonou');
    expect(chat.last.some((r) => r.expects?.field === 'city.name')).toBe(false);
  });

  it('a yes typed at the review of an incomplete form asks its first missing question, storing nothing', async () => {
    const core = coreAt(OPEN);
    const chat = await at(core, 'fr', 'mayor.title');
    await chat.say(command(core.i18n.t, 'fr', 'review'));
    const before = await stored(core, chat);
    await chat.say("ok c'est tout bon");
    expect(chat.expecting).toBe('mayor.title');
    expect(await stored(core, chat)).toEqual(before);
  });

  it.each([
    ['continuer', 'fr'],
    ['récapitulatif', 'fr'],
    ['Préparer un brouillon', 'fr'],
    ['continue', 'en'],
  ] as const)('a first message "%s" is answered in %s', async (text, lang) => {
    const core = coreAt(CLOSED);
    const [reply] = await new Chat(core.assistant, `first-${text}`).say(text);
    expect(reply!.lang).toBe(lang);
  });
});

describe('what Spanish-speaking testers typed', () => {
  it('"y ahora?" where the mayor’s endorsement is to be confirmed does not submit', async () => {
    const core = coreAt(OPEN);
    const chat = await toConfirmation(core, 'es', 'y-ahora');
    expect(chat.expecting).toBe('confirm');
    await chat.say('y ahora?');
    expect((await core.store.conversations.get('local:y-ahora'))?.applications).toEqual([]);
  });

  it('a yes or a no where the city’s name is asked is not its name; a goodbye pauses', async () => {
    const core = coreAt(OPEN);
    const chat = await at(core, 'es', 'city.name');
    const [reply] = await chat.say('todavía no');
    expect(reply!.text.startsWith(core.i18n.t('es', 'form:yes_no_not_answer').slice(0, 16))).toBe(true);
    expect(chat.expecting).toBe('city.name');
    expect(await stored(core, chat)).toEqual({});
    expect(await chat.say('chau, sigo mañana')).toEqual([{ lang: 'es', text: core.i18n.t('es', 'form:paused') }]);
    expect(await stored(core, chat)).toEqual({});
  });

  it('an email address is not taken for the city’s website', async () => {
    const core = coreAt(OPEN);
    const chat = await at(core, 'es', 'city.website');
    await chat.say('juan.lopez@guadalajara.gob.mx');
    expect(chat.expecting).toBe('city.website');
    expect(await stored(core, chat)).not.toHaveProperty(['city.website']);
  });

  it('"hola, buenas tardes" is greeted, and "menú" leaves the conversation in Spanish', async () => {
    const core = coreAt(OPEN);
    const chat = new Chat(core.assistant, 'buenas-tardes');
    const [hello] = await chat.say('hola, buenas tardes');
    expect(hello!.faqId).toBeUndefined();
    expect(hello!.text.startsWith(core.i18n.t('es', 'common:greeting').slice(0, 10))).toBe(true);
    expect(hello!.lang).toBe('es');
    const [menu] = await chat.say('menú');
    expect(menu!.lang).toBe('es');
  });
});

describe('a city that has applied in this call', () => {
  it('is told so when a new draft names it and its country, not only at submission', async () => {
    const core = coreAt(OPEN);
    const answers = validAnswers('en', core.i18n.t);
    const first = await toConfirmation(core, 'en', 'first-of-city');
    await first.say(command(core.i18n.t, 'en', 'yes'));
    const [id] = (await core.store.conversations.get('local:first-of-city'))!.applications;
    expect(id).toMatch(/^GNLC-2025-KE-/);
    const second = new Chat(core.assistant, 'same-city');
    await second.say(command(core.i18n.t, 'en', 'apply_phrases'));
    expect((await second.say(answers['city.name']!)).map((r) => r.text).join()).not.toContain(id);
    const [warned, asked] = await second.say(answers['city.country']!);
    expect(warned!.text).toContain(id);
    expect(warned!.text).toContain(command(core.i18n.t, 'en', 'cancel'));
    expect(asked!.expects?.field).toBe('city.website');
    // Said once: the next answers do not repeat it.
    expect((await second.say(answers['city.website']!)).map((r) => r.text).join()).not.toContain(id);
  });
});

describe('countries as people name them', () => {
  it('"Congo" asks which of the two; "RDC", "RCA", "EEUU" are read', async () => {
    const core = coreAt(OPEN);
    const chat = await at(core, 'fr', 'city.country');
    const [asked] = await chat.say('Congo');
    expect(chat.expecting).toBe('city.country');
    expect(
      buttons(asked!)
        .map((b) => b.value)
        .slice(0, 2),
    ).toEqual(['city.country=CG', 'city.country=CD']);
    for (const [typed, code] of [
      ['RDC', 'CD'],
      ['RCA', 'CF'],
      ['EEUU', 'US'],
    ] as const) {
      const other = await at(core, 'fr', 'city.country', `country-${typed}`);
      await other.say(typed);
      expect((await stored(core, other))['city.country']).toBe(code);
    }
  });
});

describe('what the second round of testers typed', () => {
  it.each([
    ['es', 'vale'],
    ['fr', 'ok merci'],
    ['en', 'ok'],
  ] as const)('in %s, "%s" after the offer to start the form is acknowledged, not a start', async (lang, text) => {
    const core = coreAt(OPEN);
    const chat = new Chat(core.assistant, `ack-${lang}`);
    await chat.say(loadFaq().text[lang]['how-to-apply']!.questions[0]!);
    await chat.say(text);
    expect(chat.last.some((r) => r.expects?.field === 'city.name')).toBe(false);
    // Thanks are thanked; a bare "ok" gets the topics again.
    const thanked = text.includes('merci');
    const first = chat.last[0]!.text;
    if (thanked) expect(first).toBe(core.i18n.t(lang, 'common:you_are_welcome'));
    else expect(first.startsWith(core.i18n.t(lang, 'common:okay_reply'))).toBe(true);
  });

  it('a greeting in the middle of the form shows the question waiting: a yes answers what is seen', async () => {
    const core = coreAt(OPEN);
    const chat = await at(core, 'fr', 'pledge.adopt');
    const replies = await chat.say('Bonjour');
    expect(replies.at(-1)!.expects?.field).toBe('pledge.adopt');
  });

  it('"oui" where the pledge’s date is asked as "today, …?" is today', async () => {
    const core = coreAt(OPEN);
    const chat = await at(core, 'fr', 'pledge.date');
    await chat.say('oui');
    expect((await stored(core, chat))['pledge.date']).toBe('2025-06-01');
  });

  it('a name typed in a Spanish conversation leaves it in Spanish', async () => {
    const core = coreAt(CLOSED);
    const chat = new Chat(core.assistant, 'short-word');
    await chat.say('hola, cuáles son los requisitos?');
    for (const word of ['Luis', 'Sra']) expect((await chat.say(word))[0]!.lang).toBe('es');
  });

  it('"sí, avíseme por favor" after "no call is open" asks for the alert, not a draft', async () => {
    const core = coreAt(CLOSED);
    const chat = new Chat(core.assistant, 'alert-please');
    await chat.say('quiero postular');
    await chat.say('sí, avíseme por favor');
    expect(chat.expecting).toBeUndefined();
    expect(chat.last[0]!.text.slice(0, 10)).toBe(core.i18n.t('es', 'alerts:subscribed').slice(0, 10));
  });

  it('with no call open, a draft for a city that applied in the last call is not warned', async () => {
    const store = createMemoryStore();
    const open = createCore({ clock: fixedClock(new Date(OPEN)), store });
    const answers = validAnswers('en', open.i18n.t);
    const first = await toConfirmation(open, 'en', 'applied-in-2025');
    await first.say(command(open.i18n.t, 'en', 'yes'));
    const [id] = (await store.conversations.get('local:applied-in-2025'))!.applications;
    expect(id).toBeDefined();
    const closed = createCore({ clock: fixedClock(new Date(CLOSED)), store });
    const next = new Chat(closed.assistant, 'next-call-draft');
    await next.say(closed.i18n.t('en', 'form:buttons.draft'));
    await next.say(answers['city.name']!);
    const replies = await next.say(answers['city.country']!);
    expect(replies.map((r) => r.text).join()).not.toContain(id!);
  });
});

describe('drafts asked for in words', () => {
  it('a statement about a draft is not a request for one', async () => {
    const core = coreAt(CLOSED);
    const chat = new Chat(core.assistant, 'sent-draft');
    await chat.say("j'ai envoyé le brouillon à la commission");
    expect(chat.last.some((r) => r.expects?.field === 'city.name')).toBe(false);
    await new Chat(core.assistant, 'asks-draft').say('je voudrais préparer un brouillon de candidature');
    expect((await core.store.conversations.get('local:asks-draft'))?.intake).toBeDefined();
  });
});

describe('a typed list with an item that is not an option', () => {
  it.each([
    ['en', 'literacy, health, and gardening', 'gardening'],
    ['ru', 'грамотность, здоровье и садоводство', 'садоводство'],
  ] as const)('in %s, "%s" names what was found and what was not, and stores nothing', async (lang, typed, missed) => {
    const core = coreAt(OPEN);
    const chat = await at(core, lang, 'interests');
    const [reply] = await chat.say(typed);
    expect(chat.expecting).toBe('interests');
    expect(reply!.text).toContain(missed);
    expect(reply!.text).toContain(core.i18n.t(lang, 'form:choices.interests.literacy'));
    const stored = await core.store.conversations.get(`local:${chat.user}`);
    expect(stored!.intake!.answers.interests).toBeUndefined();
  });

  it('in Arabic, where folding changed the letters typed, what was found is named and the rest is not', async () => {
    const core = coreAt(OPEN);
    const chat = await at(core, 'ar', 'interests');
    const [reply] = await chat.say('محو الأمية والصحة والزراعة');
    expect(chat.expecting).toBe('interests');
    expect(reply!.text).toContain(core.i18n.t('ar', 'form:choices.interests.literacy'));
    // The unfound piece, folded ("والصحه"), is not shown back.
    expect(reply!.text).not.toContain('والصحه');
    expect(reply!.text).not.toContain(core.i18n.t('ar', 'form:errors.pick_choice'));
  });
});
