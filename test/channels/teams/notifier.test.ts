import { afterEach, describe, expect, it, vi } from 'vitest';
import { NotifyError } from '../../../src/core/notifier.ts';
import type { Reply } from '../../../src/core/reply.ts';
import type { Turn } from '../../../src/core/turn.ts';
import { cardProblems, cardsOf, elements, findSubmit, startTeams, TeamsUser, type TeamsApp } from './harness.ts';

let app: TeamsApp | undefined;
afterEach(async () => {
  if (app)
    for (const c of app.connector.calls) for (const card of cardsOf(c.activity)) expect(cardProblems(card)).toEqual([]);
  await app?.close();
  app = undefined;
});

const CHANNEL = '19:commission-de@thread.tacv2';
const ROOM = `teams:room:${CHANNEL}`;

/** An application card as the endorsement workflow posts it: live with buttons, or decided without. */
function applicationCard(status: 'live' | 'decided', id = 'GNLC-2025-DE-001'): Reply {
  const value = `${id}@1`;
  return {
    lang: 'en',
    text:
      status === 'live'
        ? `Application ${id} from Köln awaits your decision.`
        : `Application ${id} was endorsed by Ana Lima.`,
    card: {
      title: `${id} — Köln, Germany`,
      sections: [
        {
          title: 'Decision',
          facts: [{ label: 'Status', value: status === 'live' ? 'Submitted' : 'Endorsed by Ana Lima' }],
        },
      ],
    },
    actions:
      status === 'live'
        ? [
            { id: 'endorse', label: 'Endorse', value, style: 'primary' },
            { id: 'return', label: 'Return for changes', value },
            { id: 'decline', label: 'Decline', value, style: 'danger' },
          ]
        : undefined,
    tracked: true,
  };
}

/** A commission member writing in the commission's channel (a thread under the card `root`, when given). */
function member(a: TeamsApp, name: string, root?: string): TeamsUser {
  return new TeamsUser(a, {
    name,
    locale: 'en-GB',
    conversation: {
      id: root ? `${CHANNEL};messageid=${root}` : CHANNEL,
      conversationType: 'channel',
      isGroup: true,
      tenantId: 'tenant-1',
    },
  });
}

/** Makes the bot known in the commission channel (its reference is stored under ROOM). */
async function installInChannel(a: TeamsApp): Promise<void> {
  const m = member(a, 'Ana Lima');
  await m.send(m.activity('conversationUpdate', { membersAdded: [{ id: m.bot.id }] }));
  expect(await a.store.addresses.get(ROOM)).toBeDefined();
}

const noButtons = (card: any) =>
  !card.actions?.length &&
  !elements(card).some((e) => e.type === 'Action.Submit' || e.type === 'ActionSet' || e.type === 'Action.Execute');

