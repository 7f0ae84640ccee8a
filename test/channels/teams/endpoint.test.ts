import { afterEach, describe, expect, it } from 'vitest';
import { NotifyError } from '../../../src/core/notifier.ts';
import { typedText } from '../../../src/channels/teams/activity.ts';
import {
  cardProblems,
  cardsOf,
  elements,
  findSubmit,
  lastCard,
  startTeams,
  TeamsUser,
  type TeamsApp,
} from './harness.ts';

let app: TeamsApp | undefined;
afterEach(async () => {
  if (app)
    for (const c of app.connector.calls) for (const card of cardsOf(c.activity)) expect(cardProblems(card)).toEqual([]);
  await app?.close();
  app = undefined;
});

const APP_ID = '6f1b3c2a-1d4e-4f5a-9b8c-7d6e5f4a3b2c';

function channelUser(a: TeamsApp, locale = 'fr-FR') {
  return new TeamsUser(a, {
    locale,
    timeZone: 'Asia/Tokyo',
    conversation: {
      id: '19:general@thread.tacv2;messageid=1717000000000',
      conversationType: 'channel',
      isGroup: true,
      tenantId: 'tenant-1',
    },
  });
}

const mention = (u: TeamsUser, text: string) =>
  u.activity('message', {
    text: `<at>GNLC</at>&nbsp;${text}`,
    entities: [
      { type: 'mention', mentioned: { id: u.bot.id, name: 'GNLC' }, text: '<at>GNLC</at>' },
      { type: 'clientInfo', locale: u.opts.locale, timezone: u.opts.timeZone },
    ],
  });

describe('Teams in channels and group chats', () => {
  const faqInChannel =
    'answers an FAQ question in a channel with the mention stripped, in the locale and time zone of the user';
  it(faqInChannel, async () => {
    app = await startTeams({ at: '2025-06-01T10:00:00Z' });
    const u = channelUser(app);
    const calls = await u.send(mention(u, 'deadline?'));
    expect(calls).toHaveLength(1);
    const reply = calls[0]!;
    // Replies go to the thread the question was asked in.
    expect(reply.conversation).toBe(u.conversation.id);
    expect(reply.activity.locale).toBe('fr');
    const expected = app.core.assistant.ask('deadline?', { locale: 'fr-FR', timeZone: 'Asia/Tokyo' });
    expect(expected.faqId).toBe('deadline');
    expect(reply.activity.text).toBe(expected.answer);
    // The user's zone by its name in French (Asia/Tokyo).
    expect(reply.activity.text).toContain('heure normale du Japon');
    expect(reply.activity.text).toContain('16 juin 2025');
    // Sources in small print in the card.
    expect(elements(cardsOf(reply.activity)[0]).some((e) => e.isSubtle && /unesco\.org/.test(e.text))).toBe(true);
    // The channel itself (not the thread) is remembered for proactive posts.
    expect(await app.store.addresses.get('teams:room:19:general@thread.tacv2')).toMatchObject({
      ref: { conversation: { id: '19:general@thread.tacv2' } },
    });
  });

  it('strips the bot mention with the standard helper and decodes Teams entities', () => {
    const a = {
      type: 'message',
      recipient: { id: '28:bot', name: 'GNLC' },
      text: '<at>GNLC</at>&nbsp;who can apply &amp; how?',
      entities: [{ type: 'mention', mentioned: { id: '28:bot', name: 'GNLC' }, text: '<at>GNLC</at>' }],
    };
    expect(typedText(a)).toBe('who can apply & how?');
  });

  it('answers in a group chat and welcomes when added to it', async () => {
    app = await startTeams();
    const u = new TeamsUser(app, {
      locale: 'es-ES',
      conversation: { id: '19:meeting@thread.v2', conversationType: 'groupChat', isGroup: true },
    });
    const welcome = await u.send(u.activity('conversationUpdate', { membersAdded: [{ id: u.bot.id }] }));
    expect(welcome[0]!.activity.text).toContain(app.core.i18n.t('es', 'common:greeting'));
    // A person joining is not a reason to greet.
    expect(await u.send(u.activity('conversationUpdate', { membersAdded: [{ id: '29:someone' }] }))).toEqual([]);
    const calls = await u.send(mention(u, '¿Quién puede postular?'));
    expect(calls[0]!.activity.text).toBe(app.core.assistant.ask('¿Quién puede postular?').answer);
  });
});

