import { describe, expect, it } from 'vitest';
import { FAQ_ACTIONS, INTAKE_ACTIONS } from '../../../src/core/actions.ts';
import { LANGS, type Lang } from '../../../src/core/lang.ts';
import { ALERT_ACTIONS } from '../../../src/core/alerts/text.ts';
import { buttons } from '../../../src/core/reply.ts';
import { inRoom, submitApplication, world } from '../../endorsement-world.ts';
import { Chat, command, validAnswers } from '../../conversation.ts';
import { coreAt } from '../../helpers.ts';
import { loadFaq } from '../../../src/core/faq/schema.ts';

const OPEN = '2025-06-01T10:00:00Z';

/** "Who can apply?" as a question about applying, without a question mark, in each language. */
const WHO_CAN_APPLY: Record<Lang, string> = {
  en: 'who can apply to join the network',
  fr: 'qui peut postuler pour rejoindre le réseau',
  es: 'quién puede postular a la red',
  ru: 'кто может подать заявку на вступление в сеть',
  zh: '谁可以申请加入网络',
  ar: 'من يمكنه تقديم طلب الانضمام إلى الشبكة',
};

/** "What is the deadline for cities", typed without a question mark where the form asks the city's name. */
const DEADLINE: Record<Lang, string> = {
  en: 'what is the deadline for cities',
  fr: 'quelle est la date limite pour les villes',
  es: 'cual es la fecha limite para las ciudades',
  ru: 'какой крайний срок подачи заявки для городов',
  zh: '城市申请的截止日期是什么时候',
  ar: 'ما هو آخر موعد لتقديم طلبات المدن',
};

/** A sentence typed where the city's name is asked, without a question (no FAQ entry answers it). */
const SENTENCE: Record<Lang, string> = {
  en: 'we are still discussing with the mayor who will be our focal point for this',
  fr: 'nous discutons encore avec le maire pour savoir qui sera notre point focal pour cela',
  es: 'todavía estamos hablando con el alcalde para decidir quién será nuestro punto focal',
  ru: 'мы всё ещё обсуждаем с мэром, кто будет нашим координатором по этому вопросу',
  zh: '我们还在和市长商量由谁来担任这件事的联络人',
  ar: 'ما زلنا نناقش مع رئيس البلدية من سيكون منسقنا لهذا الأمر',
};

