import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Reply } from '../../../src/core/reply.ts';
import type { Turn } from '../../../src/core/turn.ts';
import {
  activitySize,
  LINE_CONTINUED,
  MAX_ACTIVITY_BYTES,
  renderActivities,
} from '../../../src/channels/teams/cards.ts';
import { cardProblems, cardsOf, findSubmit, lastCard, startTeams, TeamsUser, type TeamsApp } from './harness.ts';

let app: TeamsApp | undefined;
afterEach(async () => {
  if (app)
    for (const c of app.connector.calls) for (const card of cardsOf(c.activity)) expect(cardProblems(card)).toEqual([]);
  vi.restoreAllMocks();
  await app?.close();
  app = undefined;
});

/** Records the Turns the core gets, and answers them as usual. */
function recordTurns(a: TeamsApp): Turn[] {
  const turns: Turn[] = [];
  const handle = a.core.assistant.handle.bind(a.core.assistant);
  vi.spyOn(a.core.assistant, 'handle').mockImplementation((turn: Turn) => {
    turns.push(turn);
    return handle(turn);
  });
  return turns;
}

describe('who a Turn comes from and whom it names', () => {
  it('passes the 29: id beside the Entra object id, and the people @mentioned other than the bot', async () => {
    app = await startTeams();
    const turns = recordTurns(app);
    const u = new TeamsUser(app, {
      locale: 'en-GB',
      conversation: {
        id: '19:coordinators@thread.tacv2;messageid=1717000000001',
        conversationType: 'channel',
        isGroup: true,
        tenantId: 'tenant-1',
      },
    });
    await u.send(
      u.activity('message', {
        text: '<at>GNLC</at> add endorser DE <at>Ana Lima</at> <at>Bo</at> and <at>Ana Lima</at>',
        entities: [
          { type: 'mention', mentioned: { id: u.bot.id, name: 'GNLC' }, text: '<at>GNLC</at>' },
          { type: 'mention', mentioned: { id: '29:ana-lima', name: 'Ana Lima' }, text: '<at>Ana Lima</at>' },
          { type: 'mention', mentioned: { id: '29:bo' }, text: '<at>Bo</at>' },
          { type: 'mention', mentioned: { id: '29:ana-lima', name: 'Ana Lima' }, text: '<at>Ana Lima</at>' },
          { type: 'clientInfo', locale: 'en-GB', timezone: 'Europe/Berlin' },
        ],
      }),
    );
    expect(turns).toHaveLength(1);
    const turn = turns[0]!;
    expect(turn.user).toMatchObject({ id: u.aad, altIds: [u.id], name: 'Ada' });
    expect(turn.mentions).toEqual([{ id: '29:ana-lima', name: 'Ana Lima' }, { id: '29:bo' }]);
    expect(turn.text).toBe('add endorser DE Ana Lima Bo and Ana Lima');
    expect(turn.room).toEqual({ id: '19:coordinators@thread.tacv2', direct: false });
  });

  it('has no altIds when the only id is the key (the Emulator) and no mentions when nobody else is named', async () => {
    app = await startTeams();
    const turns = recordTurns(app);
    const emu = new TeamsUser(app, { channel: 'emulator', locale: 'en-US' });
    await emu.say('help');
    // In Teams, a card press carries the same identity as a message.
    const u = new TeamsUser(app, { locale: 'en-US' });
    const menu = lastCard(await u.say('help'))!;
    await u.submit(menu.id, findSubmit(menu.card, 'faq').data);
    expect(turns).toHaveLength(3);
    expect(turns[0]!.user.id).toBe(emu.id);
    expect('altIds' in turns[0]!.user).toBe(false);
    expect(turns.some((t) => 'mentions' in t)).toBe(false);
    expect(turns[2]!.action?.id).toBe('faq');
    expect(turns[2]!.user).toMatchObject({ id: u.aad, altIds: [u.id] });
  });
});

/** The files shown in a run of message activities, rebuilt from their cards: name → content. */
function filesShown(activities: any[]): Map<string, string> {
  const lines = new Map<string, string[]>();
  for (const activity of activities) {
    for (const card of cardsOf(activity)) {
      card.body.forEach((box: any, i: number) => {
        const heading = card.body[i - 1];
        if (box.type !== 'Container' || box.style !== 'emphasis' || heading?.type !== 'RichTextBlock') return;
        const name = heading.inlines[0].text.replace(/ \(\d+\/\d+\)$/, '');
        const out = lines.get(name) ?? [];
        lines.set(name, out);
        for (const block of box.items) {
          const runs = block.inlines as any[];
          const text = runs
            .filter((r) => r.fontType === 'Monospace')
            .map((r) => r.text)
            .join('');
          if (runs[0].isSubtle && runs[0].text === LINE_CONTINUED) out[out.length - 1] += text;
          else out.push(text);
        }
      });
    }
  }
  return new Map([...lines].map(([name, l]) => [name, l.join('\n')]));
}

