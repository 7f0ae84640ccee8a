import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { createCore } from '../../src/core/create.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import type { Lang } from '../../src/core/lang.ts';
import { FAQ_ACTIONS } from '../../src/core/reply.ts';
import type { Turn } from '../../src/core/turn.ts';
import { coreAt } from '../helpers.ts';

function turn(user: string, text: string, locale?: string): Turn {
  return { platform: 'local', user: { id: user, locale }, room: { id: `dm:${user}`, direct: true }, text };
}
function press(user: string, id: string, value?: string, locale?: string): Turn {
  return {
    platform: 'local',
    user: { id: user, locale },
    room: { id: `dm:${user}`, direct: true },
    action: { id, value },
  };
}

/** One conversation per language: greeting, a question, a typo'd question, help, a button press. */
const conversations: Record<
  Lang,
  { greeting: string; introduction: string; question: string; faq: string; typo: string; typoFaq: string; help: string }
> = {
  en: {
    greeting: 'Hello!',
    introduction: 'Hello! I am Sarah from Bristol city council',
    question: 'who is allowed to apply?',
    faq: 'eligibility',
    typo: 'how mnay cities per contry',
    typoFaq: 'quota',
    help: 'help',
  },
  fr: {
    greeting: 'Bonjour',
    introduction: 'Bonjour, je suis Marie, de la mairie de Lyon',
    question: 'Quels avantages pour notre ville ?',
    faq: 'benefits',
    typo: 'qui doit signer la candidature, le maire ?',
    typoFaq: 'mayor',
    help: 'aide',
  },
  es: {
    greeting: 'Hola',
    introduction: 'Hola, soy Lucía, del ayuntamiento de Rosario',
    question: '¿Cuáles son los pasos para postular?',
    faq: 'how-to-apply',
    typo: 'cuanto cuesta la membresia',
    typoFaq: 'fee',
    help: 'ayuda',
  },
  ar: {
    greeting: 'مرحبا',
    introduction: 'مرحبا، أنا أحمد من بلدية تونس',
    question: 'ما هي شروط الانضمام إلى الشبكة؟',
    faq: 'eligibility',
    typo: 'كيف اتواصل مع فريق التنسيق؟',
    typoFaq: 'contact',
    help: 'مساعدة',
  },
  zh: {
    greeting: '你好',
    introduction: '你好，我叫王芳，在杭州市教育局工作',
    question: '加入网络有什么好处？',
    faq: 'benefits',
    typo: '什么是学习型城市',
    typoFaq: 'learning-city',
    help: '帮助',
  },
  ru: {
    greeting: 'Здравствуйте',
    introduction: 'Здравствуйте! Меня зовут Ольга, я из администрации Казани',
    question: 'Какие документы нужно заполнить для заявки?',
    faq: 'application-form',
    typo: 'сколко городов от одной страны',
    typoFaq: 'quota',
    help: 'помощь',
  },
};

describe.each(Object.entries(conversations))('conversation in %s', (lang, c) => {
  const core = coreAt('2025-06-10T12:00:00Z');
  const a = core.assistant;
  const t = (key: string) => core.i18n.t(lang as Lang, key);
  const user = `user-${lang}`;

  it('greets with a menu of topics', async () => {
    const [r] = await a.handle(turn(user, c.greeting));
    expect(r!.lang).toBe(lang);
    expect(r!.text).toContain(t('common:greeting'));
    expect(r!.actions?.length).toBeGreaterThan(3);
    expect(r!.actions!.filter((x) => x.id === FAQ_ACTIONS.topic).length).toBe(6);
    expect(r!.actions!.at(-1)).toMatchObject({ id: 'apply', label: t('form:buttons.start') });
  });

  it('takes a greeting with who is writing as a greeting (or the offer to start), never as a question', async () => {
    const [r] = await a.handle(turn(`${user}-intro`, c.introduction));
    expect(r!.lang).toBe(lang);
    // Someone from a city hall introducing themselves may have come to apply: asked, as a statement that may be one.
    const offer = r!.expects?.field === 'start';
    expect(offer ? r!.text : r!.text.slice(0, t('common:greeting').length)).toBe(
      offer ? t('form:start_ask') : t('common:greeting'),
    );
  });

  it('answers questions in their language, also with typos', async () => {
    for (const [q, id] of [
      [c.question, c.faq],
      [c.typo, c.typoFaq],
    ]) {
      const [r] = await a.handle(turn(user, q!));
      expect(r!.lang).toBe(lang);
      // The same answer as `gnlc ask`, which cannot start the form: the chat also offers to fill it in here.
      const asked = a.ask(q!, { lang: lang as Lang }).answer;
      expect([asked, `${asked}\n${t('form:offer_form')}`]).toContain(r!.text);
      expect(a.ask(q!).faqId, q).toBe(id);
    }
  });

  it('shows help and answers a pressed topic button in the conversation language', async () => {
    const [help] = await a.handle(turn(user, c.help));
    expect(help!.text).toContain(t('common:help'));
    const button = help!.actions!.find((x) => x.value === 'contact')!;
    const [r] = await a.handle(press(user, button.id, button.value));
    expect(r!.lang).toBe(lang);
    expect(r!.text).toContain('learningcities@unesco.org');
  });
});