describe.each(LANGS)('intent before action in %s', (lang) => {
  it('a question about applying never starts the form', async () => {
    const core = coreAt(OPEN);
    const chat = new Chat(core.assistant, `asker-${lang}`);
    const replies = await chat.say(WHO_CAN_APPLY[lang]);
    expect(replies.some((r) => r.expects?.field === 'city.name')).toBe(false);
    const me = { platform: 'local' as const, user: { id: chat.user }, room: { id: `dm:${chat.user}`, direct: true } };
    expect((await core.assistant.overview(me))[1]!.text).toBe(core.i18n.t(lang, 'form:status_none'));
    // The FAQ answers it (or says it cannot), or the bot asks before starting anything.
    const asked = replies.at(-1)!;
    expect(Boolean(asked.faqId || asked.scope) || asked.expects?.field === 'start').toBe(true);
    if (asked.expects?.field === 'start') {
      expect(buttons(asked).map((a) => a.id)).toEqual([INTAKE_ACTIONS.start, FAQ_ACTIONS.menu]);
    }
  });

  it('a request to apply starts the form, in the language it is written in', async () => {
    const core = coreAt(OPEN);
    const chat = new Chat(core.assistant, `applicant-${lang}`);
    const replies = await chat.say(command(core.i18n.t, lang, 'apply_phrases'));
    expect(replies.at(-1)!.expects?.field).toBe('city.name');
    expect(replies.at(-1)!.lang).toBe(lang);
  });

  it('a one-word command to apply starts the form or asks to, never read as a status question', async () => {
    const core = coreAt(OPEN);
    // ("start" is also a help command: "/start" shows what the bot does.)
    const help = new Set(LANGS.flatMap((l) => core.i18n.t(l, 'common:commands.help').split('|')));
    for (const word of core.i18n
      .t(lang, 'form:commands.apply_exact')
      .split('|')
      .filter((w) => !help.has(w))) {
      const chat = new Chat(core.assistant, `exact-${lang}-${word}`);
      const replies = await chat.say(word);
      // Started, or asked "start now?" (a bare "start" may mean the menu): never the status.
      expect(['city.name', 'start'], `${lang} "${word}"`).toContain(replies.at(-1)!.expects?.field);
    }
  });

  it('with no call open, a request to apply says so first, offering a draft or a message when one opens', async () => {
    const core = coreAt('2026-12-01T10:00:00Z');
    const chat = new Chat(core.assistant, `early-${lang}`);
    const [notice, ...rest] = await chat.say(command(core.i18n.t, lang, 'apply_phrases'));
    expect(rest).toEqual([]);
    expect(notice!.lang).toBe(lang);
    expect(notice!.text.startsWith(core.assistant.answers.callSummary(lang, core.clock.now()))).toBe(true);
    expect(notice!.expects).toBeUndefined();
    expect(buttons(notice!).map((a) => a.id)).toEqual([INTAKE_ACTIONS.start, ALERT_ACTIONS.subscribe]);
    // The draft starts only when asked for.
    await chat.press(INTAKE_ACTIONS.start, INTAKE_ACTIONS.start);
    expect(chat.expecting).toBe('city.name');
  });

  it('a question typed mid-form without a question mark is never stored as the answer', async () => {
    const core = coreAt(OPEN);
    const chat = new Chat(core.assistant, `midform-${lang}`);
    await chat.say(command(core.i18n.t, lang, 'apply_phrases'));
    const replies = await chat.say(DEADLINE[lang]);
    // Answered from the FAQ, or asked whether it is the answer; the question of the form comes again.
    const last = replies.at(-1)!;
    expect(last.expects?.field).toBe('city.name');
    const answered = replies.some((r) => r.faqId === 'deadline');
    const askedBack = buttons(last).some((a) => a.id === INTAKE_ACTIONS.answer);
    expect(answered || askedBack).toBe(true);
    await chat.say(command(core.i18n.t, lang, 'review'));
    expect(JSON.stringify(chat.last.at(-1)!.card)).not.toContain(DEADLINE[lang]);
  });

  it('a sentence where a name is asked is not stored; one word mistyped is not taken for a question', async () => {
    const core = coreAt(OPEN);
    const chat = new Chat(core.assistant, `sentence-${lang}`);
    await chat.say(command(core.i18n.t, lang, 'apply_phrases'));
    const replies = await chat.say(SENTENCE[lang]);
    expect(chat.expecting).toBe('city.name');
    // Told it reads as a sentence, or asked whether it is the answer, or (谁, "who", makes it a question) answered.
    const told = replies.some((r) => r.text.includes(core.i18n.t(lang, 'form:errors.reads_as_sentence')));
    const asked = buttons(replies.at(-1)!).some((a) => a.id === INTAKE_ACTIONS.answer);
    expect(told || asked || replies.some((r) => r.faqId)).toBe(true);
    await chat.say('Hamburg');
    expect(chat.expecting).toBe('city.country');
    // "Hamburg" again, where the country is asked: the country's error, not the FAQ's answer about UIL in Hamburg.
    const [error] = await chat.say('Hamburg');
    expect(error!.faqId).toBeUndefined();
    expect(error!.text).toContain(core.i18n.t(lang, 'form:errors.unknown_country', { suggest: [] }).slice(0, 12));
    expect(chat.expecting).toBe('city.country');
  });

  it('"continue" keeps the conversation’s language', async () => {
    const core = coreAt(OPEN);
    const chat = new Chat(core.assistant, `continuer-${lang}`);
    await chat.say(command(core.i18n.t, lang, 'apply_phrases'));
    const replies = await chat.say('continue');
    expect(replies.every((r) => r.lang === lang)).toBe(true);
    expect(replies.at(-1)!.expects?.field).toBe('city.name');
  });

  it('a first message that is a command ("status", "continue") is answered in its language', async () => {
    const core = coreAt(OPEN);
    for (const kind of ['status', 'continue'] as const) {
      const word = command(core.i18n.t, lang, kind);
      const [reply] = await new Chat(core.assistant, `first-${kind}-${lang}`).say(word);
      // Arabic, Chinese and Russian by their script; "statut", "continuar" by words of one language only.
      expect(reply!.lang, `${lang} "${word}"`).toBe(lang);
    }
    // A word English and French share is no evidence: the locale's language (none here: English).
    expect((await new Chat(core.assistant, `first-shared-${lang}`).say('continue'))[0]!.lang).toBe('en');
  });
});

