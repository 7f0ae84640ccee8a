import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseActionId } from '../../../src/channels/slack/blocks.ts';
import { unescapeMrkdwn } from '../../../src/channels/slack/mrkdwn.ts';
import { FIELDS } from '../../../src/core/application/form.ts';
import { formatDaysFromNow, formatDeadlineIn } from '../../../src/core/calls/format.ts';
import type { Lang } from '../../../src/core/lang.ts';
import { createLowdbStore } from '../../../src/store/lowdb.ts';
import { handClock } from '../../endorsement-world.ts';
import { limitErrors, typeErrors, type Sent } from './block-kit-check.ts';
import type { ApiCall } from './fake-slack.ts';
import { ROUTING, SlackHarness } from './harness.ts';

/**
 * Deadline alerts over the real Slack channel: the real Bolt App and HTTP receiver on 127.0.0.1, with
 * only Slack's Web API faked. Each scenario gets its own store and a hand clock that is moved to the
 * alerts' due instants (explicit 2025 instants: nothing here reads today's date).
 */

const harnesses: SlackHarness[] = [];
afterAll(async () => {
  for (const h of harnesses) await h.close();
});

/** The Slack harness with a hand clock (SlackHarness.start's clock is fixed), with the default ROUTING. */
async function start(at: string) {
  const clock = handClock(at);
  const store = createLowdbStore(mkdtempSync(path.join(tmpdir(), 'gnlc-slack-alerts-')));
  const h = await SlackHarness.create({ clock, store });
  harnesses.push(h);
  await h.listen();
  return { h, clock };
}

const dmOf = (user: string) => `D${user.slice(1)}`;
/**
 * chat.postMessage calls since call index `from` addressed to `channel` (as the app named it),
 * failed attempts included.
 */
const postsTo = (h: SlackHarness, channel: string, from = 0): ApiCall[] =>
  h.api.calls.slice(from).filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
/** Messages Slack accepted (it answered with a channel and ts) that landed in `channel`, since call index `from`. */
const landedIn = (h: SlackHarness, channel: string, from = 0): ApiCall[] =>
  h.api.calls.slice(from).filter((c) => c.method === 'chat.postMessage' && c.posted?.channel === channel);
/** The buttons of a posted payload, as the core's action id, Slack action id, label, value and style. */
const buttonsOf = (blocks: unknown) =>
  ((blocks as any[]) ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements)
    .map((e: any) => ({
      id: parseActionId(e.action_id)?.id,
      actionId: e.action_id as string,
      label: e.text.text as string,
      value: e.value as string,
      style: e.style as string | undefined,
    }));

/** The whole text of an applicant's draft reminder, written from the locale files and the date formatters. */
function draftText(h: SlackHarness, lang: Lang, zone: string, city: string, days: number): string {
  const t = h.core.i18n.t;
  const deadline = t(lang, 'alerts:your_time', { at: formatDeadlineIn('2025-06-15', 'Europe/Berlin', zone, lang) });
  const body = t(lang, 'alerts:applicant.draft_city', {
    call: '2025',
    city,
    when: formatDaysFromNow(days, lang),
    deadline,
  });
  return `${body}\n\n${t(lang, 'alerts:applicant.footer')}`;
}

const COORD_7D = `coord.closes.7d/2025/slack:room:${ROUTING.coordinatorsRoom}/2025-06-15`;

