import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TRACKED_BLOCK } from '../../../src/channels/slack/blocks.ts';
import { plainText } from '../../../src/channels/slack/mrkdwn.ts';
import { ENDORSE_ACTIONS } from '../../../src/core/endorsement/decisions.ts';
import type { Turn } from '../../../src/core/turn.ts';
import { validAnswers } from '../../conversation.ts';
import { limitErrors, typeErrors } from './block-kit-check.ts';
import { ROUTING, SlackHarness, type Choice } from './harness.ts';

let h: SlackHarness;

beforeAll(async () => {
  h = await SlackHarness.start();
});
/** Every payload sent in this file is checked against @slack/types and Slack's limits at the end. */
afterAll(async () => {
  const sent = h.sent();
  await h.close();
  expect(limitErrors(sent)).toEqual([]);
  expect(typeErrors(sent)).toEqual([]);
});

/** The Turn the core received last. */
async function lastTurn(send: () => Promise<unknown>): Promise<Turn> {
  const spy = vi.spyOn(h.core.assistant, 'handle');
  try {
    await send();
    await h.settle();
    expect(spy).toHaveBeenCalledTimes(1);
    return spy.mock.calls[0]![0];
  } finally {
    spy.mockRestore();
  }
}

describe('people mentioned in a message reach the core', () => {
  it('in a DM: each mentioned user once, in order, named by the label or users.info, never the bot', async () => {
    h.api.profiles.set('UANA', { name: 'Ana Wairimu' });
    const raw = 'please add <@UANA> and <@UBOB|bob> &amp; <@UBOT>, cc <@UANA>';
    const turn = await lastTurn(() =>
      h.slack.event({
        type: 'message',
        channel_type: 'im',
        channel: 'DADMIN',
        user: 'UADMIN',
        text: raw,
        ts: '1700000100.000100',
      }),
    );
    expect(turn.mentions).toEqual([
      { id: 'UANA', name: 'Ana Wairimu' },
      { id: 'UBOB', name: 'bob' },
    ]);
    expect(turn.text).toBe(plainText(raw, 'UBOT'));
    expect(turn.text).toBe('please add @UANA and @bob & , cc @UANA');
    // A mention that carries its name costs no lookup.
    expect(h.api.of('users.info').map((c) => c.args.user)).not.toContain('UBOB');
  });

  it('in a channel mention: the bot’s own mention is not one of them (Enterprise Grid W… ids too)', async () => {
    h.api.profiles.set('W0CAROL', { name: 'Carol' });
    const turn = await lastTurn(() =>
      h.slack.event({
        type: 'app_mention',
        user: 'UADMIN',
        channel: 'C0GENERAL',
        text: '<@UBOT> add endorser KE <@W0CAROL>',
        ts: '1700000100.000200',
      }),
    );
    expect(turn.room).toEqual({ id: 'C0GENERAL', direct: false });
    expect(turn.mentions).toEqual([{ id: 'W0CAROL', name: 'Carol' }]);
    expect(turn.text).toBe('add endorser KE @W0CAROL');
  });

  it('a message that mentions nobody (or only the bot) has no mentions', async () => {
    const turn = await lastTurn(() =>
      h.slack.event({
        type: 'app_mention',
        user: 'UADMIN',
        channel: 'C0GENERAL',
        text: '<@UBOT> help',
        ts: '1700000100.000300',
      }),
    );
    expect(turn.mentions).toBeUndefined();
    expect(turn.text).toBe('help');
  });
});