describe('questions about applying the sources do not answer, and requests in dialect', () => {
  it.each([
    ['en', 'can a district of a city apply on its own?'],
    ['ru', 'Здравствуйте, может ли подать заявку район города?'],
    ['fr', 'Est-ce qu’une région peut déposer une candidature ?'],
  ] as const)('%s: "%s" is told the sources do not say, and the form is not offered', async (_lang, text) => {
    const core = coreAt(OPEN);
    const chat = new Chat(core.assistant, `district-${_lang}`);
    const replies = await chat.say(text);
    expect(replies.map((r) => r.scope)).toEqual(['unknown']);
    expect(replies.some((r) => r.expects)).toBe(false);
  });

  it('a statement that may be a request is asked about; a clear one starts the form', async () => {
    const core = coreAt(OPEN);
    const [asked] = await new Chat(core.assistant, 'maybe').say('Queremos presentar nuestra candidatura');
    expect(asked!.expects?.field).toBe('start');
    expect(asked!.lang).toBe('es');
    const started = await new Chat(core.assistant, 'sure').say('vamos a postularnos, empecemos');
    expect(started.at(-1)!.expects?.field).toBe('city.name');
  });

  it('"we want to apply" in Levantine Arabic starts the form', async () => {
    const chat = new Chat(coreAt(OPEN).assistant, 'levant');
    const replies = await chat.say('بدنا نقدم طلب الانضمام');
    expect(replies.at(-1)!.expects?.field).toBe('city.name');
    expect(replies.at(-1)!.lang).toBe('ar');
  });
});

