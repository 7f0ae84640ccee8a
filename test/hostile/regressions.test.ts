/** The failing examples the properties of endpoints.test.ts found, kept as plain tests. */
import { describe, expect, it } from 'vitest';
import { typedText } from '../../src/channels/teams/activity.ts';
import { snapshot } from './hostile.ts';
import { BOMB_DEPTH, post, slackHeaders } from './payloads.ts';
import { SECRET, stillServing, useEndpoints, type Endpoints } from './world.ts';

let e: Endpoints;
useEndpoints((x) => (e = x));

const bomb = `${'['.repeat(BOMB_DEPTH)}${']'.repeat(BOMB_DEPTH)}`;

async function slack(body: string, type = 'application/json') {
  const buf = Buffer.from(body);
  return post(e.slackUrl, buf, slackHeaders(SECRET, buf, type, 'valid', Math.floor(Date.now() / 1000)));
}

describe('Slack payloads Bolt could not read, signed with the right secret', () => {
  const notObjectOrBomb =
    'refuses a body that is not an object, and a url_verification whose challenge is a JSON bomb ' +
    '(both used to kill the process)';
  it(notObjectOrBomb, async () => {
    // Bolt read `body.ssl_check` of null, and JSON.stringify-ed the challenge, outside any try: an unhandled rejection.
    for (const body of [
      'null',
      '"x"',
      '1',
      '[]',
      `{"type":"url_verification","challenge":${bomb}}`,
      '{"type":"url_verification","challenge":{"a":1}}',
    ]) {
      const a = await slack(body);
      expect(a.status, body.slice(0, 40)).toBe(400);
      expect(JSON.parse(a.body).error).toBe('bad_payload');
    }
    for (const body of ['payload=null', `payload=${encodeURIComponent(bomb)}`])
      expect((await slack(body, 'application/x-www-form-urlencoded')).status).toBe(400);
    expect((await slack('{"type":"url_verification","challenge":"abc"}')).body).toBe('{"challenge":"abc"}');
    await stillServing(e);
  });

  it('refuses fields of the wrong type with 400 (Bolt answered 500), changing nothing', async () => {
    const before = snapshot(e.dir);
    const event = (ev: unknown) =>
      JSON.stringify({ type: 'event_callback', event_id: 'EvX', team_id: 'T1', event: ev });
    const dm = { type: 'message', channel_type: 'im', channel: 'DWRONG', user: 'UWRONG', text: 'help', ts: '1.2' };
    for (const body of [
      event('x'),
      event(null),
      event({ ...dm, channel: null }),
      event({ ...dm, user: { id: 'UWRONG' } }),
      event({ ...dm, text: 42 }),
      event({ type: 'reaction_added', item: 'x' }),
      JSON.stringify({ type: 'block_actions', user: { id: 'UWRONG' }, actions: {} }),
      JSON.stringify({ type: 'block_actions', user: { id: 'UWRONG' }, actions: [null] }),
      JSON.stringify({
        type: 'block_actions',
        actions: [{ type: 'button', action_id: 'gnlc:apply:0', value: 'apply', text: { text: 'x' } }],
      }),
      JSON.stringify({ command: '/gnlc', text: ['help'], user_id: 'UWRONG', channel_id: 'C1' }),
      JSON.stringify({
        command: '/gnlc',
        text: 'help',
        user_id: 'UWRONG',
        channel_id: 'C1',
        response_url: 'not a url',
      }), // respond() failed after the turn
      JSON.stringify({ command: '/gnlc', text: 'help', user_id: 'UWRONG', channel_id: 'C1' }), // no respond() at all
      JSON.stringify({ type: 'event_callback', event: dm, authorizations: [null] }),
    ]) {
      const a = await slack(body);
      expect(a.status, body).toBe(400);
    }
    // What Bolt could still not read is refused by its error handler: 400 as well, never Bolt's 500.
    expect((await slack(JSON.stringify({ type: 'view_submission' }))).status).toBe(400);
    await e.slack.idle();
    expect(snapshot(e.dir)).toEqual(before);
  });
});

