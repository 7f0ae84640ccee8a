import { afterEach, describe, expect, it } from 'vitest';
import type { AlertLine } from '../../../src/core/alerts/service.ts';
import { FIELDS } from '../../../src/core/application/form.ts';
import { memoryRouting, type RoutingSchema } from '../../../src/core/endorsement/routing.ts';
import { validAnswers } from '../../conversation.ts';
import { handClock } from '../../endorsement-world.ts';
import {
  cardProblems,
  cardsOf,
  elements,
  FakeConnector,
  findSubmit,
  startTeams,
  TeamsUser,
  type ConnectorCall,
  type TeamsApp,
} from './harness.ts';
import type { z } from 'zod';

/**
 * Deadline alerts over the real Teams channel: the real HttpServer and CloudAdapter on 127.0.0.1, the core's
 * AlertService sending through the Teams notifier, only the Bot Connector faked. The clock is moved by hand.
 */

let app: (TeamsApp & { clock: ReturnType<typeof handClock> }) | undefined;
/** Other fake connectors a test started (conversations living on another service URL). */
const extra: FakeConnector[] = [];
afterEach(async () => {
  // Every card the bot sent or updated in this file passes the adaptivecards parser with no warning.
  if (app) {
    const cards = [app.connector, ...extra].flatMap((x) => x.calls).flatMap((c) => cardsOf(c.activity));
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) {
      expect(card.version).toBe('1.5');
      expect(cardProblems(card), JSON.stringify(card)).toEqual([]);
    }
    await app.close();
  }
  for (const c of extra.splice(0)) await c.close();
  app = undefined;
});

/**
 * The harness's startTeams (createApp's wiring: the Teams notifier in the core's outbox, so the alerts go out
 * through Teams), with a clock the test moves and a routing configuration.
 */
async function startTeamsWithAlerts(at: string, routing: z.input<typeof RoutingSchema>) {
  const clock = handClock(at);
  app = { ...(await startTeams({ clock, routing: memoryRouting(routing) })), clock };
  return app;
}

/** Nobody to route to: only the people's own alerts exist. */
const NO_ROUTING = { coordinators: { members: [] }, commissions: {} };

/** Runs the alerts at the core's clock; resolves to the lines and the connector calls the run made. */
async function runAlerts(a: TeamsApp): Promise<{ lines: AlertLine[]; calls: ConnectorCall[] }> {
  const before = a.connector.calls.length;
  const lines = await a.core.alerts.run();
  return { lines, calls: a.connector.calls.slice(before) };
}

/** The Action.Submit buttons of a card, as [title, data]. */
const submits = (card: any) =>
  elements(card)
    .filter((e) => e.type === 'Action.Submit')
    .map((e) => [e.title, e.data]);

/** A Teams user installs the bot in their personal chat, starts the form in their language and gives the city name. */
async function leaveDraft(a: TeamsApp, user: TeamsUser, lang: 'fr' | 'es', city: string): Promise<ConnectorCall[]> {
  const t = a.core.i18n.t;
  await user.send(user.activity('conversationUpdate', { membersAdded: [{ id: user.bot.id }] }));
  await user.say(t(lang, 'form:commands.apply_phrases').split('|')[0]!);
  const key = `teams:${user.aad}`;
  expect((await a.store.conversations.get(key))?.intake?.field).toBe('city.name');
  const asked = await user.say(city);
  const conv = await a.store.conversations.get(key);
  expect(conv?.intake?.answers['city.name']).toBe(city);
  expect(conv?.intake?.field).not.toBe('city.name');
  return asked;
}