describe('"do you want to start now?" answered by typing', () => {
  it.each(LANGS)('in %s, a typed yes starts the form, a typed no does not', async (lang) => {
    const core = coreAt(OPEN);
    const yes = core.i18n.t(lang, 'form:commands.yes').split('|')[0]!;
    const no = core.i18n.t(lang, 'form:commands.no').split('|')[0]!;
    for (const [answer, starts] of [
      [yes, true],
      [no, false],
    ] as const) {
      const chat = new Chat(core.assistant, `typed-${lang}-${starts}`);
      // A request to apply written as a question: the bot asks before starting.
      const [asked] = await chat.say(`${command(core.i18n.t, lang, 'apply_phrases')} ?`);
      expect(asked!.expects?.field).toBe('start');
      const replies = await chat.say(answer);
      if (starts) expect(replies.at(-1)!.expects?.field).toBe('city.name');
      else expect(replies).toEqual([{ lang, text: core.i18n.t(lang, 'form:start_later') }]);
      // The question is answered once: the same word again is not taken for an answer to it.
      if (!starts) expect((await chat.say(answer)).some((r) => r.expects?.field === 'city.name')).toBe(false);
    }
  });

  it('a Chinese greeting before "who can apply?" does not hide the question', async () => {
    const core = coreAt(OPEN);
    for (const text of ['您好，请问哪些城市能申请？', '你好呀，谁能申请加入这个网络？']) {
      const replies = await new Chat(core.assistant, `greeting-zh-${text.length}`).say(text);
      expect(replies[0]!.faqId).toBe('eligibility');
    }
  });

  it('thanks and goodbyes are thanked, never a request to apply', async () => {
    const core = coreAt(OPEN);
    for (const [lang, text] of [
      ['en', 'ok thanks, bye'],
      ['fr', 'Merci beaucoup, bonne journée'],
      ['ar', 'تمام شكرا'],
      ['ru', 'спасибо большое'],
      ['zh', '好的谢谢'],
      ['es', 'vale, muchas gracias'],
      // Thanks for the help: not a question about help, nor about the network's benefits.
      ['fr', 'Merci beaucoup pour votre aide !'],
      ['ar', 'شكرا جزيلا على المساعدة'],
      ['en', 'Thanks for your help'],
      ['zh', '谢谢您的帮助！'],
    ] as const) {
      const replies = await new Chat(core.assistant, `thanks-${lang}-${text.length}`).say(text);
      expect(replies).toEqual([{ lang, text: core.i18n.t(lang, 'common:you_are_welcome') }]);
    }
  });

  it('an acknowledgement alone ("ok", "понятно") gets the topics again, never a request or a welcome', async () => {
    const core = coreAt(OPEN);
    for (const [lang, text] of [
      ['en', 'ok cool'],
      ['fr', "d'accord, compris"],
      ['ar', 'تمام فهمت'],
      ['ru', 'понятно'],
      ['zh', '好的'],
      ['es', 'vale, perfecto'],
    ] as const) {
      const [reply, ...more] = await new Chat(core.assistant, `okay-${lang}`).say(text);
      expect(more).toEqual([]);
      expect(reply!.lang).toBe(lang);
      expect(reply!.text).toBe(
        `${core.i18n.t(lang, 'common:okay_reply')}\n\n${core.i18n.t(lang, 'common:menu_intro')}`,
      );
      expect(buttons(reply!).length).toBeGreaterThan(3);
    }
  });

  it('an "ok" in the middle of the form shows the question waiting, stores nothing, thanks for nothing', async () => {
    for (const lang of LANGS) {
      const core = coreAt(OPEN);
      const chat = new Chat(core.assistant, `okay-form-${lang}`);
      await chat.say(command(core.i18n.t, lang, 'apply_phrases'));
      expect(chat.expecting).toBe('city.name');
      const okay = core.i18n.t(lang, 'common:commands.okay').split('|')[0]!;
      const replies = await chat.say(okay);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.expects?.field).toBe('city.name');
    }
  });
});

describe('answer or question', () => {
  it.each([
    ['en', 'can I paste the text from our city strategy document here, it is around 350 words'],
    ['zh', '请问申请动机可以用中文写吗还是必须用英文或法文写，协调小组那边会不会翻译'],
    ['ru', 'подскажите можно ли писать мотивацию на русском языке или обязательно на английском'],
  ] as const)('in %s, a question opening the motivation is not stored as the motivation', async (lang, text) => {
    const core = coreAt(OPEN);
    const chat = new Chat(core.assistant, `motivation-${lang}`);
    await chat.say(command(core.i18n.t, lang, 'apply_phrases'));
    const answers = validAnswers(lang, core.i18n.t);
    for (let i = 0; i < 40 && chat.expecting && chat.expecting !== 'motivation'; i++) {
      await chat.say(answers[chat.expecting] ?? '');
    }
    expect(chat.expecting).toBe('motivation');
    const replies = await chat.say(text);
    expect(chat.expecting).toBe('motivation');
    const answered = replies.some((r) => r.faqId || r.scope);
    const askedBack = buttons(replies.at(-1)!).some((a) => a.id === INTAKE_ACTIONS.answer);
    expect(answered || askedBack).toBe(true);
  });

  it('several words the FAQ answers, typed without a question word, are asked about and not stored', async () => {
    const core = coreAt(OPEN);
    const chat = new Chat(core.assistant, 'sans-question');
    await chat.say(command(core.i18n.t, 'fr', 'apply_phrases'));
    const [asked] = await chat.say('la date limite pour les villes');
    expect(buttons(asked!).map((a) => a.id)).toEqual([INTAKE_ACTIONS.answer, INTAKE_ACTIONS.question]);
    expect(chat.expecting).toBe('city.name');
    // "C'est quoi …" opens a question in French: answered, and the question comes again.
    const replies = await chat.say("c'est quoi la date limite pour les villes");
    expect(replies[0]!.faqId).toBe('deadline');
    expect(chat.expecting).toBe('city.name');
  });

  it('a text that reads as a question is stored only when the person says it is their answer', async () => {
    const core = coreAt(OPEN);
    const chat = new Chat(core.assistant, 'can-tho');
    await chat.say('I want to apply');
    const [asked] = await chat.say('Can Tho');
    const answer = buttons(asked!).find((a) => a.id === INTAKE_ACTIONS.answer)!;
    expect(answer.value).toBe('city.name=Can Tho');
    await chat.press(INTAKE_ACTIONS.answer, answer.value);
    expect(chat.expecting).toBe('city.country');
    await chat.say(command(core.i18n.t, 'en', 'review'));
    expect(JSON.stringify(chat.last.at(-1)!.card)).toContain('Can Tho');
  });

  it('"it is a question" says the sources do not answer it and asks the field again', async () => {
    const core = coreAt(OPEN);
    const chat = new Chat(core.assistant, 'asker');
    await chat.say('I want to apply');
    await chat.say('Can Tho');
    await chat.press(INTAKE_ACTIONS.question, 'city.name');
    expect(chat.text).toContain('learningcities@unesco.org');
    expect(chat.expecting).toBe('city.name');
  });
});