describe('TeamsNotifier.send and update', () => {
  it('send resolves to the ids the connector gave each message, in order', async () => {
    app = await startTeams();
    await installInChannel(app);
    const before = app.connector.calls.length;
    const posted = await app.channel.notifier.send(ROOM, [
      applicationCard('live'),
      { lang: 'en', text: 'Two applications wait in total.' },
    ]);
    const sent = app.connector.calls.slice(before);
    expect(sent.map((c) => [c.method, c.conversation, c.target])).toEqual([
      ['POST', CHANNEL, undefined],
      ['POST', CHANNEL, undefined],
    ]);
    expect(posted).toEqual(sent.map((c) => ({ key: ROOM, id: c.id })));
    expect(new Set(posted.map((p) => p.id)).size).toBe(2);
    expect(findSubmit(cardsOf(sent[0]!.activity)[0], 'endorse')).toBeDefined();
  });

  it('update PUTs the decided card over the posted message, in the stored conversation, without buttons', async () => {
    app = await startTeams();
    const u = new TeamsUser(app, { locale: 'en-US' });
    await u.send(u.activity('installationUpdate', { action: 'add' }));
    const key = `teams:user:${u.aad}`;
    const [posted] = await app.channel.notifier.send(key, [applicationCard('live')]);
    const before = app.connector.calls.length;
    await app.channel.notifier.update(posted!, applicationCard('decided'));
    const calls = app.connector.calls.slice(before);
    expect(calls.map((c) => [c.method, c.conversation, c.target])).toEqual([['PUT', u.conversation.id, posted!.id]]);
    const put = calls[0]!.activity;
    expect(put.id).toBe(posted!.id);
    expect(put.text).toBe(applicationCard('decided').text);
    const card = cardsOf(put)[0];
    expect(JSON.stringify(card)).toContain('Endorsed by Ana Lima');
    expect(noButtons(card)).toBe(true);

    // A reply without a card replaces the card with text alone: no attachment left behind.
    await app.channel.notifier.update(posted!, { lang: 'en', text: 'This application was withdrawn.' });
    const last = app.connector.calls.at(-1)!;
    expect([last.method, last.target, last.activity.text]).toEqual([
      'PUT',
      posted!.id,
      'This application was withdrawn.',
    ]);
    expect(last.activity.attachments).toEqual([]);
  });

  it('says why it cannot: an address never stored is unknown_address, a refusing connector not_reachable', async () => {
    app = await startTeams();
    await installInChannel(app);
    const [posted] = await app.channel.notifier.send(ROOM, [applicationCard('live')]);
    const before = app.connector.calls.length;
    for (const attempt of [
      app.channel.notifier.send('teams:room:19:never-seen@thread.tacv2', [{ lang: 'en', text: 'x' }]),
      app.channel.notifier.update({ key: 'teams:user:nobody', id: posted!.id }, applicationCard('decided')),
    ]) {
      const err = await attempt.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NotifyError);
      expect((err as NotifyError).code).toBe('unknown_address');
    }
    expect(app.connector.calls.length).toBe(before);
    app.connector.failNext(403);
    await expect(app.channel.notifier.update(posted!, applicationCard('decided'))).rejects.toMatchObject({
      name: 'NotifyError',
      code: 'not_reachable',
    });
  });
});

