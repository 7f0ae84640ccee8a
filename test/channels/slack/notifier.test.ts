import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACKED_BLOCK } from '../../../src/channels/slack/blocks.ts';
import { NotifyError } from '../../../src/core/notifier.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { limitErrors, typeErrors, type Sent } from './block-kit-check.ts';
import { SlackHarness } from './harness.ts';

let h: SlackHarness;

beforeAll(async () => {
  h = await SlackHarness.start();
});
/** Every payload sent in this file is checked against @slack/types and Slack's limits at the end. */
afterAll(async () => {
  const sent: Sent[] = h.sent();
  await h.close();
  expect(sent.length).toBeGreaterThan(5);
  expect(limitErrors(sent)).toEqual([]);
  expect(typeErrors(sent)).toEqual([]);
});

const card = (title: string, live: boolean): Reply => ({
  lang: 'en',
  text: `Application ${title}`,
  card: {
    title,
    sections: [
      {
        title: 'City',
        facts: [
          { label: 'Name', value: title },
          { label: 'Country', value: 'Kenya' },
        ],
      },
    ],
  },
  actions: live
    ? [
        { id: 'endorse', label: 'Endorse', value: 'GNLC-2025-KE-001', style: 'primary' },
        { id: 'decline', label: 'Decline', value: 'GNLC-2025-KE-001', style: 'danger' },
      ]
    : undefined,
  tracked: true,
});

/** The Slack error the next call of `method` answers with (HTTP 200, ok: false, as Slack does). */
const slackError = (method: string, error: string) =>
  h.api.failNext(method, { status: 200, body: { ok: false, error } });

/** The NotifyError code a promise rejects with, or the error's name when it is not a NotifyError. */
async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return err instanceof NotifyError ? err.code : `not a NotifyError: ${(err as Error).name}`;
  }
  return 'resolved';
}

describe('SlackNotifier.send', () => {
  it('resolves to one Posted per message, in order, with the channel and ts Slack answered', async () => {
    const from = h.api.calls.length;
    const long = Array.from({ length: 2000 }, (_, i) => `Sentence ${i} about learning cities.`).join(' ');
    const posted = await h.channel.notifier.send('slack:room:C0ROOM', [
      { lang: 'en', text: 'First' },
      { lang: 'en', text: long },
    ]);
    const posts = h.api.calls.slice(from).filter((c) => c.method === 'chat.postMessage');
    // The long reply took several messages: each one is reported.
    expect(posts.length).toBeGreaterThan(2);
    expect(posted).toEqual(posts.map((c) => ({ key: 'slack:room:C0ROOM', id: `C0ROOM/${c.posted!.ts}` })));
    expect(new Set(posted.map((p) => p.id)).size).toBe(posted.length);
  });

  it('reports the DM channel from Slack’s answer when it posts to a user id', async () => {
    const [posted, ...rest] = await h.channel.notifier.send('slack:user:UANA', [
      { lang: 'en', text: 'Your application was endorsed.' },
    ]);
    const call = h.api.of('chat.postMessage').at(-1)!;
    expect(rest).toEqual([]);
    expect(call.args.channel).toBe('UANA');
    expect(call.posted!.channel).toBe('DANA');
    expect(posted).toEqual({ key: 'slack:user:UANA', id: `DANA/${call.posted!.ts}` });
  });

  it('refuses an address that is not Slack’s and maps Slack’s “cannot write there” errors', async () => {
    expect(await rejection(h.channel.notifier.send('teams:user:29:1abc', [{ lang: 'en', text: 'x' }]))).toBe(
      'unknown_address',
    );
    expect(await rejection(h.channel.notifier.send('slack:room:general', [{ lang: 'en', text: 'x' }]))).toBe(
      'unknown_address',
    );
    for (const error of ['channel_not_found', 'not_in_channel', 'is_archived', 'user_not_found', 'account_inactive']) {
      slackError('chat.postMessage', error);
      expect(await rejection(h.channel.notifier.send('slack:room:C0GONE', [{ lang: 'en', text: 'x' }])), error).toBe(
        'not_reachable',
      );
    }
    // Anything else is not about the address: it is passed on as it is.
    slackError('chat.postMessage', 'invalid_blocks');
    expect(await rejection(h.channel.notifier.send('slack:room:C0ROOM', [{ lang: 'en', text: 'x' }]))).toBe(
      'not a NotifyError: Error',
    );
  });
});

describe('SlackNotifier.update', () => {
  it('replaces a posted card in the DM it landed in, with chat.update and no buttons once decided', async () => {
    const [posted] = await h.channel.notifier.send('slack:user:UBEN', [card('Testville', true)]);
    const sent = h.api.of('chat.postMessage').at(-1)!;
    // The live card's buttons are marked as the core's to redraw.
    const live = (sent.args.blocks as any[]).filter((b) => b.type === 'actions');
    expect(live.length).toBe(1);
    expect(live.every((b) => b.block_id.startsWith(TRACKED_BLOCK))).toBe(true);

    await h.channel.notifier.update(posted!, card('Testville: endorsed by Ana', false));
    const update = h.api.of('chat.update').at(-1)!;
    expect(update.args).toMatchObject({ channel: 'DBEN', ts: sent.posted!.ts });
    const blocks = update.args.blocks as any[];
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(blocks.find((b) => b.type === 'header').text.text).toBe('Testville: endorsed by Ana');
    expect(String(update.args.text).startsWith('Application Testville: endorsed by Ana')).toBe(true);
    expect(h.shown('DBEN').map((m) => m.blocks)).toEqual([blocks]);
  });

  it('puts the first message’s worth in place when a reply would need several', async () => {
    const [posted] = await h.channel.notifier.send('slack:room:C0ROOM', [{ lang: 'en', text: 'Short' }]);
    const long = Array.from({ length: 3000 }, (_, i) => `Line ${i} of a long redraw.`).join(' ');
    const parts = h.channel.blocks.message({ lang: 'en', text: long });
    expect(parts.length).toBeGreaterThan(1);
    const updates = h.api.of('chat.update').length;
    await h.channel.notifier.update(posted!, { lang: 'en', text: long });
    expect(h.api.of('chat.update').length).toBe(updates + 1);
    expect(h.api.of('chat.update').at(-1)!.args.blocks).toEqual(parts[0]!.blocks);
  });

  it('maps a message it can no longer edit, or a bad id, to NotifyError', async () => {
    const [posted] = await h.channel.notifier.send('slack:room:C0ROOM', [card('Lakeside', true)]);
    for (const error of [
      'message_not_found',
      'cant_update_message',
      'edit_window_closed',
      'channel_not_found',
      'is_archived',
    ]) {
      slackError('chat.update', error);
      expect(await rejection(h.channel.notifier.update(posted!, card('Lakeside', false))), error).toBe('not_reachable');
    }
    expect(
      await rejection(h.channel.notifier.update({ key: posted!.key, id: 'not-a-message' }, card('Lakeside', false))),
    ).toBe('unknown_address');
    expect(
      await rejection(h.channel.notifier.update({ key: 'local:room:x', id: posted!.id }, card('Lakeside', false))),
    ).toBe('unknown_address');
    slackError('chat.update', 'invalid_blocks');
    expect(await rejection(h.channel.notifier.update(posted!, card('Lakeside', false)))).toBe(
      'not a NotifyError: Error',
    );
    // After all that, a good update still lands.
    await h.channel.notifier.update(posted!, card('Lakeside', false));
    expect(h.api.of('chat.update').at(-1)!.args).toMatchObject({ channel: 'C0ROOM', ts: posted!.id.split('/')[1] });
  });
});