describe('deadline alerts over Teams', () => {
  const tokyoDraftReminder =
    'reminds a Tokyo applicant of their draft in French, on their clock; Continue resumes the form, ' +
    'Stop alerts stops them';
  it(tokyoDraftReminder, async () => {
    const a = await startTeamsWithAlerts('2025-06-01T10:00:00Z', NO_ROUTING);
    const t = a.core.i18n.t;
    const user = new TeamsUser(a, { locale: 'fr-FR', timeZone: 'Asia/Tokyo', name: 'Aiko' });
    const asked = await leaveDraft(a, user, 'fr', 'Sendai');
    const nextQuestion = asked.filter((c) => c.method === 'POST').at(-1)!.activity.text as string;
    expect(nextQuestion).toBeTruthy();
    const conv = (await a.store.conversations.get(`teams:${user.aad}`))!;
    expect(conv.timeZone).toBe('Asia/Tokyo');
    expect(conv.lang.last ?? conv.lang.chosen).toBe('fr');
    expect(await a.store.addresses.get(`teams:user:${user.aad}`)).toMatchObject({
      platform: 'teams',
      ref: { conversation: { id: user.conversation.id } },
    });

    // Applications close at the end of 15 June in Hamburg (22:00Z), i.e. 07:00 on 16 June in Tokyo: the
    // 7-day reminder is due at 09:00 Tokyo time on 9 June = 2025-06-09T00:00:00Z. A minute before, nothing.
    const key7 = `applicant.draft.7d/2025/teams:user:${user.aad}/2025-06-15`;
    a.clock.set('2025-06-08T23:59:00Z');
    expect((await runAlerts(a)).lines).toEqual([]);
    expect(await a.store.alerts.get(key7)).toBeUndefined();

    a.clock.set('2025-06-09T00:00:00Z');
    const { lines, calls } = await runAlerts(a);
    expect(lines.map((l) => [l.key, l.rule, l.call, l.to, l.lang, l.outcome, l.error])).toEqual([
      [key7, 'applicant.draft.7d', '2025', { channel: 'teams', kind: 'user', id: user.aad }, 'fr', 'sent', undefined],
    ]);
    expect(await a.store.alerts.get(key7)).toMatchObject({
      state: 'sent',
      attempts: 1,
      to: `teams:user:${user.aad}`,
      rule: 'applicant.draft.7d',
    });

    // One new message, POSTed proactively to the user's personal conversation (not a reply to anything).
    expect(calls.map((c) => [c.method, c.path, c.conversation, c.target])).toEqual([
      [
        'POST',
        `/v3/conversations/${encodeURIComponent(user.conversation.id)}/activities`,
        user.conversation.id,
        undefined,
      ],
    ]);
    const sent = calls[0]!;
    expect(sent.activity.type).toBe('message');
    expect(sent.activity.replyToId).toBeUndefined();
    expect(sent.activity.locale).toBe('fr');
    // In French, naming the city, with the deadline on the user's clock
    // (06:59 on 16 June in Tokyo, not 23:59 on the 15th).
    const text = sent.activity.text as string;
    expect(text).toBe(lines[0]!.text);
    expect(text).toContain('La candidature de votre ville, Sendai,');
    expect(text).toContain('dans 7 jours');
    const tokyo = new Intl.DateTimeFormat('fr-FR', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'Asia/Tokyo',
    }).format(new Date('2025-06-15T21:59:00Z'));
    expect(tokyo).toMatch(/16 juin 2025.*06:59/);
    expect(text).toContain(t('fr', 'alerts:your_time', { at: tokyo }));
    expect(text).not.toContain('23:59');
    expect(text).toContain(t('fr', 'alerts:applicant.footer'));
    // The buttons, as the Teams renderer encodes actions: Action.Submit with { action, value }.
    const [card, ...more] = cardsOf(sent.activity);
    expect(more).toEqual([]);
    expect(submits(card)).toEqual([
      [t('fr', 'alerts:buttons.continue'), { action: 'apply', value: 'apply' }],
      [t('fr', 'alerts:buttons.stop'), { action: 'alerts_stop', value: 'alerts_stop' }],
    ]);
    expect(findSubmit(card, 'apply').style).toBe('positive');

    // Sent once: the same tick again (a second scheduler, a restart) sends nothing.
    a.clock.set('2025-06-09T00:05:00Z');
    expect(await runAlerts(a)).toEqual({ lines: [], calls: [] });
    // The 1-day reminder is on the schedule while alerts are on.
    const oneDay = '2025-06-15T00:00:00Z';
    const key1 = `applicant.draft.1d/2025/teams:user:${user.aad}/2025-06-15`;
    expect((await a.core.alerts.run({ now: new Date(oneDay), dryRun: true })).map((l) => l.key)).toEqual([key1]);
    expect(await a.store.alerts.get(key1)).toBeUndefined();

    // "Continuer ma candidature", pressed through the real endpoint: the form goes on with the next question.
    a.clock.set('2025-06-09T00:10:00Z');
    const resumed = await user.submit(sent.id!, findSubmit(card, 'apply').data);
    const posts = resumed.filter((c) => c.method === 'POST');
    expect(posts.length).toBeGreaterThanOrEqual(1);
    for (const p of posts) expect([p.conversation, p.activity.locale]).toEqual([user.conversation.id, 'fr']);
    expect(posts.map((p) => p.activity.text)).toContain(t('fr', 'form:resume', { answered: 1, count: FIELDS.length }));
    expect(posts.at(-1)!.activity.text).toBe(nextQuestion);
    // The alert's card is not a one-shot question: it is not redrawn, its other button still works.
    expect(resumed.filter((c) => c.method === 'PUT')).toEqual([]);
    expect((await a.store.conversations.get(`teams:${user.aad}`))?.intake?.mode).toBe('filling');

    // "Arrêter les alertes" on the same card.
    const stopped = await user.submit(sent.id!, findSubmit(card, 'alerts_stop').data);
    expect(stopped.filter((c) => c.method === 'POST').map((c) => c.activity.text)).toEqual([t('fr', 'alerts:stopped')]);
    expect((await a.store.conversations.get(`teams:${user.aad}`))?.alerts).toEqual({ off: true });

    // At the 1-day reminder's instant nothing goes to them, the draft still unfinished.
    a.clock.set(oneDay);
    expect(await runAlerts(a)).toEqual({ lines: [], calls: [] });
    expect(await a.store.alerts.get(key1)).toBeUndefined();
    expect((await a.store.conversations.get(`teams:${user.aad}`))?.intake?.answers['city.name']).toBe('Sendai');
  });

  it('reminds a Mexico City applicant in Spanish at 09:00 their time, with the deadline on their clock', async () => {
    const a = await startTeamsWithAlerts('2025-06-01T10:00:00Z', NO_ROUTING);
    const t = a.core.i18n.t;
    const user = new TeamsUser(a, { locale: 'es-ES', timeZone: 'America/Mexico_City', name: 'Lupita' });
    await leaveDraft(a, user, 'es', 'Puebla');
    // The deadline is 16:00 on 15 June in Mexico City (UTC−6): its 7th day before is 8 June, 09:00 there = 15:00Z.
    a.clock.set('2025-06-08T14:59:00Z');
    expect((await runAlerts(a)).lines).toEqual([]);
    a.clock.set('2025-06-08T15:00:00Z');
    const { lines, calls } = await runAlerts(a);
    expect(lines.map((l) => [l.key, l.lang, l.outcome])).toEqual([
      [`applicant.draft.7d/2025/teams:user:${user.aad}/2025-06-15`, 'es', 'sent'],
    ]);
    expect(calls.map((c) => [c.method, c.conversation, c.target])).toEqual([['POST', user.conversation.id, undefined]]);
    const text = calls[0]!.activity.text as string;
    const mexico = new Intl.DateTimeFormat('es-ES', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'America/Mexico_City',
    }).format(new Date('2025-06-15T21:59:00Z'));
    expect(mexico).toMatch(/15 de junio de 2025.*15:59/);
    expect(text).toContain('Puebla');
    expect(text).toContain('La solicitud de adhesión de Puebla');
    expect(text).toContain(t('es', 'alerts:your_time', { at: mexico }));
    expect(submits(cardsOf(calls[0]!.activity)[0])).toEqual([
      [t('es', 'alerts:buttons.continue'), { action: 'apply', value: 'apply' }],
      [t('es', 'alerts:buttons.stop'), { action: 'alerts_stop', value: 'alerts_stop' }],
    ]);
  });

  const refusedConversation =
    'refused by the connector for one conversation: that alert fails as not_reachable and is retried later, ' +
    'the others go out';
  it(refusedConversation, async () => {
    const a = await startTeamsWithAlerts('2025-06-01T10:00:00Z', NO_ROUTING);
    const ok = new TeamsUser(a, { locale: 'fr-FR', timeZone: 'Asia/Tokyo', name: 'Aiko' });
    await leaveDraft(a, ok, 'fr', 'Sendai');
    // Another user's conversation is served by another connector, which later refuses it (404: the
    // conversation is gone, the bot was removed).
    const other = await new FakeConnector().start();
    extra.push(other);
    const gone = new TeamsUser({ ...a, connector: other }, { locale: 'es-ES', timeZone: 'Asia/Tokyo', name: 'Kenji' });
    await leaveDraft({ ...a, connector: other }, gone, 'es', 'Osaka');
    expect(other.messages.length).toBeGreaterThan(0);
    const refusedAt = other.calls.length;
    other.failNext(404, {}, 100);

    a.clock.set('2025-06-09T00:00:00Z');
    const goneKey = `applicant.draft.7d/2025/teams:user:${gone.aad}/2025-06-15`;
    const okKey = `applicant.draft.7d/2025/teams:user:${ok.aad}/2025-06-15`;
    const attempts = other.attempts;
    const { lines, calls } = await runAlerts(a);
    const byKey = new Map(lines.map((l) => [l.key, l]));
    expect([...byKey.keys()].sort()).toEqual([goneKey, okKey].sort());
    expect(byKey.get(goneKey)).toMatchObject({
      rule: 'applicant.draft.7d',
      to: { channel: 'teams', kind: 'user', id: gone.aad },
      lang: 'es',
      outcome: 'failed',
      error: 'not_reachable',
    });
    expect(byKey.get(okKey)).toMatchObject({ outcome: 'sent' });
    expect(byKey.get(okKey)!.error).toBeUndefined();
    // The refusing connector was asked (and nothing was recorded as delivered there); the other user got theirs.
    expect(other.attempts).toBeGreaterThan(attempts);
    expect(other.calls.length).toBe(refusedAt);
    expect(calls.map((c) => [c.method, c.conversation])).toEqual([['POST', ok.conversation.id]]);
    // Recorded as failed, to be tried again in 15 minutes.
    expect(await a.store.alerts.get(goneKey)).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: 'not_reachable',
      retryAt: '2025-06-09T00:15:00.000Z',
      to: `teams:user:${gone.aad}`,
    });
    expect(await a.store.alerts.get(okKey)).toMatchObject({ state: 'sent', attempts: 1 });

    // Not before its retry time; then tried again (still refused: the next wait doubles); the sent one never again.
    a.clock.set('2025-06-09T00:14:00Z');
    expect(await runAlerts(a)).toEqual({ lines: [], calls: [] });
    a.clock.set('2025-06-09T00:15:00Z');
    const again = await runAlerts(a);
    expect(again.lines.map((l) => [l.key, l.outcome, l.error])).toEqual([[goneKey, 'failed', 'not_reachable']]);
    expect(again.calls).toEqual([]);
    expect(await a.store.alerts.get(goneKey)).toMatchObject({
      state: 'failed',
      attempts: 2,
      error: 'not_reachable',
      retryAt: '2025-06-09T00:45:00.000Z',
    });
  });
});