/** The file part headings in order, e.g. ["export.csv (1/3)", …]. */
const headings = (activities: any[]) =>
  activities
    .flatMap((a) => cardsOf(a))
    .flatMap((c) =>
      c.body
        .filter((b: any, i: number) => c.body[i + 1]?.type === 'Container' && b.type === 'RichTextBlock')
        .map((b: any) => b.inlines[0].text),
    );

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** An export of a few hundred rows with text Markdown or HTML would change, several scripts and an empty line. */
function bigCsv(rows: number): string {
  const out = ['id,city,country,notes'];
  for (let i = 1; i <= rows; i++) {
    const n = String(i).padStart(3, '0');
    out.push(
      `GNLC-2025-DE-${n},"Köln ${i}",Deutschland,` +
        `"**not bold** _nor italic_ <b>&amp;</b> 1. no list  two  spaces 🎓 المدينة ${i} 城市"`,
    );
    if (i === 7) out.push('');
  }
  return `${out.join('\n')}\n`;
}

describe('files (exports) in Teams', () => {
  it('shows a small file whole under its name in the reply card, verbatim', async () => {
    app = await startTeams();
    const u = new TeamsUser(app, { locale: 'en-US' });
    const csv = 'id,city\nGNLC-2025-DE-001,"Köln, *NRW*"\n  indented,<at>x</at>\n';
    const reply: Reply = {
      lang: 'en',
      text: 'Your export is ready.',
      files: [{ name: 'export_2025_DE.csv', mime: 'text/csv', content: csv }],
    };
    vi.spyOn(app.core.assistant, 'handle').mockResolvedValue([reply]);
    const calls = await u.say('export DE');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.activity.text).toBe('Your export is ready.');
    expect(headings([calls[0]!.activity])).toEqual(['export_2025_DE.csv']);
    expect(filesShown([calls[0]!.activity])).toEqual(new Map([['export_2025_DE.csv', csv]]));
  });

  it('splits large files over several messages under the Teams size limit, nothing lost, ids for each', async () => {
    app = await startTeams();
    const u = new TeamsUser(app, { locale: 'en-US' });
    await u.send(u.activity('installationUpdate', { action: 'add' }));
    const csv = bigCsv(400);
    // Minified JSON: one line longer than any message, made of characters outside the BMP.
    const json = JSON.stringify({
      cycle: '2025',
      caps: '🎓'.repeat(12_000),
      cities: Array.from({ length: 300 }, (_, i) => ({ id: i, name: `Città ${i}` })),
    });
    expect(json).not.toContain('\n');
    const reply: Reply = {
      lang: 'en',
      text: 'Export of 2025: 400 applications.',
      context: ['Generated by the GNLC assistant.'],
      files: [
        { name: 'applications.csv', mime: 'text/csv', content: csv },
        { name: 'applications.json', mime: 'application/json', content: json },
      ],
    };
    const before = app.connector.calls.length;
    const posted = await app.channel.notifier.send(`teams:user:${u.aad}`, [reply]);
    const sent = app.connector.calls.slice(before);
    const activities = sent.map((c) => c.activity);

    expect(sent.length).toBeGreaterThan(4);
    expect(posted).toEqual(sent.map((c) => ({ key: `teams:user:${u.aad}`, id: c.id })));
    expect(activities[0].text).toBe(reply.text);
    // Each message as the connector received it (envelope included) is under 28 KB, counted in UTF-16 and UTF-8.
    for (const a of activities) expect(activitySize(a)).toBeLessThanOrEqual(28 * 1024);
    expect(filesShown(activities)).toEqual(
      new Map([
        ['applications.csv', csv],
        ['applications.json', json],
      ]),
    );
    for (const a of activities) for (const card of cardsOf(a)) expect(JSON.stringify(card)).not.toMatch(LONE_SURROGATE);
    // Parts are numbered per file, in order.
    const parts = headings(activities);
    const csvParts = parts.filter((h) => h.startsWith('applications.csv'));
    const jsonParts = parts.filter((h) => h.startsWith('applications.json'));
    expect(csvParts).toEqual(csvParts.map((_, i) => `applications.csv (${i + 1}/${csvParts.length})`));
    expect(jsonParts).toEqual(jsonParts.map((_, i) => `applications.json (${i + 1}/${jsonParts.length})`));
    expect(csvParts.length).toBeGreaterThan(1);
    expect(jsonParts.length).toBeGreaterThan(1);
  });

  it('renders within the budget and without loss whatever the line lengths (unit)', () => {
    const t = (_lang: string, key: string) => key;
    for (const content of [
      '',
      '\n\n',
      'x'.repeat(60_000),
      `${'"\\'.repeat(9_000)}\n${'é'.repeat(20_000)}`,
      `a\n${'界'.repeat(15_000)}\nb`,
    ]) {
      const acts = renderActivities(
        { lang: 'ar', text: 'export', files: [{ name: 'f.json', mime: 'application/json', content }] },
        t,
      );
      for (const a of acts) expect(activitySize(a)).toBeLessThanOrEqual(MAX_ACTIVITY_BYTES);
      expect(filesShown(acts).get('f.json')).toBe(content);
      for (const a of acts) for (const card of cardsOf(a)) expect(cardProblems(card)).toEqual([]);
    }
  });
});

