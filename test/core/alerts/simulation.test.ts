import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalNotifier } from '../../../src/channels/local/notifier.ts';
import { INTAKE_ACTIONS } from '../../../src/core/actions.ts';
import { ALERT_ACTIONS } from '../../../src/core/alerts/text.ts';
import { createCore, type Core } from '../../../src/core/create.ts';
import { ENDORSE_ACTIONS } from '../../../src/core/endorsement/decisions.ts';
import { loadRouting } from '../../../src/core/endorsement/routing.ts';
import type { Lang } from '../../../src/core/lang.ts';
import { FAQ_ACTIONS } from '../../../src/core/reply.ts';
import { createLowdbStore } from '../../../src/store/lowdb.ts';
import { answerAll, Chat, validAnswers } from '../../conversation.ts';
import { handClock, inRoom, type LocalMessage } from '../../endorsement-world.ts';

/**
 * A whole call, hour by hour: the 2025 call (city applications 15 May – 15 June, commission deadline
 * 15 July, dates read in Hamburg), from before it opens to after the commission deadline, with
 * applications in every state, people in six languages and several zones, restarts at random hours,
 * second ticks within an hour and a clock that jumps back. Every alert must go out exactly once, at
 * the expected hour, in its recipient's language.
 */

const HOUR = 3600_000;
const START = Date.parse('2025-05-10T00:00:00Z');
const END = Date.parse('2025-07-20T00:00:00Z');

/** A small deterministic PRNG (mulberry32), so the random restart hours are the same on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CONFIG = {
  coordinators: {
    room: { channel: 'local', id: 'coordinators' },
    members: [{ channel: 'local', user: 'coord' }],
    lang: 'en',
  },
  commissions: {
    DE: { room: { channel: 'local', id: 'commission-DE' }, endorsers: [{ channel: 'local', user: 'endo-de' }] },
    KE: {
      room: { channel: 'local', id: 'commission-KE' },
      endorsers: [{ channel: 'local', user: 'endo-ke' }],
      timeZone: 'Africa/Nairobi',
    },
    MX: {
      room: { channel: 'local', id: 'commission-MX' },
      endorsers: [{ channel: 'local', user: 'endo-mx' }],
      lang: 'es',
      timeZone: 'America/Mexico_City',
    },
  },
};

/** The server as it runs at one moment: a core over the data folder; a restart builds a new one. */
function boot(dir: string, configFile: string, clock: ReturnType<typeof handClock>, messages: LocalMessage[]): Core {
  const core = createCore({ clock, store: createLowdbStore(dir), routing: loadRouting(configFile, dir) });
  const local = new LocalNotifier();
  local.attach((m) => messages.push(m));
  core.outbox.add(local);
  return core;
}