describe('an applicant’s draft reminder in their Slack DM', () => {
  const MX = 'UMEXICO';
  const TK = 'UTOKYO';

  const reminderOnTheirClock =
    'arrives at 09:00 on their own clock, in their language, with the deadline on their clock; its buttons work; ' +
    'Stop alerts holds';
  it(reminderOnTheirClock, async () => {
    const { h, clock } = await start('2025-06-01T15:00:00Z');
    const t = h.core.i18n.t;
    h.api.profiles.set(MX, { locale: 'es-MX', tz: 'America/Mexico_City', name: 'Lupita' });
    h.api.profiles.set(TK, { locale: 'en-US', tz: 'Asia/Tokyo', name: 'Kenji' });

    // Both start the form in their DM and answer the city name, then leave the draft.
    await h.say(MX, 'quiero postular');
    await h.say(MX, 'Guadalajara');
    await h.say(TK, 'I want to apply');
    await h.say(TK, 'Sendai');
    expect(await h.store.conversations.get(`slack:${MX}`)).toMatchObject({
      timeZone: 'America/Mexico_City',
      lang: { last: 'es' },
      intake: { mode: 'filling', field: 'city.country', answers: { 'city.name': 'Guadalajara' } },
    });
    expect(await h.store.conversations.get(`slack:${TK}`)).toMatchObject({
      timeZone: 'Asia/Tokyo',
      intake: { field: 'city.country', answers: { 'city.name': 'Sendai' } },
    });

    // 7 days before 15 June as Mexico City sees it: 8 June, 09:00 there (UTC−6) = 15:00Z.
    // A minute earlier nothing is due for them.
    const mxKey = `applicant.draft.7d/2025/slack:user:${MX}/2025-06-15`;
    expect(
      (await h.core.alerts.run({ now: new Date('2025-06-08T14:59:00Z'), dryRun: true })).map((l) => l.key),
    ).not.toContain(mxKey);
    clock.set('2025-06-08T15:00:00Z');
    const from = h.api.calls.length;
    const lines = await h.core.assistant.alerts.run();
    // The coordinators' 7-day alert (due at 07:00Z) goes out in the same run; Tokyo's is not due yet.
    expect(lines.map((l) => [l.key, l.outcome])).toEqual([
      [COORD_7D, 'sent'],
      [mxKey, 'sent'],
    ]);
    const mxLine = lines.find((l) => l.key === mxKey)!;
    expect(mxLine).toMatchObject({
      rule: 'applicant.draft.7d',
      call: '2025',
      to: { channel: 'slack', kind: 'user', id: MX },
      lang: 'es',
    });

    // Posted once, by chat.postMessage to the user id (as SlackNotifier does for slack:user:<id>):
    // it lands in their DM.
    const [post, ...more] = postsTo(h, MX, from);
    expect(more).toEqual([]);
    expect(post!.posted!.channel).toBe(dmOf(MX));
    const text = unescapeMrkdwn(String(post!.args.text));
    expect(text).toBe(mxLine.text);
    expect(text).toBe(draftText(h, 'es', 'America/Mexico_City', 'Guadalajara', 7));
    // 23:59 in Hamburg is 15:59 in Mexico City, said in Spanish and marked as their time.
    expect(text).toContain('Guadalajara');
    expect(text).toContain('15 de junio de 2025');
    expect(text).toContain('15:59 (su hora local)');
    expect(text).not.toContain('23:59');
    expect(buttonsOf(post!.args.blocks)).toEqual([
      {
        id: 'apply',
        actionId: expect.stringMatching(/^gnlc:apply:\d+$/),
        label: 'Continuar mi solicitud',
        value: 'apply',
        style: 'primary',
      },
      {
        id: 'alerts_stop',
        actionId: expect.stringMatching(/^gnlc:alerts_stop:\d+$/),
        label: 'Detener las alertas',
        value: 'alerts_stop',
        style: undefined,
      },
    ]);
    expect(await h.store.alerts.get(mxKey)).toMatchObject({ state: 'sent', attempts: 1, to: `slack:user:${MX}` });

    // They press "Continuar mi solicitud" on the reminder (a signed block_actions request):
    // the form goes on at the next question.
    const reminder = h.shown(dmOf(MX)).find((m) => m.ts === post!.posted!.ts)!;
    const beforePress = h.api.calls.length;
    expect(await h.press(MX, dmOf(MX), (c) => c.message.ts === reminder.ts && c.id === 'apply')).toBe(true);
    const replies = h.textsSince(beforePress, dmOf(MX));
    expect(replies).toHaveLength(2);
    expect(replies[0]).toBe(t('es', 'form:resume', { answered: 1, count: FIELDS.length }));
    expect(replies[1]).toContain(t('es', 'form:fields.city.country.prompt', { city: 'Guadalajara' }));
    expect((await h.store.conversations.get(`slack:${MX}`))?.intake).toMatchObject({
      mode: 'filling',
      field: 'city.country',
    });
    // The reminder now says what was chosen, and its buttons are gone.
    const resolved = h.shown(dmOf(MX)).find((m) => m.ts === reminder.ts)!;
    expect(buttonsOf(resolved.blocks)).toEqual([]);
    expect(JSON.stringify(resolved.blocks)).toContain('✓ Continuar mi solicitud');

    // A second press on that reminder (its "Detener las alertas", from a client still showing the old buttons)
    // is dropped like every second press of an untracked message: nothing is posted, alerts stay on.
    const stale = buttonsOf(post!.args.blocks).find((b) => b.id === 'alerts_stop')!;
    const stopElement = (post!.args.blocks as any[])
      .flatMap((b) => b.elements ?? [])
      .find((e: any) => e.action_id === stale.actionId);
    const beforeStale = h.api.calls.length;
    const res = await h.slack.press(MX, stopElement, {
      channel: dmOf(MX),
      message: {
        type: 'message',
        user: 'UBOT',
        bot_id: 'BBOT',
        ts: reminder.ts,
        text: reminder.text,
        blocks: reminder.blocks,
      },
    });
    expect(res.status).toBe(200);
    await h.settle();
    expect(h.api.calls.length).toBe(beforeStale);
    expect((await h.store.conversations.get(`slack:${MX}`))?.alerts).toBeUndefined();

    // Tokyo: 16 June there begins before Hamburg's 15 June ends, so their last day is the 16th and their
    // 7-day reminder is 9 June, 09:00 JST = 00:00Z.
    const tkKey = `applicant.draft.7d/2025/slack:user:${TK}/2025-06-15`;
    const tk1d = `applicant.draft.1d/2025/slack:user:${TK}/2025-06-15`;
    clock.set('2025-06-09T00:00:00Z');
    const tkFrom = h.api.calls.length;
    const tkLines = await h.core.alerts.run();
    expect(tkLines.map((l) => [l.key, l.outcome, l.lang])).toEqual([[tkKey, 'sent', 'en']]);
    const [tkPost, ...tkMore] = postsTo(h, TK, tkFrom);
    expect(tkMore).toEqual([]);
    const tkText = unescapeMrkdwn(String(tkPost!.args.text));
    expect(tkText).toBe(tkLines[0]!.text);
    expect(tkText).toBe(draftText(h, 'en', 'Asia/Tokyo', 'Sendai', 7));
    expect(tkText).toContain('16 June 2025 at 06:59, your time');
    expect(buttonsOf(tkPost!.args.blocks).map((b) => [b.id, b.label])).toEqual([
      ['apply', 'Continue my application'],
      ['alerts_stop', 'Stop alerts'],
    ]);

    // Their 1-day reminder is scheduled (15 June, 09:00 JST) until they press "Stop alerts" on this reminder.
    const planned = (await h.core.alerts.plan()).find((p) => p.candidate.key === tk1d);
    expect(planned?.at.toISOString()).toBe('2025-06-15T00:00:00.000Z');
    const beforeStop = h.api.calls.length;
    expect(await h.press(TK, dmOf(TK), (c) => c.message.ts === tkPost!.posted!.ts && c.id === 'alerts_stop')).toBe(
      true,
    );
    expect(h.textsSince(beforeStop, dmOf(TK))).toEqual([t('en', 'alerts:stopped')]);
    expect((await h.store.conversations.get(`slack:${TK}`))?.alerts).toEqual({ off: true });
    expect(JSON.stringify(h.shown(dmOf(TK)).find((m) => m.ts === tkPost!.posted!.ts)!.blocks)).toContain(
      '✓ Stop alerts',
    );
    expect((await h.core.alerts.plan()).map((p) => p.candidate.key)).not.toContain(tk1d);
    const afterStop = h.api.calls.length;

    // Mexico City's 1-day reminder (14 June, 09:00 there = 15:00Z) still comes:
    // the draft is unfinished and alerts are on.
    clock.set('2025-06-14T15:00:00Z');
    const mx1d = await h.core.alerts.run();
    expect(mx1d.map((l) => [l.key, l.outcome])).toEqual([
      [`coord.closes.1d/2025/slack:room:${ROUTING.coordinatorsRoom}/2025-06-15`, 'sent'],
      [`applicant.draft.1d/2025/slack:user:${MX}/2025-06-15`, 'sent'],
    ]);
    expect(unescapeMrkdwn(String(postsTo(h, MX, afterStop).at(-1)!.args.text))).toBe(
      draftText(h, 'es', 'America/Mexico_City', 'Guadalajara', 1),
    );

    // At Tokyo's 1-day instant nothing is due, and nothing is posted to them.
    clock.set('2025-06-15T00:00:00Z');
    expect(await h.core.alerts.run()).toEqual([]);
    expect(postsTo(h, TK, afterStop)).toEqual([]);
    expect(landedIn(h, dmOf(TK), afterStop)).toEqual([]);
    expect(await h.store.alerts.get(tk1d)).toBeUndefined();
  });
});

