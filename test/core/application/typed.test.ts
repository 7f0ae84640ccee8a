import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../../src/core/application/form.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import { createCore } from '../../../src/core/create.ts';
import type { Lang } from '../../../src/core/lang.ts';
import { CONVERSATION_VERSION, type Conversation } from '../../../src/core/records.ts';
import { createMemoryStore } from '../../../src/store/memory.ts';
import { Chat } from '../../conversation.ts';
import { INTAKE_ACTIONS } from '../../../src/core/actions.ts';
import { loadFaq } from '../../../src/core/faq/schema.ts';

/**
 * Input as people type it (issue: the form as people fill it in), one row per case, through the real dialog: a
 * draft waits at a field, the person types, and what is stored (or the reason it is not) is compared.
 */
const NOW = '2025-06-01T10:00:00Z';
/** Valid answers to every question before the pledge. */
const BEFORE_PLEDGE = Object.fromEntries(
  Object.entries(
    JSON.parse(readFileSync(new URL('../../fixtures/complete-answers.json', import.meta.url), 'utf8')),
  ).filter(([k]) => FIELDS.findIndex((f) => f.key === k) < FIELDS.findIndex((f) => f.key === 'pledge.adopt')),
);

async function typeAt(
  field: string,
  typed: string,
  opts: { lang?: Lang; answers?: Record<string, unknown>; timeZone?: string; pick?: string[] } = {},
) {
  const store = createMemoryStore();
  const core = createCore({ clock: fixedClock(new Date(NOW)), store });
  const user = `typist-${Math.random().toString(36).slice(2)}`;
  const conversation: Conversation = {
    version: CONVERSATION_VERSION,
    key: `local:${user}`,
    lang: { last: opts.lang ?? 'en' },
    applications: [],
    ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
    intake: {
      mode: 'filling',
      field,
      answers: { 'city.name': 'Tanta', 'city.country': 'EG', ...opts.answers },
      skipped: [],
      history: ['city.name', 'city.country'],
      returnToReview: false,
      ...(opts.pick ? { pick: opts.pick } : {}),
      startedAt: NOW,
    },
    updatedAt: NOW,
  };
  await store.conversations.save(conversation);
  const chat = new Chat(core.assistant, user);
  await chat.say(typed);
  const after = (await store.conversations.get(`local:${user}`))!;
  const stored = after.intake?.answers[field];
  return { chat, store, stored, skipped: after.intake?.skipped ?? [], t: core.i18n.t };
}