describe('language choice', () => {
  it('uses the platform locale for text too short to tell', async () => {
    const a = coreAt('2025-06-10T12:00:00Z').assistant;
    const [r] = await a.handle(turn('short', 'ok?', 'ru-RU'));
    expect(r!.lang).toBe('ru');
  });

  it('an explicit choice wins over the language of the text', async () => {
    const core = coreAt('2025-06-10T12:00:00Z');
    const a = core.assistant;
    const [set] = await a.handle(turn('u1', 'language: français', 'en-US'));
    expect(set!.lang).toBe('fr');
    expect(set!.text).toBe(core.i18n.t('fr', 'common:language_set'));
    const [r] = await a.handle(turn('u1', 'How many cities per country can apply?'));
    expect(r!.lang).toBe('fr');
    expect(r!.text).toBe(a.ask('quota', { lang: 'fr' }).answer);
  });

  it.each([
    ['langue : anglais', 'en'],
    ['idioma: Español', 'es'],
    ['язык: китайский', 'zh'],
    ['语言：俄语', 'ru'],
    ['اللغة: العربية', 'ar'],
    ['language fr', 'fr'],
  ])('understands "%s"', async (text, lang) => {
    const [r] = await coreAt('2025-06-10T12:00:00Z').assistant.handle(turn('u2', text));
    expect(r!.lang).toBe(lang);
  });

  it('names the languages it speaks when asked for another', async () => {
    const [r] = await coreAt('2025-06-10T12:00:00Z').assistant.handle(turn('u3', 'language: klingon'));
    expect(r!.text).toContain('klingon');
    expect(r!.text).toContain('French');
  });

  it.each([
    ['langues acceptées pour le dossier ?', 'fr'],
    ['language of the application form?', 'en'],
    ['idiomas aceptados para la solicitud', 'es'],
  ])('answers "%s" as a question about languages, not as a language command', async (text, lang) => {
    const [r] = await coreAt('2025-06-10T12:00:00Z').assistant.handle(turn('u5', text));
    expect(r!.faqId).toBe('language');
    expect(r!.lang).toBe(lang);
  });
});

describe('not guessing', () => {
  it('refuses an out-of-scope question with the closest topics and the contact', async () => {
    const [r] = await coreAt('2025-06-10T12:00:00Z').assistant.handle(
      turn('u4', 'What is the deadline for my tax return?'),
    );
    expect(r!.text).toContain('learningcities@unesco.org');
    expect(r!.text).toContain('+49 40 44 80 41 62');
    expect(r!.actions?.length).toBeGreaterThan(0);
  });

  it('answers a stale or unknown button with the menu, not an error', async () => {
    const [r] = await coreAt('2025-06-10T12:00:00Z').assistant.handle(press('u5', 'no-such-action', 'x'));
    expect(r!.text).toContain('no longer valid');
  });

  it('says plainly in the greeting that the clock is simulated', async () => {
    const [r] = await coreAt('2025-06-01T12:00:00Z').assistant.handle(turn('u6', 'hello'));
    expect(r!.text).toContain('simulated');
    expect(r!.text).toContain('1 June 2025');
  });
});

describe('text that is not valid Unicode', () => {
  const loneSurrogate =
    'keeps a lone surrogate out of what it stores and says (any channel: `gnlc chat --json` reads JSON escapes)';
  it(loneSurrogate, async () => {
    const store = createMemoryStore();
    const core = createCore({ clock: fixedClock(new Date('2025-06-10T12:00:00Z')), store });
    const replies = [];
    for (const text of ['apply', 'Lyon\uD800', 'review'])
      replies.push(...(await core.assistant.handle({ ...turn('u7', text), user: { id: 'u7', name: 'Ana\uDC00' } })));
    expect(replies.every((r) => r.text.isWellFormed())).toBe(true);
    const conv = await store.conversations.get('local:u7');
    expect(conv?.intake?.answers['city.name']).toBe('Lyon\uFFFD');
    expect(JSON.stringify(replies)).toContain('Lyon\uFFFD');
  });
});