describe('continue after a return', () => {
  it('reopens the returned application for editing, as the notice says', async () => {
    const config = {
      coordinators: { room: { channel: 'local' as const, id: 'coordinators' } },
      commissions: {
        DE: {
          room: { channel: 'local' as const, id: 'commission-DE' },
          endorsers: [{ channel: 'local' as const, user: 'anna' }],
        },
      },
    };
    const w = world({ config });
    const id = await submitApplication(w.core, 'mayor-hh', 'Hamburg');
    const anna = inRoom('anna', 'commission-DE', 'Anna Berg');
    await w.core.assistant.handle(anna.press('return', id));
    await w.core.assistant.handle({
      ...anna.say('Please add the festival website'),
      room: { id: 'dm:anna', direct: true },
    });
    expect((await w.store.applications.get(id))!.status).toBe('returned');
    const applicant = new Chat(w.core.assistant, 'mayor-hh', 'en-GB');
    const replies = await applicant.say('continue');
    const reason = (await w.store.applications.get(id))!.decision!.reason!;
    expect(replies[0]!.text).toBe(
      `${w.core.i18n.t('en', 'endorse:reopened', { id })}\n${w.core.i18n.t('en', 'form:status_reason', { reason })}`,
    );
    expect(replies.at(-1)!.card).toBeDefined();
    expect(replies.every((r) => r.lang === 'en')).toBe(true);
  });
});

describe('the form’s commands once the application is submitted (no draft open)', () => {
  it.each(LANGS)('in %s, review, edit, cancel and continue say it is submitted, with its status', async (lang) => {
    const w = world();
    await submitApplication(w.core, `done-${lang}`, 'Lyon', 'FR');
    const chat = new Chat(w.core.assistant, `done-${lang}`);
    await chat.say(`language: ${lang}`);
    const t = w.core.i18n.t;
    for (const typed of [
      command(t, lang, 'review'),
      `${command(t, lang, 'edit')} email`,
      command(t, lang, 'cancel'),
      command(t, lang, 'continue'),
    ]) {
      const [reply, ...more] = await chat.say(typed);
      expect(more, typed).toEqual([]);
      expect(reply!.text, typed).toContain(t(lang, 'form:not_in_form_submitted'));
      expect(reply!.text, typed).toMatch(/GNLC-2025-FR-\d{3}/);
      expect(reply!.lang).toBe(lang);
    }
  });

  it('with no application at all, they say how to start one', async () => {
    const core = coreAt(OPEN);
    const chat = new Chat(core.assistant, 'nothing-yet');
    const [reply] = await chat.say('review');
    expect(reply!.text).toBe(core.i18n.t('en', 'form:not_in_form'));
    expect(buttons(reply!).map((a) => a.id)).toEqual([INTAKE_ACTIONS.start]);
  });
});