describe('Slack payloads found by npm run fuzz', () => {
  let pressed = 0;
  const press = (
    actionId: string,
    blocks: unknown,
    label: Record<string, unknown> = { text: { type: 'plain_text', text: 'Apply' } },
  ) =>
    `payload=${encodeURIComponent(
      JSON.stringify({
        type: 'block_actions',
        user: { id: 'UBOMB' },
        team: { id: 'T1' },
        channel: { id: 'DBOMB' },
        message: { ts: `1717000000.${String(++pressed).padStart(6, '0')}`, text: 'Pick one', blocks },
        actions: [{ type: 'button', action_id: actionId, block_id: 'b1', value: 'apply', ...label }],
      }),
    ).replace(encodeURIComponent('"BOMB"'), encodeURIComponent(bomb))}`;

  const bombInPressedMessage =
    'refuses a press whose message nests a JSON bomb (echoed into chat.update, ' +
    'it overflowed the stack in the HTTP client, retried for 15 s)';
  it(bombInPressedMessage, async () => {
    const before = snapshot(e.dir);
    const calls = e.api.calls.length;
    for (const blocks of ['BOMB', [{ type: 'section', text: 'BOMB' }]]) {
      const a = await slack(press('gnlc:apply:0', blocks), 'application/x-www-form-urlencoded');
      expect(a.status).toBe(400);
      expect(JSON.parse(a.body).problem).toBe('(payload): nested more than 64 levels deep');
    }
    await e.slack.idle();
    expect(e.api.calls.length).toBe(calls);
    expect(snapshot(e.dir)).toEqual(before);
    // A press as deep as the deepest real message (rich text in a section) is still taken.
    let deep: unknown = 'x';
    for (let i = 0; i < 20; i++) deep = { elements: [deep] };
    const ok = await slack(
      press('gnlc:apply:0', [{ type: 'rich_text', elements: [deep] }]),
      'application/x-www-form-urlencoded',
    );
    expect(ok.status).toBe(200);
    await e.slack.idle();
    expect(e.api.calls.slice(calls).map((c) => c.method)).toContain('chat.postMessage');
  });

  it('takes a press of a button without a label (the handler read its text and failed)', async () => {
    const calls = e.api.calls.length;
    const a = await slack(
      press('gnlc:apply:0', [{ type: 'actions', block_id: 'b1', elements: [] }], {}),
      'application/x-www-form-urlencoded',
    );
    expect(a.status).toBe(200);
    await e.slack.idle();
    const sent = e.api.calls.slice(calls);
    expect(sent.find((c) => c.method === 'chat.update')?.args.blocks).toEqual([
      { type: 'context', elements: [{ type: 'mrkdwn', text: '✓ ' }] },
    ]);
    expect(sent.filter((c) => c.method === 'chat.postMessage' && c.posted?.channel === 'DBOMB').length).toBeGreaterThan(
      0,
    );
  });

  const loneSurrogates =
    "refuses text with lone surrogates, which Slack never sends (the payload's team id, " +
    'added by Bolt to every Web API call, made the call throw "URI malformed", retried for 15 s)';
  it(loneSurrogates, async () => {
    const before = snapshot(e.dir);
    const calls = e.api.calls.length;
    const dm = (over: Record<string, unknown>) =>
      JSON.stringify({
        type: 'event_callback',
        event_id: `EvSur${++pressed}`,
        team_id: 'T1',
        event: { type: 'message', channel_type: 'im', channel: 'DSUR', user: 'USUR', text: 'help', ts: '1.2' },
        ...over,
      });
    for (const body of [
      dm({ team_id: 'T\uD800' }),
      dm({
        event: { type: 'message', channel_type: 'im', channel: 'DSUR', user: 'USUR', text: 'Lyon\uDC00', ts: '1.2' },
      }),
      dm({ 'k\uD800': 1 }),
      press('gnlc:apply:0', []).replace(encodeURIComponent('Pick one'), encodeURIComponent('Pick\\ud800 one')),
    ]) {
      const a = await slack(
        body,
        body.startsWith('payload=') ? 'application/x-www-form-urlencoded' : 'application/json',
      );
      expect(a.status, body.slice(0, 80)).toBe(400);
      expect(JSON.parse(a.body).problem).toBe('(payload): a text holds a lone surrogate (not valid Unicode)');
    }
    await e.slack.idle();
    expect(e.api.calls.length).toBe(calls);
    expect(snapshot(e.dir)).toEqual(before);
  });

  const notForTheApp =
    'acknowledges at once what is not for the app, and refuses what is no kind of request ' +
    '(Bolt left both unanswered for 3 s, logging an error)';
  it(notForTheApp, async () => {
    const before = snapshot(e.dir);
    const calls = e.api.calls.length;
    const other = [
      JSON.stringify({
        type: 'shortcut',
        callback_id: 'x',
        trigger_id: '1',
        user: { id: 'USHORT' },
        team: { id: 'T1' },
      }),
      JSON.stringify({
        type: 'view_submission',
        user: { id: 'UVIEW' },
        team: { id: 'T1' },
        view: { id: 'V1', callback_id: 'x', state: { values: {} } },
      }),
      JSON.stringify({ command: '/other', text: 'x', user_id: 'UCMD', channel_id: 'C1' }),
    ];
    for (const body of [...other, press('other-app:button', [])]) {
      const a = await slack(
        body,
        body.startsWith('payload=') ? 'application/x-www-form-urlencoded' : 'application/json',
      );
      expect(a.status, body.slice(0, 60)).toBe(200);
    }
    for (const body of ['{"type":"fuzz"}', '{}', '{"ssl_check":"0"}']) {
      const a = await slack(body);
      expect(a.status, body).toBe(400);
      expect(JSON.parse(a.body).problem).toBe(
        '(payload): not an event, command, action, shortcut, view or options request',
      );
    }
    await e.slack.idle();
    expect(e.api.calls.length).toBe(calls);
    expect(snapshot(e.dir)).toEqual(before);
  });
});