describe('alerts through a whole call, hour by hour', () => {
  const everyAlertOnce =
    'sends every expected alert once, at its hour, in its recipient’s language, across restarts and clock jumps';
  it(everyAlertOnce, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-alerts-'));
    const configFile = path.join(dir, 'gnlc.json');
    writeFileSync(configFile, JSON.stringify(CONFIG));
    const clock = handClock(new Date(START).toISOString());
    const messages: LocalMessage[] = [];
    let core = boot(dir, configFile, clock, messages);
    const t = core.i18n.t;
    const chat = (user: string, lang: Lang, zone?: string) => new Chat(core.assistant, user, lang, zone);
    const ids: Record<string, string> = {};

    /** Someone applies for a city of `country`, all in one hour. */
    const apply = async (user: string, lang: Lang, zone: string | undefined, city: string, country: string) => {
      const c = chat(user, lang, zone);
      await c.press(FAQ_ACTIONS.language, lang);
      await c.press(INTAKE_ACTIONS.start);
      await answerAll(c, { ...validAnswers(lang, t), 'city.name': city, 'city.country': country });
      await c.press(INTAKE_ACTIONS.submit);
      await c.press(INTAKE_ACTIONS.yes);
      ids[user] = /GNLC-2025-[A-Z]{2}-\d{3}/.exec(c.text)![0];
    };
    const decide = (endorser: string, room: string, action: string, id: string) =>
      core.assistant.handle(inRoom(endorser, room).press(action, id));
    const reason = (endorser: string, room: string, text: string) =>
      core.assistant.handle(inRoom(endorser, room).say(text));

    // What happens during the call, by hour (UTC).
    const events: Record<string, () => Promise<unknown>> = {
      // A Russian speaker in Moscow asks to be told when the next call opens.
      '2025-05-10T10:00': async () => {
        const c = chat('sub', 'ru', 'Europe/Moscow');
        await c.press(FAQ_ACTIONS.language, 'ru');
        await c.press(ALERT_ACTIONS.subscribe);
      },
      '2025-05-20T10:00': () => apply('ana', 'en', 'Europe/London', 'Leipzig', 'DE'),
      '2025-05-22T10:00': () => apply('bea', 'fr', 'Europe/Paris', 'Bonn', 'DE'),
      '2025-05-25T12:00': () => decide('endo-de', 'commission-DE', ENDORSE_ACTIONS.endorse, ids.ana!),
      // A Spanish speaker in Mexico City starts and leaves a draft.
      '2025-05-28T16:00': async () => {
        const c = chat('carlos', 'es', 'America/Mexico_City');
        await c.press(FAQ_ACTIONS.language, 'es');
        await c.press(INTAKE_ACTIONS.start);
        await c.say('Puebla');
      },
      // A Chinese speaker in Shanghai starts a draft (finished after the first reminder).
      '2025-05-30T03:00': async () => {
        const c = chat('dong', 'zh', 'Asia/Shanghai');
        await c.press(FAQ_ACTIONS.language, 'zh');
        await c.press(INTAKE_ACTIONS.start);
        await c.say('Nakuru');
      },
      // An Arabic speaker in Riyadh starts a draft, then stops alerts.
      '2025-05-31T08:00': async () => {
        const c = chat('eve', 'ar', 'Asia/Riyadh');
        await c.press(FAQ_ACTIONS.language, 'ar');
        await c.press(INTAKE_ACTIONS.start);
        await c.say('Jeddah');
        await c.press(ALERT_ACTIONS.stop);
      },
      '2025-06-01T09:00': () => apply('fay', 'en', undefined, 'Mombasa', 'KE'),
      // No commission is set up for Brazil yet.
      '2025-06-02T09:00': () => apply('hal', 'en', 'America/Sao_Paulo', 'Curitiba', 'BR'),
      '2025-06-03T09:00': async () => {
        await decide('endo-ke', 'commission-KE', ENDORSE_ACTIONS.decline, ids.fay!);
        await reason('endo-ke', 'commission-KE', 'The city is not in Kenya.');
      },
      '2025-06-10T04:00': async () => {
        const c = chat('dong', 'zh', 'Asia/Shanghai');
        await c.press(INTAKE_ACTIONS.start);
        await answerAll(c, { ...validAnswers('zh', t), 'city.country': 'KE' });
        await c.press(INTAKE_ACTIONS.submit);
        await c.press(INTAKE_ACTIONS.yes);
        ids.dong = /GNLC-2025-KE-\d{3}/.exec(c.text)![0];
      },
      '2025-06-12T09:00': async () => {
        await decide('endo-ke', 'commission-KE', ENDORSE_ACTIONS.return, ids.dong!);
        await reason('endo-ke', 'commission-KE', 'Please add the population figures.');
      },
      // Dong reopens the returned application and never resubmits it.
      '2025-06-12T10:00': () => chat('dong', 'zh', 'Asia/Shanghai').press(ENDORSE_ACTIONS.reopen, ids.dong),
      '2025-06-14T12:00': () => apply('gus', 'es', 'America/Mexico_City', 'Oaxaca', 'MX'),
      // A coordinator makes a room Brazil's commission room: the card that never went out follows.
      '2025-06-20T11:00': () => core.assistant.handle(inRoom('coord', 'commission-BR').say('register commission BR')),
    };

    const sent: { key: string; at: string; lang: string; text: string }[] = [];
    const run = async (at: number) => {
      clock.set(new Date(at).toISOString());
      for (const line of await core.alerts.run()) {
        expect(line.outcome, line.key).toBe('sent');
        sent.push({ key: line.key, at: new Date(at).toISOString().slice(0, 13), lang: line.lang, text: line.text });
      }
    };

    const random = prng(20250515);
    let restarts = 0;
    for (let at = START; at < END; at += HOUR) {
      clock.set(new Date(at).toISOString());
      const stamp = new Date(at).toISOString().slice(0, 16);
      // The server is killed and restarted at random hours (a new store and core over the same folder).
      if (random() < 0.015) {
        core = boot(dir, configFile, clock, messages);
        restarts++;
      }
      await events[stamp]?.();
      await run(at);
      // Now and then a second tick within the hour, and a clock that jumps back an hour and forward again.
      const r = random();
      if (r < 0.05) await run(at + 20 * 60_000);
      else if (r < 0.08) {
        await run(at - HOUR);
        await run(at);
      }
    }
    expect(restarts).toBeGreaterThan(10);

    const coord = 'local:room:coordinators';
    const digests = [
      '2025-05-19',
      '2025-05-26',
      '2025-06-02',
      '2025-06-09',
      '2025-06-16',
      '2025-06-23',
      '2025-06-30',
      '2025-07-07',
      '2025-07-14',
    ];
    // Berlin is UTC+2 in summer, Moscow +3, Mexico City −6 (no DST since 2022), Shanghai +8.
    const expected: Record<string, string> = {
      'subscriber.opens/2025/local:user:sub/2025-05-15': '2025-05-15T06',
      [`coord.opens/2025/${coord}/2025-05-15`]: '2025-05-15T07',
      ...Object.fromEntries(digests.map((d) => [`coord.digest/2025/${coord}/${d}`, `${d}T07`])),
      [`coord.escalation/2025/${coord}/2025-05-22/${ids.bea}@1`]: '2025-06-05T10',
      [`coord.closes.7d/2025/${coord}/2025-06-15`]: '2025-06-08T07',
      [`coord.closes.1d/2025/${coord}/2025-06-15`]: '2025-06-14T07',
      'applicant.draft.7d/2025/local:user:carlos/2025-06-15': '2025-06-08T15',
      'applicant.draft.1d/2025/local:user:carlos/2025-06-15': '2025-06-14T15',
      'applicant.draft.7d/2025/local:user:dong/2025-06-15': '2025-06-09T01',
      [`coord.escalation/2025/${coord}/2025-06-02/${ids.hal}@1`]: '2025-06-16T09',
      [`commission.card/2025/local:room:commission-BR/2025-06-02/${ids.hal}@1`]: '2025-06-20T11',
      [`coord.escalation/2025/${coord}/2025-06-14/${ids.gus}@1`]: '2025-06-28T12',
      [`coord.commission.7d/2025/${coord}/2025-07-15`]: '2025-07-08T07',
      [`coord.commission.1d/2025/${coord}/2025-07-15`]: '2025-07-14T07',
      'commission.deadline.7d/2025/local:room:commission-DE/2025-07-15': '2025-07-08T07',
      'commission.deadline.1d/2025/local:room:commission-DE/2025-07-15': '2025-07-14T07',
      'commission.deadline.7d/2025/local:room:commission-BR/2025-07-15': '2025-07-08T07',
      'commission.deadline.1d/2025/local:room:commission-BR/2025-07-15': '2025-07-14T07',
      'commission.deadline.7d/2025/local:room:commission-MX/2025-07-15': '2025-07-08T15',
      'commission.deadline.1d/2025/local:room:commission-MX/2025-07-15': '2025-07-14T15',
      [`applicant.resubmit.7d/2025/local:user:dong/2025-07-15/${ids.dong}`]: '2025-07-09T01',
      [`applicant.resubmit.1d/2025/local:user:dong/2025-07-15/${ids.dong}`]: '2025-07-15T01',
    };

    // Each once…
    const keys = sent.map((s) => s.key);
    expect(
      keys.filter((k, i) => keys.indexOf(k) !== i),
      'sent twice',
    ).toEqual([]);
    // …exactly the expected ones, each at its hour.
    expect(Object.fromEntries(sent.map((s) => [s.key, s.at]))).toEqual(expected);

    // In the recipients' languages, with deadlines on their own clocks.
    const get = (key: string) => sent.find((s) => s.key === key)!;
    expect(get('subscriber.opens/2025/local:user:sub/2025-05-15').lang).toBe('ru');
    const carlos = get('applicant.draft.7d/2025/local:user:carlos/2025-06-15');
    expect(carlos.lang).toBe('es');
    expect(carlos.text).toContain('15:59'); // 23:59 in Hamburg is 15:59 in Mexico City.
    expect(carlos.text).toContain('Puebla');
    const dong = get('applicant.draft.7d/2025/local:user:dong/2025-06-15');
    expect(dong.lang).toBe('zh');
    expect(dong.text).toContain('5:59'); // 16 June 05:59 in Shanghai.
    expect(get('commission.deadline.7d/2025/local:room:commission-MX/2025-07-15').lang).toBe('es');
    // The commission's reminder repeats the waiting cards with their buttons; a press on one still decides.
    const roomDE = get('commission.deadline.1d/2025/local:room:commission-DE/2025-07-15');
    expect(roomDE.text).toContain('Bonn');
    const reminded = messages.filter(
      (m) => m.room === 'commission-DE' && m.reply.tracked && m.reply.text.includes('Bonn'),
    );
    expect(reminded.at(-1)!.reply.actions?.map((a) => a.id)).toEqual([
      ENDORSE_ACTIONS.endorse,
      ENDORSE_ACTIONS.return,
      ENDORSE_ACTIONS.decline,
    ]);
    // The digest counts per country (after the Brazilian registration: DE 1 endorsed + 1 pending …).
    const digest = get(`coord.digest/2025/${coord}/2025-07-14`).text;
    expect(digest).toMatch(/Germany \(DE\): drafts 0 · submitted 2 · endorsed 1 · returned 0 · declined 0 · pending 1/);
    expect(digest).toMatch(/Kenya \(KE\): drafts 0 · submitted 2 · endorsed 0 · returned 1 · declined 1 · pending 0/);
    // The coordinators' deadline alert has pending counts per country.
    expect(get(`coord.commission.1d/2025/${coord}/2025-07-15`).text).toMatch(
      /Brazil \(BR\): 1[\s\S]*Germany \(DE\): 1[\s\S]*Mexico \(MX\): 1/,
    );

    // A press on a reminder's card still decides (before the deadline), and every copy of the card is redrawn.
    clock.set('2025-07-15T12:00:00Z');
    await decide('endo-de', 'commission-DE', ENDORSE_ACTIONS.endorse, ids.bea!);
    const cards = new Map<string, LocalMessage>();
    for (const m of messages.filter((x) => x.room === 'commission-DE' && x.reply.tracked)) cards.set(m.id, m);
    const beaCards = [...cards.values()].filter((m) => m.reply.text.includes('Bonn'));
    expect(beaCards.length).toBe(3); // the first post and the two reminders
    for (const m of beaCards) expect(m.reply.actions ?? []).toEqual([]);
  }, 120_000);
});