describe('a turn the core fails', () => {
  it('answers 200 with a localized "nothing is lost" message, in the language of the conversation', async () => {
    app = await startTeams();
    const t = app.core.i18n.t;
    const fr = new TeamsUser(app, { locale: 'fr-FR' });
    const handle = vi.spyOn(app.core.assistant, 'handle').mockRejectedValueOnce(new Error('store down'));
    const res = await app.post(fr.activity('message', { text: 'Qui peut postuler ?' }));
    expect(res.status).toBe(200);
    expect(app.connector.messages.map((c) => [c.activity.text, c.activity.locale])).toEqual([
      [t('fr', 'common:error'), 'fr'],
    ]);
    expect(t('fr', 'common:error')).not.toBe(t('en', 'common:error'));
    // The next turn is answered as usual.
    expect((await fr.say('Qui peut postuler ?'))[0]!.activity.text).toBe(
      app.core.assistant.ask('Qui peut postuler ?').answer,
    );

    // A user whose English client has been writing Spanish is told in Spanish.
    const es = new TeamsUser(app, { locale: 'en-US' });
    await es.say('¿Quién puede postular?');
    handle.mockRejectedValueOnce(new Error('boom'));
    const calls = await es.say('¿Cuáles son los beneficios?');
    expect(calls.map((c) => c.activity.text)).toEqual([t('es', 'common:error')]);
  });

  const failedCardAction =
    'answers a card action that failed with a 200 invoke response and the message, and keeps a tracked card pressable';
  it(failedCardAction, async () => {
    app = await startTeams();
    const t = app.core.i18n.t;
    const u = new TeamsUser(app, { locale: 'ru-RU' });
    await u.send(u.activity('installationUpdate', { action: 'add' }));
    const card: Reply = {
      lang: 'ru',
      text: 'Заявка ждёт решения.',
      card: { title: 'GNLC-2025-RU-001', sections: [] },
      actions: [{ id: 'endorse', label: 'Поддержать', value: 'GNLC-2025-RU-001@1' }],
      tracked: true,
    };
    const [posted] = await app.channel.notifier.send(`teams:user:${u.aad}`, [card]);
    const data = findSubmit(cardsOf(app.connector.messages.at(-1)!.activity)[0], 'endorse').data;
    const handle = vi.spyOn(app.core.assistant, 'handle').mockRejectedValueOnce(new Error('boom'));
    const before = app.connector.calls.length;
    const res = await app.post(
      u.activity('invoke', {
        name: 'adaptiveCard/action',
        replyToId: posted!.id,
        value: { action: { type: 'Action.Execute', verb: 'endorse', data } },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: t('ru', 'common:error'),
    });
    expect(app.connector.calls.slice(before).map((c) => [c.method, c.activity.text])).toEqual([
      ['POST', t('ru', 'common:error')],
    ]);

    // Nothing was decided: the same button works again.
    handle.mockResolvedValueOnce([{ lang: 'ru', text: 'Поддержано.' }]);
    const again = await u.submit(posted!.id, data);
    expect(again.map((c) => c.activity.text)).toEqual(['Поддержано.']);
    expect(handle).toHaveBeenCalledTimes(2);
  });
});