describe('input as people type it', () => {
  it.each([
    // Digits of every script, in every parser.
    ['profile.year', '٢٠٢٤', 2024],
    ['profile.year', '۲۰۲۳', 2023],
    ['profile.year', '２０２４', 2024],
    ['profile.year', '2024年', 2024],
    ['profile.year', 'en 2024', 2024],
    ['profile.population', '٤٥٠٬٠٠٠', 450000],
    ['profile.population', '545 796 inhabitants', 545796],
    ['profile.area', '60 كم2', 60],
    ['profile.gdpCity', '4,300 دولار', 4300],
    ['contact.postcode', '٣١٥١١', '31511'],
    ['contact.postcode', '２０１４８', '20148'],
    ['challenges.quality', '٣', 3],
    ['challenges.quality', '3/5', 3],
    ['challenges.quality', "I'd say 3", 3],
    ['challenges.quality', 'four', 4],
    ['challenges.quality', 'пять', 5],
    ['challenges.quality', '四', 4],
    ['challenges.quality', 'اربعة', 4],
    // From the trials: names with an introduction, a choice inside a short sentence, long official names, dates
    // with month names, emails from a Chinese keyboard or in a sentence.
    ['contact.lastName', '我姓陈', '陈'],
    ['contact.firstName', "je m'appelle Claire", 'Claire'],
    ['contact.language', 'en français svp', 'fr'],
    ['contact.language', 'на английском', 'en'],
    ['contact.salutation', '女士，就是我本人', 'ms'],
    ['interests', 'alfabetizacion y emprendimiento y desarrollo sostenible', ['esd', 'literacy', 'entrepreneurship']],
    ['interests', 'образование для устойчивого развития и грамотность', ['esd', 'literacy']],
    ['city.country', 'Республика Казахстан', 'KZ'],
    ['city.country', 'جمهورية مصر العربية', 'EG'],
    ['city.country', 'Republic of Kenya', 'KE'],
    ['city.website', '我们市政府的官网是www.yiwu.gov.cn，可以看一下。', 'https://www.yiwu.gov.cn'],
    ['pledge.date', 'le 3 juin 2025', '2025-06-03'],
    ['pledge.date', '5 de junio de 2025', '2025-06-05'],
    ['pledge.date', '20 мая 2025 г.', '2025-05-20'],
    ['pledge.date', '20.05.2025г.', '2025-05-20'],
    ['pledge.date', 'June 3, 2025', '2025-06-03'],
    ['pledge.date', '٣ حزيران ٢٠٢٥', '2025-06-03'],
    ['contact.email', 'chenxm＠yiwu.gov.cn', 'chenxm@yiwu.gov.cn'],
    ['contact.email', '邮箱是chenxm@yiwu.gov.cn', 'chenxm@yiwu.gov.cn'],
    ['challenges.quality', '3 من 5', 3],
    // Countries in the languages people use, and short forms.
    ['city.country', 'Deutschland', 'DE'],
    ['city.country', 'España', 'ES'],
    ['city.country', 'Brasil', 'BR'],
    ['city.country', 'Türkiye', 'TR'],
    ['city.country', 'USA', 'US'],
    ['city.country', 'UK', 'GB'],
    ['city.country', 'DEU', 'DE'],
    ['city.country', 'Allemagne', 'DE'],
    ['city.country', 'ألمانيا', 'DE'],
    // Choices by their names and synonyms in any language; several with the separators of every language.
    ['mayor.salutation', 'Madame', 'ms'],
    ['mayor.salutation', 'Monsieur', 'mr'],
    ['contact.salutation', 'السيدة', 'ms'],
    ['contact.salutation', 'Sra.', 'ms'],
    ['contact.language', 'français', 'fr'],
    ['interests', 'literacy and health', ['health-wellbeing', 'literacy']],
    ['interests', 'Alphabétisation et santé', ['health-wellbeing', 'literacy']],
    ['interests', 'alfabetización y emprendimiento', ['literacy', 'entrepreneurship']],
    ['interests', 'Грамотность и предпринимательство', ['literacy', 'entrepreneurship']],
    ['interests', '扫盲和创业', ['literacy', 'entrepreneurship']],
    ['interests', '扫盲、公平与包容', ['equity-inclusion', 'literacy']],
    ['interests', 'محو الأمية والصحة والرفاه', ['health-wellbeing', 'literacy']],
    ['interests', 'الانصاف والادماج', ['equity-inclusion']],
    ['interests', 'Equity and inclusion; monitoring', ['equity-inclusion', 'monitoring-evaluation']],
    // Numbers as said: approximations, multipliers, the Arabic comma.
    ['profile.population', 'حوالي ١٫٦ مليون نسمة', 1600000],
    ['profile.population', '٦٠٠ ألف نسمة', 600000],
    ['profile.population', '١،٦٣٥،٠٠٠', 1635000],
    ['profile.population', "1,6 million d'habitants", 1600000],
    ['profile.population', '约160万人', 1600000],
    ['profile.population', 'около 600 тыс.', 600000],
    ['profile.area', '٦٠ كم مربع تقريبا', 60],
    ['profile.area', '٦٠،٥ كم²', 60.5],
    // Dollars written before the amount.
    ['profile.gdpCity', 'US$ 32,000', 32000],
    ['profile.gdpCity', '$32,000', 32000],
    // Yes with a little more.
    ['pledge.adopt', 'oui bien sûr', true],
    ['pledge.adopt', 'اكيد نعم', true],
    ['pledge.adopt', 'yes of course', true],
    // A yes, a comma, and what was done.
    ['pledge.adopt', 'да, мэр подписал', true],
    ['pledge.adopt', 'oui, le maire a signé', true],
    ['pledge.adopt', 'نعم، وقع العمدة', true],
    ['pledge.adopt', '是的，市长已经签了', true],
    // The telephone: read in the city's country without its code, stored in E.164.
    ['contact.phone', '040 3331234', '+20403331234'],
    ['contact.phone', '٠٤٠ ٣٣٣١٢٣٤', '+20403331234'],
    ['contact.phone', '+49 40 44 80 41 62', '+494044804162'],
    ['contact.phone', '0049 40 44804162', '+494044804162'],
    // The website: the one address in the message, under a real public suffix.
    ['city.website', 'www.tanta.gov.eg', 'https://www.tanta.gov.eg'],
    ['city.website', '官网是 www.hangzhou.gov.cn', 'https://www.hangzhou.gov.cn'],
    ['city.website', 'Our website is https://leipzig.de.', 'https://leipzig.de'],
    // The pledge's date.
    ['pledge.date', '15/05/2025', '2025-05-15'],
    ['pledge.date', '15.05.2025', '2025-05-15'],
    ['pledge.date', '2025-05-15', '2025-05-15'],
    ['pledge.date', '2025年5月15日', '2025-05-15'],
    ['pledge.date', '2025年5月15号', '2025-05-15'],
    ['contact.email', 'mi correo: juan.soto@munivalpo.cl', 'juan.soto@munivalpo.cl'],
    ['pledge.date', '١٥/٠٥/٢٠٢٥', '2025-05-15'],
    ['pledge.date', 'today', '2025-06-01'],
    ['pledge.date', "aujourd'hui", '2025-06-01'],
    ['pledge.date', 'сегодня', '2025-06-01'],
  ] as const)('%s: "%s" is stored as %j', async (field, typed, value) => {
    const { stored } = await typeAt(field, typed);
    expect(stored).toEqual(value);
  });

  it.each([
    ['contact.postcode', 'N/A'],
    ['contact.postcode', 'none'],
    ['contact.postcode', 'لا يوجد'],
    ['contact.postcode', 'нет'],
    ['contact.postcode', '无'],
    ['contact.postcode', "we don't have one"],
    ['profile.gdpCountry', 'not available'],
    ['profile.gdpCity', 'néant'],
    ['contact.postcode', 'مفيش'],
    ['profile.gdpCity', '暂无统计'],
    ['profile.gdpCity', 'нет данных'],
  ] as const)('%s (optional): "%s" is a skip, not an error', async (field, typed) => {
    const { stored, skipped } = await typeAt(field, typed);
    expect(stored).toBeUndefined();
    expect(skipped).toContain(field);
  });

  it.each([
    ['city.website', 'www.freiburg', 'not_a_url'],
    ['city.website', 'localhost', 'not_a_url'],
    ['challenges.quality', '6', 'not_a_rating'],
    ['challenges.quality', '2 or 3', 'not_a_rating'],
    ['contact.phone', '12', 'not_a_phone_in_country'],
    ['pledge.date', '31/02/2025', 'not_a_date'],
    ['profile.year', '2023-2024', 'not_a_year'],
    ['contact.postcode', '٠١٠٠١٢٣٤٥٦٧', 'not_a_postcode'],
  ] as const)('%s: "%s" is refused (%s), with the question again', async (field, typed, error) => {
    const { chat, stored, t } = await typeAt(field, typed);
    expect(stored).toBeUndefined();
    expect(chat.expecting).toBe(field);
    expect(chat.text).toContain(t('en', `form:errors.${error}`).split('{{')[0]!.trim());
  });

  it("the pledge's date is offered as today in the applicant's zone, with a button", async () => {
    // 10:00 UTC on 1 June is already 2 June in Kiritimati (UTC+14).
    const { chat } = await typeAt('pledge.adopt', 'yes', {
      answers: { ...BEFORE_PLEDGE, 'contact.organization': 'City Hall' },
      timeZone: 'Pacific/Kiritimati',
    });
    expect(chat.expecting).toBe('pledge.date');
    const today = chat.last.at(-1)!.actions!.find((a) => a.value === 'pledge.date=2025-06-02');
    expect(today?.label).toMatch(/2 June 2025/);
  });

  it.each([
    ['fr', 'Dakar, au Sénégal', 'Dakar', 'SN'],
    ['en', 'Mombasa, Kenya', 'Mombasa', 'KE'],
    ['es', 'Cusco (Perú)', 'Cusco', 'PE'],
    ['ar', 'طنطا، مصر', 'طنطا', 'EG'],
    ['zh', '上海，中国', '上海', 'CN'],
    ['ru', 'Алматы, Казахстан', 'Алматы', 'KZ'],
    ['en', 'Washington, D.C.', 'Washington, D.C.', undefined],
    // The words before the name are not the name's.
    ['es', 'Somos la ciudad de Rosario, en Argentina', 'Rosario', 'AR'],
    ['fr', 'Nous sommes la ville de Thiès au Sénégal', 'Thiès', 'SN'],
    ['ru', 'город Казань', 'Казань', undefined],
    ['zh', '我们是成都市', '成都市', undefined],
    ['es', 'Ciudad de México', 'Ciudad de México', undefined],
    ['en', "We're the City of Cork", 'Cork', undefined],
  ] as const)(
    '%s "%s" for the city\'s name: the name, and the country when one follows',
    async (lang, typed, city, code) => {
      const { chat, store, stored } = await typeAt('city.name', typed, {
        lang,
        answers: { 'city.name': undefined, 'city.country': undefined },
      });
      expect(stored).toBe(city);
      const answers = (await store.conversations.get(`local:${chat.user}`))!.intake!.answers;
      expect(answers['city.country']).toBe(code);
      expect(chat.expecting).toBe(code ? 'city.website' : 'city.country');
    },
  );

  it.each([
    ['es', 'profile.area', 'la superficie son 178,69 km2', 178.69],
    ['ru', 'profile.area', 'площадь 425,3 кв км', 425.3],
    ['zh', 'profile.area', '面积14335平方公里', 14335],
    ['zh', 'profile.schoolingMen', '男性大约11.2年', 11.2],
    ['en', 'profile.population', 'population is about 270000', 270000],
    ['ru', 'contact.postcode', 'индекс 420014', '420014'],
    ['es', 'contact.postcode', 'el CP es S2000', 'S2000'],
    ['es', 'pledge.date', 'lo firmó ayer', '2025-05-31'],
    ['ru', 'pledge.date', 'подписали вчера', '2025-05-31'],
    ['zh', 'pledge.date', '市长昨天签的字', '2025-05-31'],
  ] as const)('%s %s: "%s" is the value after words of its question', async (lang, field, typed, value) => {
    const answers = field === 'pledge.date' ? { ...BEFORE_PLEDGE, 'pledge.adopt': true } : {};
    const { stored } = await typeAt(field, typed, { lang, answers });
    expect(stored).toBe(value);
  });

  it.each([
    ['en', 'profile.population', 'we have 3 districts and 270000 people'],
    ['en', 'profile.gdpCountry', 'the city figure is 4200'],
  ] as const)('%s %s: "%s", words of another question before the value, is not taken', async (lang, field, typed) => {
    const { stored } = await typeAt(field, typed, { lang });
    expect(stored).toBeUndefined();
  });

  it.each([
    ['ru', 'mayor.lastName', 'фамилия мэра — Метшин', 'Метшин'],
    ['zh', 'mayor.lastName', '市长姓王', '王'],
    ['zh', 'mayor.firstName', '名字叫凤朝', '凤朝'],
    ['es', 'contact.lastName', 'mis apellidos son García López', 'García López'],
    ['fr', 'mayor.lastName', 'le maire s’appelle Diallo', 'Diallo'],
    ['fr', 'contact.lastName', "son nom c'est Martin", 'Martin'],
    ['fr', 'contact.email', "c'est claire.martin@mairie-lyon.fr", 'claire.martin@mairie-lyon.fr'],
    ['en', 'contact.email', 'my email is ana@city.example.org', 'ana@city.example.org'],
    ['ar', 'contact.language', 'بالإنجليزية من فضلك', 'en'],
    ['fr', 'contact.language', "en français s'il vous plaît", 'fr'],
  ] as const)('%s %s: "%s" is the name without the words that introduce it', async (lang, field, typed, name) => {
    const { stored } = await typeAt(field, typed, { lang });
    expect(stored).toBe(name);
  });

  it.each([
    ['en', 'yesterday', 'UTC', '2025-05-31'],
    ['fr', 'hier', 'Europe/Paris', '2025-05-31'],
    ['es', 'ayer', 'America/Lima', '2025-05-31'],
    ['ru', 'вчера', 'Asia/Vladivostok', '2025-05-31'],
    ['zh', '昨天', 'Asia/Shanghai', '2025-05-31'],
    // 10:00 UTC on 1 June is 2 June in Kiritimati: yesterday there is 1 June.
    ['ar', 'أمس', 'Pacific/Kiritimati', '2025-06-01'],
  ] as const)(
    '%s "%s" for the pledge\'s date in %s is the day before the applicant\'s today',
    async (lang, typed, zone, day) => {
      const { chat, stored } = await typeAt('pledge.date', typed, {
        lang,
        answers: { ...BEFORE_PLEDGE, 'contact.organization': 'City Hall', 'pledge.adopt': true },
        timeZone: zone,
      });
      expect(stored).toBe(day);
      expect(chat.expecting).toBe('profile.year');
    },
  );

  it.each([
    ['en', "we don't have a website"],
    ['ru', 'у нас нет сайта'],
    ['zh', '我们没有网站'],
    ['ar', 'ليس لدينا موقع'],
  ] as const)('%s "%s" for a required question: required, the sources silent, the contact', async (lang, typed) => {
    const { chat, stored, t } = await typeAt('city.website', typed, { lang });
    expect(stored).toBeUndefined();
    expect(chat.expecting).toBe('city.website');
    const { email, phone } = loadFaq().contact;
    expect(chat.text).toContain(t(lang, 'form:errors.required_none', { email, phone }));
    expect(chat.text).toContain(email);
  });

  it('"keep" leaves the current answer as it is, never storing the word', async () => {
    const { chat, stored } = await typeAt('motivation', 'on garde', {
      answers: { motivation: 'Notre ville apprend.' },
    });
    expect(stored).toBe('Notre ville apprend.');
    expect(chat.expecting).not.toBe('motivation');
  });

  it.each([
    ['challenges.quality', 'el 5 significa que es un desafio grande o al reves'],
    ['challenges.quality', '5分是挑战最大还是最小'],
    ['mayor.firstName', 'ой, назад'],
    // Another currency is not taken for dollars.
    ['profile.gdpCity', '£32,000'],
    ['profile.gdpCountry', '30 000 EUR'],
    // A yes that says it is not one yet.
    ['pledge.adopt', 'да, но мэр ещё не подписал'],
    ['pledge.adopt', 'yes but not yet'],
    ['pledge.adopt', '是的，但是还没签'],
  ] as const)('%s: "%s" is not stored as the answer', async (field, typed) => {
    const { stored } = await typeAt(field, typed);
    expect(stored).toBeUndefined();
  });

  it('typed choices add to those already ticked, and editing shows the current ones ticked', async () => {
    const { chat, stored } = await typeAt('interests', 'literacy', { pick: ['esd'] });
    expect(stored).toEqual(['esd', 'literacy']);
    await chat.say('edit thematic interests');
    expect(chat.expecting).toBe('interests');
    const ticked = chat.last
      .at(-1)!
      .expects!.choices!.filter((c) => c.selected)
      .map((c) => c.value);
    expect(ticked).toEqual(['interests=esd', 'interests=literacy']);
  });

  it('choices typed over an answer being edited replace it; pressed before typing, they add to the ticks', async () => {
    const { chat, store } = await typeAt('interests', 'literacy, equity and inclusion');
    const interests = async () => (await store.conversations.get(`local:${chat.user}`))!.intake!.answers.interests;
    expect(await interests()).toEqual(['equity-inclusion', 'literacy']);
    await chat.say('edit thematic interests');
    await chat.say('health and well-being');
    expect(await interests()).toEqual(['health-wellbeing']);
    await chat.say('edit thematic interests');
    await chat.press(INTAKE_ACTIONS.choose, 'interests=esd');
    await chat.say('literacy');
    expect(await interests()).toEqual(['esd', 'health-wellbeing', 'literacy']);
  });

  it.each([
    ['challenges.quality', 'يعني ٥ معناها تحدي كبير ولا صغير؟'],
    ['profile.area', 'does the area include the suburbs?'],
  ] as const)('%s: a question with a value in it, "%s", is asked about, never stored', async (field, typed) => {
    const { chat, stored } = await typeAt(field, typed);
    expect(stored).toBeUndefined();
    expect(chat.expecting).toBe(field);
  });

  it('an unknown country offers the closest names as buttons', async () => {
    const { chat } = await typeAt('city.country', 'Germny');
    expect(chat.expecting).toBe('city.country');
    const germany = chat.last.at(-1)!.actions!.find((a) => a.value === 'city.country=DE');
    expect(germany?.label).toBe('Germany');
  });

  it("the telephone's example is a number of the city's country", async () => {
    const { chat } = await typeAt('contact.phone', '12');
    expect(chat.text).toContain('+20 ');
  });
});