describe('the coordinators’ alert in their Slack room', () => {
  const room = ROUTING.coordinatorsRoom;

  const rateLimitedOnce =
    'waits out a 429 with Retry-After and arrives exactly once; a second run at the same instant sends nothing';
  it(rateLimitedOnce, async () => {
    // 7 days before 15 June, 09:00 in Hamburg (the call's zone; the routing gives the coordinators none).
    const { h } = await start('2025-06-08T07:00:00Z');
    h.api.failNext('chat.postMessage', {
      status: 429,
      headers: { 'retry-after': '1' },
      body: { ok: false, error: 'ratelimited' },
    });
    const t0 = Date.now();
    const lines = await h.core.alerts.run();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(lines).toEqual([
      {
        key: COORD_7D,
        rule: 'coord.closes.7d',
        call: '2025',
        to: { channel: 'slack', kind: 'room', id: room },
        lang: 'en',
        text: h.core.i18n.t('en', 'alerts:coord.closes', {
          call: '2025',
          when: formatDaysFromNow(7, 'en'),
          date: '15 June 2025',
          zone: 'Central European Time',
          submitted: 0,
          drafts: 0,
        }),
        outcome: 'sent',
      },
    ]);
    expect(lines[0]!.text).toContain('close in 7 days');

    // Two attempts reached Slack: the rate-limited one and the retry, which Slack accepted.
    const attempts = postsTo(h, room);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.posted).toBeUndefined();
    expect(attempts[1]!.posted?.channel).toBe(room);
    expect(attempts[1]!.args).toEqual(attempts[0]!.args);
    expect(h.shown(room).map((m) => unescapeMrkdwn(m.text))).toEqual([lines[0]!.text]);
    expect(buttonsOf(attempts[1]!.args.blocks)).toEqual([]);
    expect(await h.store.alerts.get(COORD_7D)).toMatchObject({
      state: 'sent',
      attempts: 1,
      rule: 'coord.closes.7d',
      to: `slack:room:${room}`,
    });

    const calls = h.api.calls.length;
    expect(await h.core.alerts.run()).toEqual([]);
    expect(await h.core.alerts.run({ now: new Date('2025-06-08T07:00:00Z') })).toEqual([]);
    expect(h.api.calls.length).toBe(calls);
    expect(h.shown(room)).toHaveLength(1);
  });

  it('reports channel_not_found as failed (not_reachable), waits until retryAt, then sends it once', async () => {
    const { h, clock } = await start('2025-06-08T07:00:00Z');
    h.api.failNext('chat.postMessage', { status: 200, body: { ok: false, error: 'channel_not_found' } });
    const failed = await h.core.alerts.run();
    expect(failed.map((l) => [l.key, l.outcome, l.error])).toEqual([[COORD_7D, 'failed', 'not_reachable']]);
    // Slack's platform error is final for that call: one attempt, nothing shown.
    expect(postsTo(h, room)).toHaveLength(1);
    expect(h.shown(room)).toEqual([]);

    const record = (await h.store.alerts.get(COORD_7D))!;
    expect(record).toMatchObject({ state: 'failed', attempts: 1, error: 'not_reachable' });
    expect(record.retryAt).toBeDefined();
    const retryAt = Date.parse(record.retryAt!);
    expect(retryAt).toBeGreaterThan(Date.parse('2025-06-08T07:00:00Z'));
    expect(retryAt).toBe(Date.parse('2025-06-08T07:15:00Z'));

    // Before retryAt: nothing is tried.
    clock.set(new Date(retryAt - 1000).toISOString());
    const calls = h.api.calls.length;
    expect(await h.core.alerts.run()).toEqual([]);
    expect(h.api.calls.length).toBe(calls);

    // After retryAt, with the room reachable again: sent once.
    clock.set(new Date(retryAt + 60_000).toISOString());
    const sent = await h.core.alerts.run();
    expect(sent.map((l) => [l.key, l.outcome, l.error])).toEqual([[COORD_7D, 'sent', undefined]]);
    expect(postsTo(h, room)).toHaveLength(2);
    expect(h.shown(room).map((m) => unescapeMrkdwn(m.text))).toEqual([sent[0]!.text]);
    const done = (await h.store.alerts.get(COORD_7D))!;
    expect(done).toMatchObject({ state: 'sent', attempts: 2 });
    expect(done.retryAt).toBeUndefined();
    expect(await h.core.alerts.run()).toEqual([]);
    expect(postsTo(h, room)).toHaveLength(2);
  });
});

describe('every payload posted in this file', () => {
  it('passes the Block Kit type check (@slack/types) and Slack’s size limits', () => {
    const sent: Sent[] = harnesses.flatMap((h) => h.sent());
    // The alerts (two draft reminders in two DMs, the 1-day one, the coordinators' alerts) and the form's messages.
    const alerts = harnesses.flatMap((h) =>
      h.api.of('chat.postMessage').filter((c) => /^(U|C0COORD$)/.test(String(c.args.channel))),
    );
    expect(alerts.length).toBeGreaterThanOrEqual(9);
    expect(sent.length).toBeGreaterThan(alerts.length);
    expect(limitErrors(sent)).toEqual([]);
    expect(typeErrors(sent)).toEqual([]);
  });
});
