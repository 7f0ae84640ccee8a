import type { Assistant } from '../src/core/assistant.ts';
import type { Core } from '../src/core/create.ts';
import type { Store } from '../src/core/records.ts';
import type { Lang } from '../src/core/lang.ts';
import type { Reply } from '../src/core/reply.ts';
import type { Translate } from '../src/i18n/index.ts';
import { CHALLENGE_AREAS } from '../src/core/application/form.ts';
import { INTAKE_ACTIONS } from '../src/core/actions.ts';

/** A user talking to the assistant in the local channel; keeps the last replies. */
export class Chat {
  last: Reply[] = [];
  constructor(
    readonly assistant: Assistant,
    readonly user: string,
    readonly locale?: string,
    /** The user's IANA zone, as Slack and Teams tell it. */
    readonly timeZone?: string,
    /** The platform the turns come from (a Teams user's applications are theirs on Teams). */
    readonly platform: 'local' | 'slack' | 'teams' | 'web' = 'local',
  ) {}

  private turn() {
    const user = { id: this.user, locale: this.locale, ...(this.timeZone ? { timeZone: this.timeZone } : {}) };
    return { platform: this.platform, user, room: { id: `dm:${this.user}`, direct: true } };
  }

  async say(text: string): Promise<Reply[]> {
    this.last = await this.assistant.handle({ ...this.turn(), text });
    return this.last;
  }

  async press(id: string, value?: string): Promise<Reply[]> {
    this.last = await this.assistant.handle({ ...this.turn(), action: { id, value } });
    return this.last;
  }

  /** The field the bot waits for after the last turn. */
  get expecting(): string | undefined {
    return this.last.at(-1)?.expects?.field;
  }

  get text(): string {
    return this.last.map((r) => r.text).join('\n');
  }
}

/**
 * Answers every question the bot asks from `answers` (pressing "Done" after the interests) until it
 * stops asking: the review, or a confirmation. `check` sees each step after the answer was given.
 */
export async function answerAll(
  chat: Chat,
  answers: Record<string, string>,
  check?: (field: string) => void,
): Promise<void> {
  for (let i = 0; i < 60 && chat.expecting && chat.expecting !== 'confirm'; i++) {
    const field = chat.expecting;
    await chat.say(answers[field] ?? '');
    if (chat.expecting === field && field === 'interests') await chat.press(INTAKE_ACTIONS.done);
    check?.(field);
  }
}

/**
 * A chat in `lang` with the form open at `field`, every question before it answered validly (`locale`: the
 * platform's, when a test needs one).
 */
export async function chatAt(
  core: Pick<Core, 'assistant' | 'i18n'>,
  lang: Lang,
  field: string,
  user: string,
  locale?: string,
): Promise<Chat> {
  const chat = new Chat(core.assistant, user, locale);
  const answers = validAnswers(lang, core.i18n.t);
  await chat.say(command(core.i18n.t, lang, 'apply_phrases'));
  for (let i = 0; i < 40 && chat.expecting && chat.expecting !== field; i++) await chat.say(answers[chat.expecting]!);
  if (chat.expecting !== field) throw new Error(`the form stopped at ${chat.expecting}, not ${field}`);
  return chat;
}

/** The answers of a chat's draft, as the store has them. */
export async function draftAnswers(store: Store, chat: Chat): Promise<Record<string, unknown>> {
  return { ...(await store.conversations.get(`local:${chat.user}`))?.intake?.answers };
}

/** The first entry of a "|"-separated command list in a language (what a user of that language types). */
export function command(t: Translate, lang: Lang, kind: string, namespace = 'form'): string {
  return t(lang, `${namespace}:commands.${kind}`).split('|')[0]!;
}

const MOTIVATION: Record<Lang, string> = {
  en:
    'Our city wants every resident to keep learning at every age, ' +
    'in schools, libraries, workplaces and neighbourhoods.',
  fr:
    'Notre ville veut que chaque habitant continue d’apprendre à tout âge, ' +
    'dans les écoles, les bibliothèques et les quartiers.',
  es: 'Nuestra ciudad quiere que cada habitante siga aprendiendo a cualquier edad, en escuelas, bibliotecas y barrios.',
  ar: 'تريد مدينتنا أن يواصل كل ساكن التعلم في كل الأعمار في المدارس والمكتبات وأماكن العمل والأحياء.',
  zh: '我们的城市希望每一位居民在任何年龄都能在学校、图书馆、工作场所和社区继续学习。',
  ru: 'Наш город хочет, чтобы каждый житель продолжал учиться в любом возрасте: в школах, библиотеках и на работе.',
};

/** A complete, valid application as a person of that language would type it. */
export function validAnswers(lang: Lang, t: Translate): Record<string, string> {
  const region = new Intl.DisplayNames([lang], { type: 'region' });
  const num = (n: number) => new Intl.NumberFormat(lang).format(n);
  const choice = (group: string, value: string) => t(lang, `form:choices.${group}.${value}`);
  const a: Record<string, string> = {
    'city.name': `Testville ${lang}`,
    'city.country': region.of('KE')!,
    'city.website': 'www.testville.example.org',
    'mayor.salutation': choice('salutation', 'ms'),
    'mayor.lastName': 'Wanjiru',
    'mayor.firstName': 'Grace',
    'mayor.title': 'Governor of Testville County',
    'contact.salutation': choice('salutation', 'mr'),
    'contact.lastName': 'Otieno',
    'contact.firstName': 'Peter',
    'contact.title': 'Director of Education',
    'contact.organization': 'Testville Learning Office',
    'contact.address': 'City Hall Way 1, Testville',
    'contact.postcode': '00100',
    'contact.phone': '+254 20 2221234',
    'contact.email': 'Peter.Otieno@testville.example.org',
    'contact.language': choice('language', 'fr'),
    'pledge.adopt': command(t, lang, 'yes'),
    'pledge.date': lang === 'ru' ? '20.05.2025' : lang === 'zh' ? '2025年5月20日' : '20/05/2025',
    'profile.year': '2024',
    'profile.population': num(4_397_073),
    'profile.area': num(696.1),
    'profile.gdpCity': num(4200),
    'profile.gdpCountry': num(2100),
    'profile.schoolingMen': num(11.5),
    'profile.schoolingWomen': num(10.5),
    motivation: MOTIVATION[lang],
    implementation: `${MOTIVATION[lang]} https://testville.example.org/report`,
    interests: [choice('interests', 'literacy'), choice('interests', 'equity-inclusion')].join(', '),
  };
  for (const [i, area] of CHALLENGE_AREAS.entries()) a[`challenges.${area}`] = String((i % 5) + 1);
  return a;
}

/** What the stored record must hold for `validAnswers`. */
export const EXPECTED_RECORD = {
  'city.country': 'KE',
  'city.website': 'https://www.testville.example.org',
  'mayor.salutation': 'ms',
  'contact.salutation': 'mr',
  'contact.phone': '+254202221234',
  'contact.email': 'peter.otieno@testville.example.org',
  'contact.language': 'fr',
  'pledge.adopt': true,
  'pledge.date': '2025-05-20',
  'profile.year': 2024,
  'profile.population': 4397073,
  'profile.area': 696.1,
  'profile.schoolingMen': 11.5,
  interests: ['equity-inclusion', 'literacy'],
  'challenges.workplace': 3,
};