const COMMISSION_KE = '19:commission-ke@thread.tacv2';
const COORDINATORS = '19:coordinators@thread.tacv2';
const ENDORSER = '00000000-0000-0000-0000-00000000e0e0';

describe('the commission deadline reminder in a Teams channel', () => {
  const reminderAndCardInChannel =
    'posts the reminder and the waiting application card; Endorse on the reminder card decides, ' +
    'and both cards are updated in place';
  it(reminderAndCardInChannel, async () => {
    const a = await startTeamsWithAlerts('2025-06-10T08:00:00Z', {
      coordinators: { room: { channel: 'teams', id: COORDINATORS }, members: [] },
      commissions: {
        KE: {
          name: 'Kenya National Commission for UNESCO',
          room: { channel: 'teams', id: COMMISSION_KE },
          endorsers: [{ channel: 'teams', user: ENDORSER }],
        },
      },
    });
    const inChannel = (id: string, name: string, root?: string) =>
      new TeamsUser(a, {
        name,
        locale: 'en-GB',
        conversation: {
          id: root ? `${id};messageid=${root}` : id,
          conversationType: 'channel',
          isGroup: true,
          tenantId: 'tenant-1',
        },
      });
    // The bot is installed in both channels (their conversation references stored).
    for (const ch of [COMMISSION_KE, COORDINATORS]) {
      const m = inChannel(ch, 'Admin');
      await m.send(m.activity('conversationUpdate', { membersAdded: [{ id: m.bot.id }] }));
      expect(await a.store.addresses.get(`teams:room:${ch}`)).toBeDefined();
    }

    // A Teams applicant submits an application for a Kenyan city on 10 June; its card goes to the commission's channel.
    const applicant = new TeamsUser(a, { name: 'Wanjiru', locale: 'en-GB', timeZone: 'Africa/Nairobi' });
    const answers = validAnswers('en', a.core.i18n.t);
    await applicant.say('I want to apply');
    const appKey = `teams:${applicant.aad}`;
    for (let i = 0; i < 60; i++) {
      const intake = (await a.store.conversations.get(appKey))?.intake;
      if (intake?.mode !== 'filling') break;
      await applicant.say(answers[intake.field!]!);
    }
    await applicant.say('submit');
    const done = await applicant.say('yes');
    const id = /GNLC-2025-KE-\d{3}/.exec(done.map((c) => c.activity.text).join('\n'))?.[0];
    expect(id).toBeDefined();
    const original = a.connector.messages
      .filter((c) => c.conversation === COMMISSION_KE && cardsOf(c.activity).length)
      .at(-1)!;
    expect(findSubmit(cardsOf(original.activity)[0], 'endorse')?.data.value).toMatch(new RegExp(`^${id}(@\\d+)?$`));
    expect((await a.store.applications.get(id!))!.posts).toEqual([
      { key: `teams:room:${COMMISSION_KE}`, id: original.id },
    ]);

    // 8 July, 09:00 in Hamburg: 7 days before the commission deadline (15 July).
    a.clock.set('2025-07-08T06:59:00Z');
    const early = await runAlerts(a);
    expect(early.lines.filter((l) => l.to.id === COMMISSION_KE)).toEqual([]);
    expect(early.calls.filter((c) => c.conversation === COMMISSION_KE)).toEqual([]);
    a.clock.set('2025-07-08T07:00:00Z');
    const { lines, calls } = await runAlerts(a);
    const key = `commission.deadline.7d/2025/teams:room:${COMMISSION_KE}/2025-07-15`;
    const mine = lines.filter((l) => l.to.id === COMMISSION_KE);
    expect(mine.map((l) => [l.key, l.rule, l.to, l.lang, l.outcome])).toEqual([
      [key, 'commission.deadline.7d', { channel: 'teams', kind: 'room', id: COMMISSION_KE }, 'en', 'sent'],
    ]);
    // The only other alert of this tick is the coordinators' own reminder, in their channel.
    expect(lines.map((l) => [l.key, l.outcome]).sort()).toEqual(
      [
        [key, 'sent'],
        [`coord.commission.7d/2025/teams:room:${COORDINATORS}/2025-07-15`, 'sent'],
      ].sort(),
    );
    expect(await a.store.alerts.get(key)).toMatchObject({
      state: 'sent',
      attempts: 1,
      to: `teams:room:${COMMISSION_KE}`,
    });

    // Two new posts in the commission's channel (not replies): the reminder text, then the application's card.
    const posted = calls.filter((c) => c.conversation === COMMISSION_KE);
    expect(posted.map((c) => [c.method, c.target, c.activity.replyToId])).toEqual([
      ['POST', undefined, undefined],
      ['POST', undefined, undefined],
    ]);
    const [head, cardMsg] = posted as [ConnectorCall, ConnectorCall];
    expect(head.activity.text).toContain('Reminder for Kenya National Commission for UNESCO');
    expect(head.activity.text).toContain('in 7 days');
    expect(head.activity.text).toContain('Waiting for your decision: 1');
    expect(mine[0]!.text.startsWith(head.activity.text)).toBe(true);
    const reminderCard = cardsOf(cardMsg.activity)[0];
    expect(JSON.stringify(reminderCard)).toContain(id!);
    for (const action of ['endorse', 'return', 'decline'])
      expect(findSubmit(reminderCard, action)?.data.value).toBe(
        findSubmit(cardsOf(original.activity)[0], action).data.value,
      );
    // The reminder's card is tracked like the first one.
    expect((await a.store.applications.get(id!))!.posts).toEqual([
      { key: `teams:room:${COMMISSION_KE}`, id: original.id },
      { key: `teams:room:${COMMISSION_KE}`, id: cardMsg.id },
    ]);
    // Sent once.
    a.clock.set('2025-07-08T07:05:00Z');
    expect((await runAlerts(a)).lines).toEqual([]);

    // The endorser presses Endorse on the reminder's card (in its thread), through the real endpoint.
    const endorser = inChannel(COMMISSION_KE, 'Esther Wambui', cardMsg.id);
    Object.assign(endorser, { aad: ENDORSER });
    const pressed = await endorser.submit(cardMsg.id!, findSubmit(reminderCard, 'endorse').data);
    const stored = (await a.store.applications.get(id!))!;
    expect(stored).toMatchObject({
      status: 'forwarded',
      decision: { status: 'endorsed', by: { key: `teams:${ENDORSER}`, name: 'Esther Wambui' } },
    });
    // Both cards in the channel are replaced in place (PUT), with the decision and no buttons left.
    const puts = pressed.filter((c) => c.method === 'PUT');
    expect(puts.map((c) => [c.conversation, c.target]).sort()).toEqual(
      [
        [COMMISSION_KE, original.id],
        [COMMISSION_KE, cardMsg.id],
      ].sort(),
    );
    for (const put of puts) {
      const card = cardsOf(put.activity)[0];
      expect(card).toBeDefined();
      expect(JSON.stringify(card)).toContain(id!);
      expect(JSON.stringify(card)).toContain('Esther Wambui');
      expect(elements(card).filter((e) => e.type === 'Action.Submit' || e.type === 'Action.Execute')).toEqual([]);
    }
    // No new card in the commission's channel; the forwarded application goes to the coordinators;
    // the applicant is told.
    const newPosts = pressed.filter((c) => c.method === 'POST');
    expect(
      newPosts.filter(
        (c) => c.conversation === COMMISSION_KE && cardsOf(c.activity).some((k) => findSubmit(k, 'endorse')),
      ),
    ).toEqual([]);
    expect(newPosts.some((c) => c.conversation === COORDINATORS)).toBe(true);
    expect(
      newPosts.some(
        (c) =>
          c.conversation === applicant.conversation.id &&
          String(c.activity.text).includes('Kenya National Commission for UNESCO has endorsed'),
      ),
    ).toBe(true);
    // The commission's deadline reminder has nothing left to say.
    a.clock.set('2025-07-14T07:00:00Z');
    expect((await runAlerts(a)).lines.filter((l) => l.to.id === COMMISSION_KE)).toEqual([]);
  });
});