describe('a tracked card pressed in Teams', () => {
  /**
   * The core's stand-in for the endorsement desk: the first decision by an endorser (Ana, Cem) wins and updates
   * the card; a later one is told who decided first; anyone else is refused.
   */
  function deciding(a: TeamsApp, posted: () => { key: string; id: string }) {
    const handle = a.core.assistant.handle.bind(a.core.assistant);
    const turns: Turn[] = [];
    let decidedBy: string | undefined;
    const spy = vi.spyOn(a.core.assistant, 'handle').mockImplementation(async (turn: Turn) => {
      if (!['endorse', 'return', 'decline'].includes(turn.action?.id ?? '')) return handle(turn);
      turns.push(turn);
      if (!['Ana Lima', 'Cem Kaya'].includes(turn.user.name!))
        return [{ lang: 'en', text: `${turn.user.name} may not decide for this commission.` }];
      if (decidedBy) return [{ lang: 'en', text: `Already decided by ${decidedBy}.` }];
      decidedBy = turn.user.name;
      await a.channel.notifier.update(posted(), applicationCard('decided'));
      return [{ lang: 'en', text: 'Endorsed. The applicant and the coordinators were told.' }];
    });
    return { spy, turns };
  }

  /** The bot installed in the commission channel, a live application card posted there, and a core that decides. */
  async function liveCardInChannel(a: TeamsApp) {
    await installInChannel(a);
    const [posted] = await a.channel.notifier.send(ROOM, [applicationCard('live')]);
    const live = cardsOf(a.connector.messages.at(-1)!.activity)[0];
    return { posted, live, ...deciding(a, () => posted!) };
  }

  it('is not redrawn by the bot (only the core updates it); the same person pressing again is dropped', async () => {
    app = await startTeams();
    const { posted, live, turns } = await liveCardInChannel(app);
    const ana = member(app, 'Ana Lima', posted!.id);

    const calls = await ana.submit(posted!.id, findSubmit(live, 'endorse').data);
    // One PUT, the core's (via Notifier.update), and the answer in the thread; no "Chosen: …" redraw of the bot's.
    const puts = calls.filter((c) => c.method === 'PUT');
    expect(puts.map((c) => [c.conversation, c.target])).toEqual([[CHANNEL, posted!.id]]);
    expect(noButtons(cardsOf(puts[0]!.activity)[0])).toBe(true);
    expect(JSON.stringify(calls)).not.toContain(app.core.i18n.t('en', 'teams:chosen', { choice: 'Endorse' }));
    expect(calls.filter((c) => c.method === 'POST').map((c) => [c.conversation, c.activity.text])).toEqual([
      [`${CHANNEL};messageid=${posted!.id}`, 'Endorsed. The applicant and the coordinators were told.'],
    ]);
    expect(turns.map((t) => t.action)).toEqual([{ id: 'endorse', value: 'GNLC-2025-DE-001@1' }]);

    // Ana's card again (a double click, a client not yet refreshed): nothing reaches the core.
    expect(await ana.submit(posted!.id, findSubmit(live, 'endorse').data)).toEqual([]);
    expect(await ana.submit(posted!.id, findSubmit(live, 'decline').data)).toEqual([]);
    expect(turns).toHaveLength(1);
    // Another endorser's press on a stale card reaches the core, which says who decided first;
    // still no redraw of the bot's.
    const cem = await member(app, 'Cem Kaya', posted!.id).submit(posted!.id, findSubmit(live, 'decline').data);
    expect(cem.map((c) => [c.method, c.activity.text])).toEqual([['POST', 'Already decided by Ana Lima.']]);
    expect(turns.map((t) => [t.user.name, t.action?.id])).toEqual([
      ['Ana Lima', 'endorse'],
      ['Cem Kaya', 'decline'],
    ]);
    expect(turns[0]!.user.altIds).toEqual([ana.id]);
  });

  it('lets one double click through to the core when both presses arrive together', async () => {
    app = await startTeams();
    const { posted, live, turns } = await liveCardInChannel(app);
    const ana = member(app, 'Ana Lima', posted!.id);
    const data = findSubmit(live, 'endorse').data;
    const [a, b] = await Promise.all([
      app.post(ana.activity('message', { value: data, replyToId: posted!.id })),
      app.post(ana.activity('message', { value: data, replyToId: posted!.id })),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(turns).toHaveLength(1);
    expect(app.connector.calls.filter((c) => c.method === 'PUT')).toHaveLength(1);
  });

  it('stays pressable for a person whose press the core refused without updating the card', async () => {
    app = await startTeams();
    const { posted, live, turns } = await liveCardInChannel(app);
    const bo = member(app, 'Bo Berg', posted!.id);
    const refusal = [['POST', 'Bo Berg may not decide for this commission.']];

    expect(
      (await bo.submit(posted!.id, findSubmit(live, 'endorse').data)).map((c) => [c.method, c.activity.text]),
    ).toEqual(refusal);
    expect(
      (await bo.submit(posted!.id, findSubmit(live, 'endorse').data)).map((c) => [c.method, c.activity.text]),
    ).toEqual(refusal);
    const ana = member(app, 'Ana Lima', posted!.id);
    const decided = await ana.submit(posted!.id, findSubmit(live, 'endorse').data);
    expect(decided.map((c) => c.method)).toEqual(['PUT', 'POST']);
    expect(await ana.submit(posted!.id, findSubmit(live, 'endorse').data)).toEqual([]);
    expect(turns.map((t) => t.user.name)).toEqual(['Bo Berg', 'Bo Berg', 'Ana Lima']);
  });

  it('pressed as Action.Execute, answers with a message (the card stays as the core drew it), once', async () => {
    app = await startTeams();
    const { posted, live, turns } = await liveCardInChannel(app);
    const ana = member(app, 'Ana Lima', posted!.id);
    const data = findSubmit(live, 'endorse').data;
    const execute = () =>
      app!.post(
        ana.activity('invoke', {
          name: 'adaptiveCard/action',
          replyToId: posted!.id,
          value: { action: { type: 'Action.Execute', verb: 'endorse', data } },
        }),
      );
    const before = app.connector.calls.length;
    const first = await execute();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    // The only card change is the core's update.
    expect(app.connector.calls.slice(before).filter((c) => c.method === 'PUT')).toHaveLength(1);
    const second = await execute();
    expect(second.status).toBe(200);
    expect(second.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(turns).toHaveLength(1);
    expect(app.connector.calls.length).toBe(before + 2);
  });
});