describe('the offer to fill in the form here', () => {
  const faq = loadFaq();
  it.each(LANGS)('in %s, ends the answers about applying, but not for someone filling the form in', async (lang) => {
    const core = coreAt(OPEN);
    const offer = core.i18n.t(lang, 'form:offer_form');
    const question = faq.text[lang]['how-to-apply']!.questions[0]!;
    const chat = new Chat(core.assistant, `offered-${lang}`);
    const [outside] = await chat.say(question);
    expect(outside!.faqId).toBe('how-to-apply');
    expect(outside!.text.endsWith(offer)).toBe(true);
    await chat.say(command(core.i18n.t, lang, 'apply_phrases'));
    const inside = await chat.say(question);
    const answer = inside.find((r) => r.faqId === 'how-to-apply');
    expect(answer, JSON.stringify(inside)).toBeDefined();
    expect(answer!.text).not.toContain(offer);
    expect(chat.expecting).toBe('city.name');
  });

  it.each(LANGS)('in %s, a typed yes to the offer starts the form, a no does not', async (lang) => {
    const core = coreAt(OPEN);
    const question = faq.text[lang]['how-to-apply']!.questions[0]!;
    const [yes, no] = (['yes', 'no'] as const).map((k) => core.i18n.t(lang, `form:commands.${k}`).split('|')[0]!);
    const accepting = new Chat(core.assistant, `offer-yes-${lang}`);
    await accepting.say(question);
    expect((await accepting.say(yes!)).at(-1)!.expects?.field).toBe('city.name');
    const declining = new Chat(core.assistant, `offer-no-${lang}`);
    await declining.say(question);
    expect(await declining.say(no!)).toEqual([{ lang, text: core.i18n.t(lang, 'form:start_later') }]);
  });

  it('with no call open, a yes to the offer says so first, with a draft to prepare', async () => {
    const core = coreAt('2025-11-01T10:00:00Z');
    const chat = new Chat(core.assistant, 'offer-closed');
    await chat.say(faq.text.en['how-to-apply']!.questions[0]!);
    const [closed] = await chat.say('yes');
    expect(closed!.expects).toBeUndefined();
    expect(buttons(closed!).map((a) => a.id)).toContain(INTAKE_ACTIONS.start);
    expect(closed!.text).toContain(core.i18n.t('en', 'form:apply_not_open', { when: '' }).slice(0, 20));
  });
});

describe('a yes or a no when nothing was asked', () => {
  it.each(LANGS)('in %s, says so, with the topics and the button to start; never an entry', async (lang) => {
    const core = coreAt(OPEN);
    const faq = loadFaq();
    for (const k of ['yes', 'no'] as const) {
      const word = core.i18n.t(lang, `form:commands.${k}`).split('|')[0]!;
      // After an answer that offers nothing (the deadline), and as a first message.
      for (const before of [faq.text[lang].deadline!.questions[0]!, undefined]) {
        const chat = new Chat(core.assistant, `nothing-${lang}-${k}-${Boolean(before)}`);
        if (before) await chat.say(before);
        const [reply, ...more] = await chat.say(word);
        expect(more).toEqual([]);
        // The conversation keeps its language (a first "no" may be Spanish as well as English).
        if (before) expect(reply!.lang).toBe(lang);
        // The start of the text (the localization layer sets the quotation marks of the rest).
        expect(reply!.text.startsWith(core.i18n.t(reply!.lang, 'common:nothing_asked').slice(0, 16))).toBe(true);
        expect(reply!.faqId).toBeUndefined();
        expect(buttons(reply!).map((a) => a.id)).toContain(INTAKE_ACTIONS.start);
      }
    }
  });
});