describe('the /api/messages endpoint', () => {
  it('runs anonymously without configuration, as the Emulator connects', async () => {
    app = await startTeams();
    const u = new TeamsUser(app, { channel: 'emulator', locale: 'en-US', timeZone: 'America/New_York' });
    const hello = await u.send(u.activity('conversationUpdate', { membersAdded: [{ id: u.id }, { id: u.bot.id }] }));
    expect(hello).toHaveLength(1);
    const calls = await u.say('help');
    expect(calls[0]!.activity.text).toContain(app.core.i18n.t('en', 'common:help'));
    expect(await app.store.addresses.get(`teams:user:${u.id}`)).toBeDefined();
  });

  it('with MicrosoftAppId set, refuses requests without a valid token (401) before any outbound call', async () => {
    app = await startTeams({ env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret' } });
    const u = new TeamsUser(app, { locale: 'en-US' });
    expect((await app.post(u.activity('message', { text: 'hello' }))).status).toBe(401);
    expect(
      (await app.post(u.activity('message', { text: 'hello' }), { authorization: 'Bearer not-a-jwt' })).status,
    ).toBe(401);
    expect((await app.post(u.activity('message', { text: 'hello' }), { authorization: 'Basic abc' })).status).toBe(401);
    expect(app.connector.attempts).toBe(0);
    expect(await app.store.addresses.get(`teams:user:${u.aad}`)).toBeUndefined();
  });

  it('answers a malformed body, a missing type or an unknown invoke with a 4xx, and keeps serving', async () => {
    app = await startTeams();
    const u = new TeamsUser(app, { locale: 'en-US' });
    expect((await app.post('{"type": "message", ')).status).toBe(400);
    expect((await app.post('[1,2]')).status).toBe(400);
    expect((await app.post('null')).status).toBe(400);
    expect((await app.post({ text: 'no type' })).status).toBe(400);
    expect((await app.post({ ...u.activity('message', { text: 'hi' }), type: 42 })).status).toBe(400);
    expect((await app.post({ ...u.activity('message', { text: 'hi' }), conversation: undefined })).status).toBe(400);
    expect(
      (await app.post({ ...u.activity('message', { text: 'hi' }), serviceUrl: 'javascript:alert(1)' })).status,
    ).toBe(400);
    expect((await app.post({ ...u.activity('message'), text: { html: 'x' } })).status).toBe(400);
    expect((await app.post(u.activity('invoke', { name: 'composeExtension/query', value: {} }))).status).toBe(400);
    expect((await app.post('x'.repeat(2 * 1024 * 1024))).status).toBe(413);
    // Activities the bot has nothing to say to are acknowledged quietly.
    expect((await app.post(u.activity('typing'))).status).toBe(200);
    expect((await app.post(u.activity('messageReaction', { reactionsAdded: [{ type: 'like' }] }))).status).toBe(200);
    expect(app.connector.calls).toEqual([]);
    expect((await u.say('hello')).length).toBe(1);
  });

  it('drops a redelivered activity (same id): one answer', async () => {
    app = await startTeams();
    const u = new TeamsUser(app, { locale: 'en-US' });
    const activity = u.activity('message', { text: 'Who can apply?' });
    const [a, b] = await Promise.all([app.post(activity), app.post(activity)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await app.post(activity)).status).toBe(200);
    expect(app.connector.messages).toHaveLength(1);
  });

  it('retries the connector after a 429 with Retry-After, and after a 500', async () => {
    app = await startTeams();
    const u = new TeamsUser(app, { locale: 'en-US' });
    app.connector.failNext(429, { 'Retry-After': '1' });
    const started = Date.now();
    const calls = await u.say('Who can apply?');
    expect(calls).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(app.connector.attempts).toBe(2);
    app.connector.failNext(500);
    expect(await u.say('What are the benefits?')).toHaveLength(1);
    expect(app.connector.attempts).toBe(4);
  });
});

describe('cards pressed through Universal Actions (adaptiveCard/action)', () => {
  it('returns the refreshed card in the invoke response and ignores a second press', async () => {
    app = await startTeams();
    const u = new TeamsUser(app, { locale: 'en-US' });
    await u.say('I want to apply');
    const calls = await u.say('Lyon');
    const question = lastCard(calls)!;
    const back = findSubmit(question.card, 'back');
    expect(back).toBeDefined();
    const execute = () =>
      app!.post(
        u.activity('invoke', {
          name: 'adaptiveCard/action',
          replyToId: question.id,
          value: { action: { type: 'Action.Execute', verb: 'back', data: back.data } },
        }),
      );
    const before = app.connector.messages.length;
    const first = await execute();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(cardProblems(first.body.value)).toEqual([]);
    expect(elements(first.body.value).some((e) => e.type === 'Action.Submit')).toBe(false);
    expect(JSON.stringify(first.body.value)).toContain(app.core.i18n.t('en', 'teams:chosen', { choice: back.title }));
    expect(app.connector.messages.length).toBe(before + 1);
    expect(app.connector.messages.at(-1)!.activity.text).toContain(
      app.core.i18n.t('en', 'form:fields.city.name.prompt'),
    );
    const second = await execute();
    expect(second.body.value).toEqual(first.body.value);
    expect(app.connector.messages.length).toBe(before + 1);
  });

  it('answers a topic button pressed as Action.Execute', async () => {
    app = await startTeams();
    const u = new TeamsUser(app, { locale: 'en-US' });
    const res = await app.post(
      u.activity('invoke', {
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'faq', data: { action: 'faq', value: 'eligibility' } } },
      }),
    );
    expect(res.status).toBe(200);
    expect(app.connector.messages[0]!.activity.text).toBe(app.core.assistant.ask('Who is eligible to apply?').answer);
    const bad = await app.post(
      u.activity('invoke', { name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute' } } }),
    );
    expect(bad.status).toBe(400);
  });
});

describe('proactive messages', () => {
  it('TeamsNotifier writes to a stored user and channel, and says why it cannot', async () => {
    app = await startTeams();
    const u = new TeamsUser(app, { locale: 'fr-FR' });
    await u.send(u.activity('installationUpdate', { action: 'add' }));
    const c = channelUser(app);
    await c.send(mention(c, 'help'));
    const before = app.connector.calls.length;
    const t = app.core.i18n.t;
    await app.channel.notifier.send(`teams:user:${u.aad}`, [app.core.assistant.greeting('fr')]);
    await app.channel.notifier.send('teams:room:19:general@thread.tacv2', [
      { lang: 'en', text: 'A new application awaits endorsement.' },
    ]);
    const sent = app.connector.calls.slice(before);
    expect(sent.map((s) => [s.method, s.conversation, s.target])).toEqual([
      ['POST', u.conversation.id, undefined],
      ['POST', '19:general@thread.tacv2', undefined],
    ]);
    expect(sent[0]!.activity.text).toContain(t('fr', 'common:greeting'));
    expect(sent[0]!.activity.recipient.id).toBe(u.id);
    await expect(app.channel.notifier.send('teams:user:nobody', [{ lang: 'en', text: 'x' }])).rejects.toMatchObject({
      code: 'unknown_address',
    });
    app.connector.failNext(403);
    const err = await app.channel.notifier
      .send(`teams:user:${u.aad}`, [{ lang: 'en', text: 'x' }])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotifyError);
    expect((err as NotifyError).code).toBe('not_reachable');
  });
});
