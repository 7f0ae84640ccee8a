import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTAKE_ACTIONS } from '../../../src/core/actions.ts';
import type { Lang } from '../../../src/core/lang.ts';
import { FAQ_ACTIONS } from '../../../src/core/reply.ts';
import { EXPECTED_RECORD, validAnswers } from '../../conversation.ts';
import { limitErrors, typeErrors, type Sent } from './block-kit-check.ts';
import { sign } from './fake-slack.ts';
import { ROUTING, SECRET, SlackHarness } from './harness.ts';

/** Every payload sent in this file, checked against @slack/types and Slack's limits at the end. */
const sent: Sent[] = [];
let h: SlackHarness;

beforeAll(async () => {
  h = await SlackHarness.start();
});
afterAll(async () => {
  sent.push(...h.sent());
  await h.close();
  expect(limitErrors(sent)).toEqual([]);
  expect(typeErrors(sent)).toEqual([]);
});

const t = (lang: Lang, key: string, vars?: Record<string, unknown>) => h.core.i18n.t(lang, key, vars);
const dmOf = (user: string) => `D${user.slice(1)}`;

describe.each([
  ['fr', 'fr-FR', 'Europe/Paris'],
  ['zh', 'zh-CN', 'Asia/Shanghai'],
] as const)('a whole application in a Slack DM in %s', (lang, locale, tz) => {
  it('fills the form with typed answers, buttons and menus, reviews, submits and stores it once', async () => {
    const user = `U${lang.toUpperCase()}APPLICANT`;
    const dm = dmOf(user);
    h.api.profiles.set(user, { locale, tz });
    const answers = validAnswers(lang, h.core.i18n.t);

    // The very first message says nothing of its language: the answer is in the user's Slack locale.
    await h.slack.dm(user, '👋 ?');
    await h.settle();
    expect(h.textsSince(0, dm).at(-1)).toContain(t(lang, 'common:unknown'));
    await h.slack.dm(user, t(lang, 'common:commands.help').split('|')[0]!);
    await h.settle();
    expect(await h.press(user, dm, (c) => c.id === INTAKE_ACTIONS.start)).toBe(true);
    let pressed = 0;
    for (let i = 0; i < 80; i++) {
      const intake = (await h.store.conversations.get(`slack:${user}`))?.intake;
      if (intake?.mode !== 'filling') break;
      const field = intake.field!;
      const answer = answers[field]!;
      // A choice offered as a button or a menu option is pressed; everything else is typed.
      const byButton = await h.press(
        user,
        dm,
        (c) => c.id === INTAKE_ACTIONS.choose && c.value.startsWith(`${field}=`) && c.label === answer,
      );
      if (byButton) pressed++;
      else {
        await h.slack.dm(user, answer);
        await h.settle();
      }
      const still = (await h.store.conversations.get(`slack:${user}`))?.intake;
      if (field === 'interests' && still?.field === 'interests')
        await h.press(user, dm, (c) => c.id === INTAKE_ACTIONS.done);
      else
        expect(still?.field, `${field} was asked again: ${h.textsSince(h.api.calls.length - 2).join(' | ')}`).not.toBe(
          field,
        );
    }
    expect(pressed).toBeGreaterThan(5);

    // The review: a header and the answers as fields; Submit, then the mayor's endorsement confirmed.
    const review = h.shown(dm).at(-1)!;
    expect(review.blocks.some((b) => b.type === 'header')).toBe(true);
    expect(JSON.stringify(review.blocks)).toContain('Wanjiru');
    expect(await h.press(user, dm, (c) => c.id === INTAKE_ACTIONS.submit)).toBe(true);
    expect(await h.press(user, dm, (c) => c.id === INTAKE_ACTIONS.yes)).toBe(true);

    const [app] = await h.store.applications
      .listByCountry('2025', 'KE')
      .then((l) => l.filter((a) => a.applicant.userId === user));
    expect(app).toMatchObject({ status: 'submitted', lang, applicant: { platform: 'slack', room: dm } });
    expect(app!.answers).toMatchObject(EXPECTED_RECORD);
    expect(
      h
        .textsSince(0, dm)
        .at(-1)!
        .startsWith(t(lang, 'form:submitted', { id: app!.id })),
    ).toBe(true);

    // The commission's card went to its Slack room through the notifier, which recorded where it is.
    const card = h.shown(ROUTING.commissionRoom).find((m) => JSON.stringify(m.blocks).includes(app!.id))!;
    expect(app!.posts).toEqual([
      { key: `slack:room:${ROUTING.commissionRoom}`, id: `${ROUTING.commissionRoom}/${card.ts}` },
    ]);

    // Every pressed message was updated: its buttons are gone, a note says what was chosen.
    const updates = h.api.of('chat.update').filter((c) => c.args.channel === dm);
    expect(updates.length).toBeGreaterThanOrEqual(pressed + 3);
    for (const u of updates) {
      expect((u.args.blocks as any[]).some((b) => b.type === 'actions')).toBe(false);
      expect(JSON.stringify(u.args.blocks)).toContain('✓');
    }
  });
});

