import { describe, expect, it } from 'vitest';
import { FAQ_ACTIONS } from '../../../src/core/actions.ts';
import { formatDay } from '../../../src/core/calls/format.ts';
import { coreAt } from '../../helpers.ts';

const OPEN = '2025-06-01T10:00:00Z';

describe('answers for the asker', () => {
  it('a city asking for the commission deadline gets its own date first; a commission gets its own', async () => {
    const core = coreAt(OPEN);
    const now = core.clock.now();
    const city = { platform: 'local' as const, user: { id: 'focal' }, room: { id: 'dm:focal', direct: true } };
    const [forCity] = await core.assistant.handle({
      ...city,
      action: { id: FAQ_ACTIONS.topic, value: 'commission-deadline' },
    });
    expect(forCity!.faqId).toBe('commission-deadline');
    expect(forCity!.text.startsWith(core.assistant.answers.callSummary('en', now))).toBe(true);
    // An endorser (the local demo: whoever speaks in a commission's room) reads the commission's date first.
    const officer = {
      platform: 'local' as const,
      user: { id: 'officer' },
      room: { id: 'commission-DE', direct: false },
    };
    const [forCommission] = await core.assistant.handle({
      ...officer,
      action: { id: FAQ_ACTIONS.topic, value: 'commission-deadline' },
    });
    expect(forCommission!.text.startsWith(core.assistant.answers.callSummary('en', now))).toBe(false);
    expect(forCity!.text.endsWith(forCommission!.text)).toBe(true);
  });

  it("a commission's endorser asking for the cities' deadline gets the commission's date first", async () => {
    const core = coreAt(OPEN);
    const now = core.clock.now();
    const ask = (room: { id: string; direct: boolean }, user: string) =>
      core.assistant.handle({
        platform: 'local',
        user: { id: user },
        room,
        action: { id: FAQ_ACTIONS.topic, value: 'deadline' },
      });
    const [forCity] = await ask({ id: 'dm:focal', direct: true }, 'focal');
    const [forCommission] = await ask({ id: 'commission-DE', direct: false }, 'officer');
    const commissionFirst = core.assistant.answers.commissionSummary('en', now);
    expect(commissionFirst).toMatch(/15 July 2025/);
    expect(forCity!.text.startsWith(commissionFirst)).toBe(false);
    expect(forCity!.text.startsWith(core.assistant.answers.callSummary('en', now))).toBe(true);
    expect(forCommission!.faqId).toBe('deadline');
    expect(forCommission!.text).toBe(`${commissionFirst}\n\n${forCity!.text}`);
  });

  it.each([
    ['en', 'I am the focal point of Lyon. Who can apply?'],
    ['fr', 'Bonjour, je suis la point focal de la ville de Lyon. Qui peut candidater au réseau ?'],
    ['es', 'Soy punto focal de Lima. ¿Quién puede postular?'],
  ] as const)('in %s, an introduction before the question does not blur it', (lang, text) => {
    const r = coreAt(OPEN).assistant.ask(text);
    expect(r.faqId).toBe('eligibility');
    expect(r.lang).toBe(lang);
  });

  it.each([
    ['en', 'I am the focal point of Lyon. Who can apply? Many thanks in advance for your help.'],
    ['fr', 'Madame, Monsieur, je suis le point focal de Lyon. Qui peut candidater au réseau ? Avec nos remerciements.'],
    ['es', 'Buenos días. Soy punto focal de Lima. ¿Quién puede postular? Muchas gracias de antemano.'],
    ['ru', 'Здравствуйте. Я координатор от города Казани. Какие города могут подать заявку? Заранее спасибо.'],
  ] as const)('in %s, thanks after the question do not hide it', (lang, text) => {
    const r = coreAt(OPEN).assistant.ask(text);
    expect(r.faqId).toBe('eligibility');
    expect(r.lang).toBe(lang);
  });

  it('the deadline answer gives the earlier calls too, with their extension, in every language', () => {
    const core = coreAt(OPEN);
    for (const lang of ['en', 'fr', 'es', 'ar', 'zh', 'ru'] as const) {
      const text = core.assistant.answers.render(core.assistant.answers.entry('deadline')!, lang, {
        now: core.clock.now(),
      }).text;
      const t = (key: string, vars: Record<string, string>) => core.i18n.t(lang, key, vars);
      const day = (d: string) => formatDay(d, lang);
      expect(text).toContain(
        t('calls:earlier', { cycle: '2021', opens: day('2021-09-01'), closes: day('2021-11-01') }),
      );
      expect(text).toContain(t('calls:extension', { cycle: '2021', date: day('2022-02-28') }));
    }
  });
});

describe('the two deadlines', () => {
  it("a city's deadline answer names the commission's date after the city's", () => {
    const r = coreAt(OPEN).assistant.ask('When is the deadline?');
    expect(r.faqId).toBe('deadline');
    const [city, commission] = r.answer.split('\n\n');
    expect(city).toMatch(/15 June 2025/);
    expect(commission).toMatch(/15 July 2025/);
  });

  it.each([
    ['en', 'deadline?', 'deadline'],
    ['fr', 'Quelle est la date limite pour déposer le dossier ?', 'deadline'],
    ['es', '¿Cuál es la fecha límite para presentar la candidatura?', 'deadline'],
    ['en', 'By when must the National Commission forward the endorsed applications?', 'commission-deadline'],
    [
      'fr',
      "Jusqu'à quand la Commission nationale peut-elle transmettre les candidatures à l'UIL ?",
      'commission-deadline',
    ],
  ] as const)(
    'in %s, "%s" is the %s entry (the narrower one only when the text is clearly about it)',
    (_l, text, id) => {
      expect(coreAt(OPEN).assistant.ask(text).faqId).toBe(id);
    },
  );
});