describe('a question in another script in the middle of the form', () => {
  it.each([
    ['zh', '截止日期是什么时候？'],
    ['ru', 'Какой крайний срок подачи заявки?'],
    ['ar', 'ما هو آخر موعد لتقديم الطلب؟'],
  ] as const)('%s: answered in its language, the form going on in the conversation’s', async (lang, question) => {
    const core = coreAt(OPEN);
    const chat = new Chat(core.assistant, `script-${lang}`);
    await chat.say('I want to apply');
    const replies = await chat.say(question);
    const answer = replies.find((r) => r.faqId === 'deadline');
    expect(answer?.lang, JSON.stringify(replies)).toBe(lang);
    expect(replies.at(-1)!.lang).toBe('en');
    expect(chat.expecting).toBe('city.name');
  });
});

describe.each(LANGS)('courtesies and pauses in the middle of the form, in %s', (lang) => {
  const start = async (user: string) => {
    const core = coreAt(OPEN);
    const chat = new Chat(core.assistant, `${user}-${lang}`);
    await chat.say(command(core.i18n.t, lang, 'apply_phrases'));
    return { core, chat, t: core.i18n.t };
  };

  it('thanks are answered and the question asked again; "later" says the draft is kept', async () => {
    const { chat, t } = await start('courtesy');
    const thanks = t(lang, 'common:commands.thanks').split('|')[0]!;
    const [welcome, again] = await chat.say(thanks);
    expect(welcome!.text).toBe(t(lang, 'common:you_are_welcome'));
    expect(again!.expects?.field).toBe('city.name');
    const [paused, ...more] = await chat.say(command(t, lang, 'later'));
    expect(paused!.text).toBe(t(lang, 'form:paused'));
    expect(more).toEqual([]);
    await chat.say(command(t, lang, 'continue'));
    expect(chat.expecting).toBe('city.name');
    await chat.say(command(t, lang, 'review'));
    expect(JSON.stringify(chat.last)).not.toContain(thanks);
  });

  it('a greeting before a short answer keeps the answer; before a sentence, nothing is stored', async () => {
    const { chat, t } = await start('greeted');
    const hello = t(lang, 'common:commands.greeting').split('|')[0]!;
    await chat.say(`${hello}, Saint-Louis`);
    expect(chat.expecting).toBe('city.country');
    await chat.say(command(t, lang, 'back'));
    expect(chat.expecting).toBe('city.name');
    // "Hello, I am back to finish our application" where the name is asked again: greeted, not stored.
    const greeted = await chat.say(`${hello}, ${SENTENCE[lang]}`);
    expect(greeted.some((r) => r.expects?.field === 'city.country')).toBe(false);
    await chat.say(command(t, lang, 'continue'));
    expect(chat.expecting).toBe('city.name');
    expect(chat.text).toContain('Saint-Louis');
  });

  it('a pause opening a sentence is one ("hang on, I need to check with the mayor"): nothing is stored', async () => {
    const { chat, t } = await start('hangon');
    const [paused] = await chat.say(`${command(t, lang, 'later')}, ${SENTENCE[lang]}`);
    expect(paused!.text).toBe(t(lang, 'form:paused'));
    await chat.say(command(t, lang, 'continue'));
    expect(chat.expecting).toBe('city.name');
  });

  it('a command after a short apology counts ("sorry, my mistake, back")', async () => {
    const { chat, t } = await start('sorry');
    await chat.say('Saint-Louis');
    const filler = t(lang, 'form:commands.filler').split('|')[0]!;
    await chat.say(`${filler}, ${filler}, ${command(t, lang, 'back')}`);
    expect(chat.expecting).toBe('city.name');
  });
});

describe('a draft continued after the cities’ deadline', () => {
  it('says the call is closed as the draft is picked up, not only at submission', async () => {
    const w = world({ at: OPEN });
    const chat = new Chat(w.core.assistant, 'late');
    await chat.say('I want to apply');
    await chat.say('Saint-Louis');
    w.clock.set('2025-06-20T10:00:00Z');
    const resumed = await chat.say('continue');
    expect(resumed[0]!.text).toContain(w.core.assistant.answers.callSummary('en', w.clock.now()));
    expect(resumed.at(-1)!.expects?.field).toBe('city.country');
  });
});