describe('Slack surfaces', () => {
  it('answers a mention in a channel in a thread, with the deadline in the user’s time zone', async () => {
    h.api.profiles.set('UTOKYO', { locale: 'en-US', tz: 'Asia/Tokyo' });
    const from = h.api.calls.length;
    await h.slack.event({
      type: 'app_mention',
      user: 'UTOKYO',
      channel: 'C0GENERAL',
      text: '<@UBOT> When is the application deadline?',
      ts: '1700000000.000200',
    });
    await h.settle();
    const posts = h.api.calls.slice(from).filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args).toMatchObject({ channel: 'C0GENERAL', thread_ts: '1700000000.000200' });
    const expected = h.core.assistant.ask('When is the application deadline?', {
      timeZone: 'Asia/Tokyo',
      locale: 'en-US',
    });
    expect(expected.faqId).not.toBeNull();
    expect(h.textsSince(from)[0]).toBe(expected.answer);
    expect(expected.answer).not.toBe(
      h.core.assistant.ask('When is the application deadline?', { timeZone: 'America/Los_Angeles' }).answer,
    );
  });

  it('refuses a forged signature and a request older than five minutes with 401, changing nothing', async () => {
    const from = h.api.calls.length;
    const body = JSON.stringify({
      type: 'event_callback',
      event_id: 'EvFORGED',
      team_id: 'T1',
      event: {
        type: 'message',
        channel_type: 'im',
        channel: 'DMALLORY',
        user: 'UMALLORY',
        text: 'I want to apply',
        ts: '1.1',
      },
    });
    const now = Math.floor(Date.now() / 1000);
    expect((await h.slack.post(body, 'application/json', { signature: sign('wrong-secret', now, body) })).status).toBe(
      401,
    );
    const old = now - 6 * 60;
    expect(
      (await h.slack.post(body, 'application/json', { timestamp: old, signature: sign(SECRET, old, body) })).status,
    ).toBe(401);
    await h.settle();
    expect(h.api.calls.length).toBe(from);
    expect(await h.store.conversations.get('slack:UMALLORY')).toBeUndefined();
  });

  it('answers a retried delivery once and stores the value once', async () => {
    const user = 'URETRY';
    await h.slack.dm(user, 'I want to apply');
    await h.settle();
    const from = h.api.calls.length;
    const event = {
      type: 'message',
      channel_type: 'im',
      channel: dmOf(user),
      user,
      text: 'Mombasa',
      ts: '1700000001.000100',
    };
    await h.slack.event(event, { eventId: 'EvRETRY1' });
    await h.slack.event(event, { eventId: 'EvRETRY1', retryNum: 1 });
    await Promise.all([
      h.slack.event(event, { eventId: 'EvRETRY1', retryNum: 2 }),
      h.slack.event(event, { eventId: 'EvRETRY1', retryNum: 3 }),
    ]);
    await h.settle();
    expect(h.api.calls.slice(from).filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    const intake = (await h.store.conversations.get(`slack:${user}`))!.intake!;
    expect(intake.answers['city.name']).toBe('Mombasa');
    expect(intake.history).toEqual(['city.name']);
  });

  it('ignores bots, its own messages, edits and messages outside DMs', async () => {
    const from = h.api.calls.length;
    await h.slack.event({
      type: 'message',
      channel_type: 'im',
      channel: 'DBOT',
      bot_id: 'BOTHER',
      subtype: 'bot_message',
      text: 'hello',
      ts: '1.2',
    });
    await h.slack.event({
      type: 'message',
      channel_type: 'im',
      channel: 'DBOT',
      user: 'UBOT',
      bot_id: 'BBOT',
      text: 'hello',
      ts: '1.3',
    });
    await h.slack.event({
      type: 'message',
      channel_type: 'im',
      channel: 'DX',
      user: 'UX',
      subtype: 'message_changed',
      ts: '1.4',
    });
    await h.slack.event({
      type: 'message',
      channel_type: 'channel',
      channel: 'C0GENERAL',
      user: 'UX',
      text: 'hello',
      ts: '1.5',
    });
    await h.slack.event({
      type: 'app_mention',
      channel: 'C0GENERAL',
      user: 'UOTHERBOT',
      bot_id: 'BOTHER',
      text: '<@UBOT> hello',
      ts: '1.6',
    });
    await h.settle();
    expect(h.api.calls.slice(from).filter((c) => c.method === 'chat.postMessage')).toEqual([]);
  });

  it('runs /gnlc help, language, apply and status, answering in the DM and pointing there from a channel', async () => {
    const user = 'USLASH';
    h.api.profiles.set(user, { locale: 'es-ES', tz: 'Europe/Madrid' });
    await h.slack.command(user, 'help');
    await h.settle();
    expect(h.textsSince(0, dmOf(user)).at(-1)).toContain(t('es', 'common:help'));
    expect(h.api.responses.at(-1)).toMatchObject({ response_type: 'ephemeral', text: t('es', 'slack:answered_in_dm') });

    const responses = h.api.responses.length;
    await h.slack.command(user, 'language ru', dmOf(user));
    await h.settle();
    expect(h.textsSince(0, dmOf(user)).at(-1)).toBe(t('ru', 'common:language_set'));
    expect(h.api.responses.length).toBe(responses); // asked in the DM: no pointer needed

    await h.slack.command(user, 'apply', dmOf(user));
    await h.settle();
    expect((await h.store.conversations.get(`slack:${user}`))?.intake?.field).toBe('city.name');
    await h.slack.command(user, 'status', dmOf(user));
    await h.settle();
    expect(h.textsSince(0, dmOf(user)).at(-1)).toMatch(/0/);
    await h.slack.command(user, 'language klingon', dmOf(user));
    await h.settle();
    expect(h.textsSince(0, dmOf(user)).at(-1)).toContain('klingon');
  });

  it('shows the App Home with the status and a button that starts the form in the DM', async () => {
    const user = 'UHOME';
    h.api.profiles.set(user, { locale: 'ar-EG', tz: 'Africa/Cairo' });
    await h.slack.event({ type: 'app_home_opened', user, channel: dmOf(user), tab: 'home', event_ts: '1.7' });
    await h.settle();
    const view = h.api.of('views.publish').at(-1)!.args.view as { type: string; blocks: any[] };
    expect(view.type).toBe('home');
    expect(view.blocks[0].text.text).toBe(t('ar', 'slack:home_title'));
    expect(JSON.stringify(view.blocks)).toContain(JSON.stringify(t('ar', 'form:status_none')).slice(1, -1));
    const start = view.blocks
      .flatMap((b) => (b.type === 'actions' ? b.elements : []))
      .find((e: any) => e.action_id.startsWith(`gnlc:${INTAKE_ACTIONS.start}:`));
    const published = h.api.of('views.publish').length;
    await h.slack.press(user, start, { view: { id: 'V1', type: 'home', blocks: view.blocks } });
    await h.settle();
    expect((await h.store.conversations.get(`slack:${user}`))?.intake?.field).toBe('city.name');
    expect(h.api.of('chat.postMessage').at(-1)!.args.channel).toBe(user);
    expect(h.api.of('views.publish').length).toBe(published + 1);
  });

  it('cancels a draft behind Slack’s confirmation dialog without asking again', async () => {
    const user = 'UCANCEL';
    await h.slack.dm(user, 'I want to apply');
    await h.settle();
    await h.slack.dm(user, 'review');
    await h.settle();
    const cancel = h.choices(dmOf(user)).find((c) => c.id === INTAKE_ACTIONS.cancel)!;
    expect(cancel.element.confirm.text.text).toBe(t('en', 'form:cancel_confirm'));
    expect(cancel.element.style).toBe('danger');
    await h.press(user, dmOf(user), (c) => c.id === INTAKE_ACTIONS.cancel);
    expect((await h.store.conversations.get(`slack:${user}`))?.intake).toBeUndefined();
    expect(h.textsSince(0, dmOf(user)).at(-1)).toBe(t('en', 'form:cancelled'));
  });

  it('drops a second press of the same message (double click, stale button)', async () => {
    const user = 'UDOUBLE';
    await h.slack.dm(user, 'hello');
    await h.settle();
    const topic = h.choices(dmOf(user)).find((c) => c.id === FAQ_ACTIONS.topic)!;
    const message = { type: 'message', ts: topic.message.ts, text: topic.message.text, blocks: topic.message.blocks };
    const from = h.api.calls.length;
    await Promise.all(
      [1, 2].map(() => h.slack.press(user, topic.element, { channel: dmOf(user), message }, topic.option)),
    );
    await h.settle();
    expect(h.api.calls.slice(from).filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
  });

  const rateLimitAndNetworkErrors =
    'waits out a rate limit (429 Retry-After), retries after a network error and survives channel_not_found';
  it(rateLimitAndNetworkErrors, async () => {
    const user = 'ULIMIT';
    h.api.failNext('chat.postMessage', {
      status: 429,
      headers: { 'retry-after': '1' },
      body: { ok: false, error: 'ratelimited' },
    });
    const t0 = Date.now();
    await h.slack.dm(user, 'hello');
    await h.settle();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    const attempts = h.api.of('chat.postMessage').filter((c) => c.args.channel === dmOf(user));
    expect(attempts).toHaveLength(2);

    h.api.failNext('chat.postMessage', 'drop');
    await h.slack.dm(user, 'status');
    await h.settle();
    expect(h.api.of('chat.postMessage').filter((c) => c.args.channel === dmOf(user))).toHaveLength(4);
    expect(h.shown(dmOf(user)).at(-1)!.text).toBe(t('en', 'form:status_none'));

    h.api.failNext('chat.postMessage', { status: 200, body: { ok: false, error: 'channel_not_found' } });
    await h.slack.dm(user, 'help');
    await h.settle();
    await h.slack.dm(user, 'help');
    await h.settle();
    expect(h.api.of('chat.postMessage').filter((c) => c.args.channel === dmOf(user))).toHaveLength(6);
    expect(h.shown(dmOf(user)).at(-1)!.text).toContain(t('en', 'common:help').slice(0, 40));
  });
});
