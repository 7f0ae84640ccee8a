import { describe, expect, it } from 'vitest';
import { CHALLENGE_AREAS } from '../../../src/core/application/form.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import { createCore } from '../../../src/core/create.ts';
import { LANGS, type Lang } from '../../../src/core/lang.ts';
import { createMemoryStore } from '../../../src/store/memory.ts';
import { answerAll, Chat, command, validAnswers } from '../../conversation.ts';

/**
 * A whole application in each language, typed the way people type: country names of their language, the website
 * inside a sentence, salutations as words, "none" for the postcode, a local telephone number, "today" for the
 * pledge, digits of their script, units, ratings in words, a list of interests with their "and".
 */
const TYPED: Record<Lang, Record<string, string>> = {
  en: {
    'city.country': 'Kenya',
    'city.website': 'Our website is www.testville.example.org',
    'mayor.salutation': 'Mrs',
    'contact.salutation': 'Mister',
    'contact.postcode': "we don't have one",
    'contact.phone': '020 2221234',
    'pledge.date': 'today',
    'profile.population': '4,397,073 inhabitants',
    'profile.area': '696.1 sq km',
    'profile.gdpCity': '4,200 US dollars',
    interests: 'literacy and equity',
  },
  fr: {
    'city.country': 'Kenya',
    'city.website': 'Notre site : www.testville.example.org',
    'mayor.salutation': 'Madame',
    'contact.salutation': 'Monsieur',
    'contact.postcode': 'néant',
    'contact.phone': '020 222 1234',
    'pledge.date': "aujourd'hui",
    'profile.population': '4 397 073 habitants',
    'profile.area': '696,1 km²',
    'profile.gdpCity': '4 200 dollars',
    interests: 'Alphabétisation et équité',
  },
  es: {
    'city.country': 'Kenia',
    'city.website': 'la web es www.testville.example.org',
    'mayor.salutation': 'Señora',
    'contact.salutation': 'Señor',
    'contact.postcode': 'no tenemos',
    'contact.phone': '020 2221234',
    'pledge.date': 'hoy',
    'profile.population': '4.397.073 habitantes',
    'profile.area': '696,1 km2',
    'profile.gdpCity': '4.200 dólares',
    interests: 'alfabetización y equidad',
  },
  ar: {
    'city.country': 'كينيا',
    'city.website': 'الموقع هو www.testville.example.org',
    'mayor.salutation': 'السيدة',
    'contact.salutation': 'السيد',
    'contact.postcode': 'لا يوجد',
    'contact.phone': '٠٢٠ ٢٢٢١٢٣٤',
    'pledge.date': 'اليوم',
    'profile.year': '٢٠٢٤',
    'profile.population': '٤٣٩٧٠٧٣ نسمة',
    'profile.area': '٦٩٦٫١ كم²',
    'profile.gdpCity': '٤٢٠٠ دولار',
    interests: 'محو الأمية والإنصاف والإدماج',
  },
  zh: {
    'city.country': '肯尼亚',
    'city.website': '官网是 www.testville.example.org',
    'mayor.salutation': '女士',
    'contact.salutation': '先生',
    'contact.postcode': '无',
    'contact.phone': '020 2221234',
    'pledge.date': '今天',
    'profile.year': '2024年',
    'profile.population': '4397073人',
    'profile.area': '696.1平方公里',
    'profile.gdpCity': '4200美元',
    interests: '扫盲和公平与包容',
  },
  ru: {
    'city.country': 'Кения',
    'city.website': 'сайт: www.testville.example.org',
    'mayor.salutation': 'госпожа',
    'contact.salutation': 'господин',
    'contact.postcode': 'нет',
    'contact.phone': '020 222-12-34',
    'pledge.date': 'сегодня',
    'profile.year': '2024 г.',
    'profile.population': '4 397 073 жителей',
    'profile.area': '696,1 км²',
    'profile.gdpCity': '4200 долларов',
    interests: 'грамотность и справедливость',
  },
};

/** Ratings in words, in each language (one to five). */
const RATING_WORDS: Record<Lang, string[]> = {
  en: ['one', 'two', 'three', 'four', 'five'],
  fr: ['un', 'deux', 'trois', 'quatre', 'cinq'],
  es: ['uno', 'dos', 'tres', 'cuatro', 'cinco'],
  ar: ['واحد', 'اثنان', 'ثلاثة', 'اربعة', 'خمسة'],
  zh: ['一', '二', '三', '四', '五'],
  ru: ['один', 'два', 'три', 'четыре', 'пять'],
};

describe.each(LANGS)('a whole application typed as people type it (%s)', (lang) => {
  it('is understood answer by answer, submitted, and stored as the form holds it', async () => {
    const store = createMemoryStore();
    const core = createCore({ clock: fixedClock(new Date('2025-06-01T10:00:00Z')), store });
    const t = core.i18n.t;
    const answers = { ...validAnswers(lang, t), ...TYPED[lang] };
    for (const [i, area] of CHALLENGE_AREAS.entries()) answers[`challenges.${area}`] = RATING_WORDS[lang][i % 5]!;
    const chat = new Chat(core.assistant, `typist-${lang}`);
    await chat.say(command(t, lang, 'apply_phrases'));
    expect(chat.last.at(-1)!.lang).toBe(lang);
    const asked: string[] = [];
    await answerAll(chat, answers, (field) => asked.push(field));
    // Every question asked once: nothing typed was refused.
    expect(new Set(asked).size).toBe(asked.length);
    await chat.say(command(t, lang, 'submit'));
    await chat.say(command(t, lang, 'yes'));
    const [app] = await store.applications.listByCountry('2025', 'KE');
    expect(app, chat.text).toBeDefined();
    expect(app!.answers).toMatchObject({
      'city.country': 'KE',
      'city.website': 'https://www.testville.example.org',
      'mayor.salutation': 'ms',
      'contact.salutation': 'mr',
      'contact.phone': '+254202221234',
      'pledge.date': '2025-06-01',
      'profile.year': 2024,
      'profile.population': 4397073,
      'profile.area': 696.1,
      'profile.gdpCity': 4200,
      interests: ['equity-inclusion', 'literacy'],
      'challenges.inclusive-education': 1,
      'challenges.quality': 5,
    });
    expect(app!.answers['contact.postcode']).toBeUndefined();
    expect(app!.pledgeDate).toBe('2025-06-01');
  });
});