describe('a full name typed where the surname is asked', () => {
  it.each([
    ['Dupont, Marie', 'Dupont', 'Marie'],
    ['DUPONT Marie', 'DUPONT', 'Marie'],
    ['VAN DER BERG Anna-Lena', 'VAN DER BERG', 'Anna-Lena'],
    ['García López', 'García López', undefined],
    ['Müller', 'Müller', undefined],
  ] as const)('"%s": surname %j, first name %j', async (typed, surname, first) => {
    const { chat, stored } = await typeAt('mayor.lastName', typed);
    expect(stored).toBe(surname);
    if (first) {
      expect(chat.text).toContain(first);
      expect(chat.expecting).toBe('city.website');
    } else expect(chat.expecting).not.toBe('mayor.title');
  });
});

describe('right-to-left text', () => {
  it('in Arabic, a telephone number, an address or an id put into a message keeps its order (an isolate)', async () => {
    const { chat } = await typeAt('contact.phone', '12', { lang: 'ar' });
    const reply = chat.last.at(-1)!;
    expect(reply.lang).toBe('ar');
    // The example number of the city's country (Egypt), isolated inside the Arabic sentence.
    expect(reply.text).toMatch(/\u2068\+20 [\d ]+\u2069/);
    // An Arabic value is not isolated: only what a right-to-left line would reorder.
    expect(reply.text).not.toContain('\u2068مصر');
  });
});