describe('Teams activities with fields of the wrong type', () => {
  const activity = (extra: Record<string, unknown>) => ({
    type: 'message',
    id: `wrong-${Math.random()}`,
    channelId: 'msteams',
    serviceUrl: e.connector.url,
    text: 'help',
    from: { id: '29:wrong', name: 'W' },
    recipient: { id: '28:gnlc-bot' },
    conversation: { id: 'a:wrong', conversationType: 'personal' },
    ...extra,
  });
  const teams = (a: unknown) =>
    post(e.teamsUrl, Buffer.from(typeof a === 'string' ? a : JSON.stringify(a)), {
      'content-type': 'application/json',
    });

  const refusedBeforeTurn =
    'refuses them with 400 before the turn (they failed it: a 500, or "something went wrong", or no answer at all)';
  it(refusedBeforeTurn, async () => {
    const before = snapshot(e.dir);
    const sent = e.connector.calls.length;
    const cases: [Record<string, unknown>, string][] = [
      [{ entities: [null] }, 'bad_entities.0'], // 500: null.type
      [{ locale: 5 }, 'bad_locale'], // 500: locale.trim is not a function
      [{ entities: [{ locale: 'fr' }] }, 'bad_entities.0.type'], // "something went wrong"
      [{ type: 'conversationUpdate', membersAdded: [null] }, 'bad_membersAdded.0'], // "something went wrong"
      [{ from: { id: '29:wrong', name: 5 } }, 'bad_from.name'], // the reply failed to serialize: no answer at all
      [{ type: 'typing', conversation: undefined }, 'missing_conversation'], // 500: conversation.id of undefined
      [{ type: 'fuzzType', serviceUrl: 42 }, 'missing_service_url'], // 500
      // the reply's header was refused by Node: "teams: turn failed"
      [{ conversation: { id: 'a:x\ny', conversationType: 'personal' } }, 'bad_conversation.id'],
      // the reply's URL overflowed the connector's header limit (431)
      [{ type: 'conversationUpdate', id: '<at>'.repeat(5000) }, 'bad_id'],
      [{ from: { id: `29:${'x'.repeat(2000)}` } }, 'bad_from.id'],
      // "teams: turn failed" in botbuilder's removeMentionText
      [{ entities: [{ type: 'mention', text: '<at>GNLC</at>' }] }, 'bad_entities.0.mentioned'],
    ];
    for (const [extra, code] of cases) {
      const a = await teams(activity(extra));
      expect(a.status, JSON.stringify(extra)).toBe(400);
      expect(JSON.parse(a.body).error).toBe(code);
    }
    // 500: the duplicate check built a string of a 100,000-deep array (stack overflow).
    expect(
      (await teams(JSON.stringify(activity({ type: 'typing' })).replace(/"id":"wrong-[^"]*"/, `"id":${bomb}`))).status,
    ).toBe(400);
    // A bomb anywhere (here in a card's submitted value) is refused before botbuilder walks the activity.
    const a = await teams(JSON.stringify(activity({ value: 'BOMB' })).replace('"BOMB"', bomb));
    expect([a.status, JSON.parse(a.body).error]).toEqual([400, 'too_deep']);
    const b = await teams(JSON.stringify(activity({ from: { id: '29:wrong', name: 'Ana\uD800' } })));
    expect([b.status, JSON.parse(b.body).error]).toEqual([400, 'lone_surrogate']);
    expect(e.connector.calls.length).toBe(sent);
    expect(snapshot(e.dir)).toEqual(before);
  });

  it('answers a bot mention without text, and a message of unclosed <at> tags, at once', async () => {
    const mention = { entities: [{ type: 'mention', mentioned: { id: '28:gnlc-bot' }, text: '<at>GNLC</at>' }] };
    expect(typedText(activity({ ...mention, text: undefined }) as never)).toBe('');
    const started = performance.now();
    // `<at>(.*?)</at>` scanned to the end of the text from every unclosed tag: minutes for a 1 MB message.
    expect(typedText(activity({ text: '<at>'.repeat(200_000) }) as never)).toBe('<at>'.repeat(200_000));
    expect(performance.now() - started).toBeLessThan(500);
    expect(
      typedText(
        activity({
          text: '<at>GNLC</at>&nbsp;add <at>Ana Lima</at> &amp; <at>Bo</at>',
          ...mention,
          recipient: { id: '28:gnlc-bot' },
        }) as never,
      ),
    ).toBe('add Ana Lima & Bo');
  });
});
