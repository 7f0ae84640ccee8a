import { describe, expect, it } from 'vitest';
import { loadCalls } from '../../../src/core/calls/schema.ts';
import { daysUntil, endOf, phaseAt, startOf } from '../../../src/core/calls/engine.ts';
import { DATA_DIR } from '../../../src/core/faq/schema.ts';
import { formatZone } from '../../../src/core/calls/format.ts';
import { coreAt } from '../../helpers.ts';

const calls = loadCalls(DATA_DIR);

/**
 * Every date in data/calls.json, probed at 23:30 and 00:30 Hamburg time around its boundary.
 * Instants are written in UTC by hand (CEST = UTC+2 in summer, CET = UTC+1 in winter), so the
 * table does not reuse the engine's own time-zone arithmetic.
 */
const table: [string, string, string, string][] = [
  // instant (UTC)          Hamburg local time       cycle   phase
  ['2021-08-31T21:30:00Z', '31 Aug 2021 23:30 CEST', '2021', 'upcoming'],
  ['2021-08-31T22:30:00Z', '1 Sep 2021 00:30 CEST', '2021', 'open'],
  ['2021-11-01T22:30:00Z', '1 Nov 2021 23:30 CET', '2021', 'open'],
  ['2021-11-01T23:30:00Z', '2 Nov 2021 00:30 CET', '2021', 'endorsement'],
  ['2022-02-28T22:30:00Z', '28 Feb 2022 23:30 CET', '2021', 'endorsement'],
  ['2022-02-28T23:30:00Z', '1 Mar 2022 00:30 CET', '2025', 'upcoming'],
  ['2025-05-14T21:30:00Z', '14 May 2025 23:30 CEST', '2025', 'upcoming'],
  ['2025-05-14T22:30:00Z', '15 May 2025 00:30 CEST', '2025', 'open'],
  ['2025-06-15T21:30:00Z', '15 Jun 2025 23:30 CEST', '2025', 'open'],
  ['2025-06-15T22:30:00Z', '16 Jun 2025 00:30 CEST', '2025', 'endorsement'],
  ['2025-07-15T21:30:00Z', '15 Jul 2025 23:30 CEST', '2025', 'endorsement'],
  ['2025-07-15T22:30:00Z', '16 Jul 2025 00:30 CEST', '2025', 'closed'],
  ['2026-11-21T09:00:00Z', 'a day with no call announced', '2025', 'closed'],
  ['2019-01-01T00:00:00Z', 'long before any call', '2021', 'upcoming'],
];

describe('phaseAt', () => {
  it.each(table)('%s (%s) is call %s, phase %s', (instant, _local, cycle, phase) => {
    const info = phaseAt(calls, new Date(instant));
    expect({ cycle: info.call.id, phase: info.phase }).toEqual({ cycle, phase });
  });

  it('reads dates in the call zone, whatever the machine zone is', () => {
    expect(process.env.TZ).toBe('Pacific/Kiritimati');
    expect(startOf('2025-05-15', 'Europe/Berlin').toISOString()).toBe('2025-05-14T22:00:00.000Z');
    expect(endOf('2025-06-15', 'Europe/Berlin').toISOString()).toBe('2025-06-15T22:00:00.000Z');
    // The last Sunday of October is 25 hours long in Hamburg.
    expect(endOf('2021-10-31', 'Europe/Berlin').toISOString()).toBe('2021-10-31T23:00:00.000Z');
  });
});