describe('a commission’s application card in a Slack channel', () => {
  const room = ROUTING.commissionRoom;
  /** The card of an application as the commission's channel shows it now. */
  const cardOf = (id: string) => h.shown(room).find((m) => JSON.stringify(m.blocks).includes(id))!;
  const buttonsOf = (id: string) => cardOf(id).blocks.filter((b) => b.type === 'actions');
  const isButton = (action: string, id: string) => (c: Choice) => c.id === action && c.value.startsWith(id);
  const updatesOf = (id: string) =>
    h.api.of('chat.update').filter((c) => c.args.channel === room && c.args.ts === cardOf(id).ts);
  const dmPosts = (user: string) =>
    h.api.of('chat.postMessage').filter((c) => c.posted?.channel === `D${user.slice(1)}`).length;

  it('keeps its buttons live through presses that change nothing, and is redrawn by the core alone', async () => {
    h.api.profiles.set(ROUTING.endorser, { name: 'Ana Endorser' });
    const id = await h.apply('UKAMAU', validAnswers('en', h.core.i18n.t));
    const app = (await h.store.applications.get(id))!;
    expect(app.posts).toEqual([{ key: `slack:room:${room}`, id: `${room}/${cardOf(id).ts}` }]);
    expect(buttonsOf(id).length).toBeGreaterThan(0);
    expect(buttonsOf(id).every((b) => b.block_id.startsWith(TRACKED_BLOCK))).toBe(true);

    // Someone in the room who is not an endorser presses Endorse: refused privately, the card stays live.
    const roomPosts = h.api.of('chat.postMessage').filter((c) => c.args.channel === room).length;
    expect(await h.press('UPASSERBY', room, isButton(ENDORSE_ACTIONS.endorse, id))).toBe(true);
    expect(dmPosts('UPASSERBY')).toBe(1);
    expect(h.api.of('chat.postMessage').filter((c) => c.args.channel === room).length).toBe(roomPosts);
    expect((await h.store.applications.get(id))!.status).toBe('submitted');
    expect(h.choices(room).some(isButton(ENDORSE_ACTIONS.endorse, id))).toBe(true);

    // The endorser starts a return, then cancels it instead of typing a reason: still live.
    expect(await h.press(ROUTING.endorser, room, isButton(ENDORSE_ACTIONS.return, id))).toBe(true);
    expect((await h.store.conversations.get(`slack:${ROUTING.endorser}`))?.pending?.application).toBe(id);
    await h.say(ROUTING.endorser, 'cancel');
    expect((await h.store.conversations.get(`slack:${ROUTING.endorser}`))?.pending).toBeUndefined();
    expect(h.choices(room).some(isButton(ENDORSE_ACTIONS.endorse, id))).toBe(true);

    // The third press on the same message within minutes is not dropped: the endorsement is recorded.
    const applicantPosts = dmPosts('UKAMAU');
    expect(await h.press(ROUTING.endorser, room, isButton(ENDORSE_ACTIONS.endorse, id))).toBe(true);
    const decided = (await h.store.applications.get(id))!;
    expect(decided.decision).toMatchObject({
      status: 'endorsed',
      by: { key: `slack:${ROUTING.endorser}`, name: 'Ana Endorser' },
    });
    expect(buttonsOf(id)).toEqual([]);
    expect(dmPosts('UKAMAU')).toBe(applicantPosts + 1);
    expect(JSON.stringify(h.shown(ROUTING.coordinatorsRoom).map((m) => m.blocks))).toContain(id);

    // The one redraw of the card is the core's after the decision (Notifier.update): presses that changed
    // nothing left it alone, and Slack's own "✓ chosen" never replaced it.
    expect(updatesOf(id)).toHaveLength(1);
    for (const u of updatesOf(id)) expect(JSON.stringify(u.args.blocks)).not.toContain('✓');
  });

  it('takes a double click on a card’s button once', async () => {
    const id = await h.apply('UOTIENO', { ...validAnswers('en', h.core.i18n.t), 'city.name': 'Riverton' });
    const decline = h.choices(room).find(isButton(ENDORSE_ACTIONS.decline, id))!;
    const message = {
      type: 'message',
      user: 'UBOT',
      bot_id: 'BBOT',
      ts: decline.message.ts,
      text: decline.message.text,
      blocks: decline.message.blocks,
    };
    const prompts = dmPosts(ROUTING.endorser);
    await Promise.all([1, 2].map(() => h.slack.press(ROUTING.endorser, decline.element, { channel: room, message })));
    await h.settle();
    // One reason prompt, in the endorser's DM.
    expect(dmPosts(ROUTING.endorser)).toBe(prompts + 1);

    await h.say(ROUTING.endorser, 'The budget figures are missing.');
    expect((await h.store.applications.get(id))!.decision).toMatchObject({
      status: 'declined',
      reason: 'The budget figures are missing.',
    });
    expect(buttonsOf(id)).toEqual([]);
  });
});