describe('daysUntil', () => {
  it('counts calendar days in the call zone', () => {
    expect(daysUntil('2025-06-15', new Date('2025-06-10T12:00:00Z'), 'Europe/Berlin')).toBe(5);
    // 23:30 on the closing day: the deadline is today.
    expect(daysUntil('2025-06-15', new Date('2025-06-15T21:30:00Z'), 'Europe/Berlin')).toBe(0);
    // 00:30 on the 15th in Hamburg is still the 14th in UTC: it is the day itself in Hamburg.
    expect(daysUntil('2025-06-15', new Date('2025-06-14T22:30:00Z'), 'Europe/Berlin')).toBe(0);
    expect(daysUntil('2025-06-15', new Date('2025-06-14T21:30:00Z'), 'Europe/Berlin')).toBe(1);
  });

  it('turns at local midnight in zones a quarter or three quarters of an hour off UTC (its cache keys on them)', () => {
    // Nepal is UTC+5:45: 15 June begins at 18:15 UTC on the 14th, one minute either side of it.
    expect(daysUntil('2025-06-15', new Date('2025-06-14T18:14:00Z'), 'Asia/Kathmandu')).toBe(1);
    expect(daysUntil('2025-06-15', new Date('2025-06-14T18:15:00Z'), 'Asia/Kathmandu')).toBe(0);
    // Eucla is UTC+8:45: 15 June begins at 15:15 UTC on the 14th; asked again in the same quarter hour.
    expect(daysUntil('2025-06-15', new Date('2025-06-14T15:14:59Z'), 'Australia/Eucla')).toBe(1);
    expect(daysUntil('2025-06-15', new Date('2025-06-14T15:15:00Z'), 'Australia/Eucla')).toBe(0);
    expect(daysUntil('2025-06-15', new Date('2025-06-14T15:29:59Z'), 'Australia/Eucla')).toBe(0);
    // India is UTC+5:30: 14 June begins at 18:30 UTC on the 13th.
    expect(daysUntil('2025-07-01', new Date('2025-06-13T18:29:00Z'), 'Asia/Kolkata')).toBe(18);
    expect(daysUntil('2025-07-01', new Date('2025-06-13T18:30:00Z'), 'Asia/Kolkata')).toBe(17);
  });
});

describe('deadline answers are computed, localized and state the time zone', () => {
  const expected = {
    en: ['15 June 2025', 'in 5 days'],
    fr: ['15 juin 2025', 'dans 5 jours'],
    es: ['15 de junio de 2025', 'dentro de 5 días'],
    ru: ['15 июня 2025', 'через 5 дней'],
    zh: ['2025年6月15日', '5天后'],
    ar: ['يونيو', '5'],
  } as const;
  const core = coreAt('2025-06-10T12:00:00Z');
  it.each(Object.entries(expected))('in %s', (lang, parts) => {
    const r = core.assistant.ask('deadline', { lang: lang as keyof typeof expected });
    expect(r.faqId).toBe('deadline');
    for (const p of parts) expect(r.answer).toContain(p);
    expect(r.answer).toContain(core.i18n.t(r.lang, 'calls:tz_assumed', { zone: formatZone('Europe/Berlin', r.lang) }));
    expect(r.facts).toEqual({
      cycle: '2025',
      phase: 'open',
      opens: '2025-05-15',
      closes: '2025-06-15',
      commissionDeadline: '2025-07-15',
    });
  });

  it('says "tomorrow" the day before and shows the deadline in the user zone', () => {
    const r = coreAt('2025-06-14T10:00:00Z').assistant.ask('When do applications close?', { timeZone: 'Asia/Tokyo' });
    expect(r.answer).toContain('tomorrow');
    expect(r.answer).toContain('(Japan Standard Time)');
    expect(r.answer).toContain('16 June 2025 at 06:59');
  });

  it('says plainly when no call is open and none is announced, and what to do', () => {
    const r = coreAt('2026-11-21T09:00:00Z').assistant.ask('When is the next deadline?');
    expect(r.facts?.phase).toBe('closed');
    expect(r.answer).toContain('no new call has been announced');
    expect(r.answer).toContain('learningcities@unesco.org');
  });

  it('gives the commission deadline during the endorsement phase', () => {
    const r = coreAt('2025-06-20T10:00:00Z').assistant.ask(
      'By when must the National Commission forward applications?',
    );
    expect(r.faqId).toBe('commission-deadline');
    expect(r.answer).toContain('15 July 2025');
    expect(r.answer).toContain('in 25 days');
    expect(r.facts?.phase).toBe('endorsement');
  });

  it('mentions the 2021 extension', () => {
    const r = coreAt('2021-12-01T10:00:00Z').assistant.ask('When is the deadline?');
    expect(r.facts).toMatchObject({ cycle: '2021', phase: 'endorsement', commissionDeadline: null });
    expect(r.answer).toContain('28 February 2022');
  });
});
