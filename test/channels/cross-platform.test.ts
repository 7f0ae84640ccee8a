import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { Routing, RoutingSchema } from '../../src/core/endorsement/routing.ts';
import { createLowdbStore } from '../../src/store/lowdb.ts';
import { validAnswers } from '../conversation.ts';
import { SlackHarness } from './slack/harness.ts';
import {
  cardProblems,
  cardsOf,
  elements,
  FakeConnector,
  findSubmit,
  TeamsUser,
  type ConnectorCall,
  type TeamsApp,
} from './teams/harness.ts';

const COMMISSION_KE = '19:commission-ke@thread.tacv2';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/**
 * One core behind one HTTP server on 127.0.0.1 with both channels, wired by createApp (the Slack harness's):
 * the real Slack channel (Bolt) with a fake Slack Web API, and the real Teams endpoint (CloudAdapter) with a
 * fake Bot Connector.
 * Kenya's commission is on Teams (its room registered by a coordinator from the channel), Germany's on
 * Slack; the coordinators' room is on Slack.
 */
async function bothPlatforms(dir = mkdtempSync(path.join(tmpdir(), 'gnlc-cross-'))) {
  const teamsCoordinatorId = '00000000-0000-0000-0000-00000000c001';
  const teamsEndorserId = '00000000-0000-0000-0000-00000000e001';
  const store = createLowdbStore(dir);
  const routing = new Routing(
    RoutingSchema.parse({
      coordinators: {
        room: { channel: 'slack', id: 'C0COORD' },
        members: [{ channel: 'teams', user: teamsCoordinatorId }],
      },
      commissions: {
        KE: { name: 'Kenya National Commission for UNESCO', endorsers: [{ channel: 'teams', user: teamsEndorserId }] },
        DE: {
          name: 'German Commission for UNESCO',
          room: { channel: 'slack', id: 'C0COMMDE' },
          endorsers: [
            { channel: 'slack', user: 'UENDDE' },
            { channel: 'slack', user: 'UENDDE2' },
            { channel: 'teams', user: teamsEndorserId },
          ],
        },
      },
    }),
  );
  const slack = await SlackHarness.create({ clock: fixedClock(new Date('2025-06-01T10:00:00Z')), store, routing });
  const { core } = slack;
  const port = await slack.listen();
  const connector = await new FakeConnector().start();
  const url = `http://127.0.0.1:${port}/api/messages`;
  const app: TeamsApp = {
    url,
    app: slack.app,
    core,
    store,
    channel: slack.app.platforms.teams,
    connector,
    async post(activity, headers = {}) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(activity),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    close: async () => connector.close(),
  };
  closers.push(async () => {
    await slack.close();
    await connector.close();
  });
  const inChannel = { id: COMMISSION_KE, conversationType: 'channel', tenantId: 'tenant-1' };
  const teamsUser = (name: string, aad: string | undefined, conversation?: TeamsUser['conversation']) => {
    const u = new TeamsUser(app, { name, locale: 'en-GB', ...(conversation ? { conversation } : {}) });
    if (aad) Object.assign(u, { aad });
    return u;
  };
  return {
    dir,
    core,
    store,
    slack,
    app,
    connector,
    coordinator: teamsUser('Cora', teamsCoordinatorId, inChannel),
    endorser: teamsUser('Esther Wambui', teamsEndorserId, inChannel),
    stranger: teamsUser('Sam', undefined, inChannel),
    teamsUser,
  };
}

/** A message in a Teams channel that @mentions the bot, as Teams sends it. */
function mention(user: TeamsUser, text: string) {
  return user.activity('message', {
    text: `<at>GNLC</at> ${text}`,
    entities: [{ type: 'mention', text: '<at>GNLC</at>', mentioned: { id: user.bot.id, name: 'GNLC' } }],
  });
}

/** The newest card the connector saw for a conversation (sent or updated). */
function latestCard(calls: ConnectorCall[], conversation: string, activityId?: string) {
  const mine = calls.filter(
    (c) =>
      c.conversation === conversation && (activityId === undefined || c.id === activityId || c.target === activityId),
  );
  for (const c of mine.reverse()) {
    const card = cardsOf(c.activity)[0];
    if (card) return { id: c.method === 'PUT' ? c.target! : c.id!, card, call: c };
  }
  return undefined;
}

describe('endorsement across Slack and Teams', () => {
  it('a Slack applicant, a commission on Teams, coordinators on Slack', async () => {
    const w = await bothPlatforms();
    // A coordinator makes the Teams channel Kenya's commission room, from the channel itself.
    const registered = await w.coordinator.send(mention(w.coordinator, 'register commission KE'));
    expect(registered.at(-1)!.activity.text).toContain('now the room of Kenya National Commission for UNESCO (KE)');

    const answers = validAnswers('en', w.core.i18n.t);
    const id = await w.slack.apply('U0APPLICANT', answers);
    const dm = w.slack.textsSince(0, 'D0APPLICANT');
    expect(dm.at(-1)).toContain('It has gone to Kenya National Commission for UNESCO');

    // The card was posted proactively to the Teams channel, with the three buttons.
    const posted = latestCard(w.connector.calls, COMMISSION_KE)!;
    expect(posted.call.method).toBe('POST');
    expect(cardProblems(posted.card)).toEqual([]);
    for (const action of ['endorse', 'return', 'decline']) expect(findSubmit(posted.card, action, id)).toBeDefined();
    expect(JSON.stringify(posted.card)).toContain('0 of 3');

    // Someone who is not an endorser presses: refused, nothing changes.
    const refused = await w.stranger.submit(posted.id, { action: 'endorse', value: id });
    expect(
      refused
        .filter((c) => c.method === 'POST')
        .map((c) => c.activity.text)
        .join('\n'),
    ).toContain('Only the designated endorsers');
    expect((await w.store.applications.get(id))!.status).toBe('submitted');

    // The endorser presses Endorse on Teams.
    await w.endorser.submit(posted.id, { action: 'endorse', value: id });
    const app = (await w.store.applications.get(id))!;
    expect(app).toMatchObject({
      status: 'forwarded',
      decision: { status: 'endorsed', by: { key: `teams:${w.endorser.aad}`, name: 'Esther Wambui' } },
    });
    // The card on Teams was replaced in place: who, what, when, and no button left.
    const updated = latestCard(w.connector.calls, COMMISSION_KE, posted.id)!;
    expect(updated.call.method).toBe('PUT');
    expect(elements(updated.card).filter((e) => e.type === 'Action.Submit')).toEqual([]);
    expect(JSON.stringify(updated.card)).toContain('Endorsed by Esther Wambui on 1 June 2025');
    // The applicant is told on Slack; the coordinators' Slack room has the forwarded application.
    expect(w.slack.textsSince(0, 'D0APPLICANT').at(-1)).toContain(
      'Kenya National Commission for UNESCO has endorsed your application',
    );
    const forwarded = w.slack.shown('C0COORD');
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0]!.text).toContain('forwarded to the GNLC coordination team');
    expect(forwarded[0]!.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('a Teams applicant, a commission on Slack that returns it with a reason, told on Teams', async () => {
    const w = await bothPlatforms();
    const applicant = w.teamsUser('Ada', undefined);
    const answers: Record<string, string> = {
      ...validAnswers('en', w.core.i18n.t),
      'city.name': 'Hamburg',
      'city.country': 'Germany',
    };
    await applicant.say('I want to apply');
    const key = `teams:${applicant.aad}`;
    for (let i = 0; i < 60; i++) {
      const intake = (await w.store.conversations.get(key))?.intake;
      if (intake?.mode !== 'filling') break;
      await applicant.say(answers[intake.field!]!);
    }
    await applicant.say('submit');
    const done = await applicant.say('yes');
    const id = /GNLC-2025-DE-\d{3}/.exec(done.map((c) => c.activity.text).join('\n'))![0];
    expect(done.at(-1)!.activity.text).toContain('It has gone to German Commission for UNESCO');

    // The card is in the Slack commission channel; the Slack endorser presses Return.
    expect(w.slack.shown('C0COMMDE')).toHaveLength(1);
    expect(await w.slack.press('UENDDE', 'C0COMMDE', (c) => c.id === 'return')).toBe(true);
    expect(w.slack.textsSince(0, 'DENDDE').at(-1)).toContain('Please type the reason');
    const before = w.connector.calls.length;
    await w.slack.say('UENDDE', 'Please add the website of your learning festival.');
    expect((await w.store.applications.get(id))!.status).toBe('returned');
    // The Slack card now shows the decision without buttons.
    const card = w.slack.shown('C0COMMDE')[0]!;
    expect(card.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(card.text).toContain('returned for changes');
    // The applicant is told on Teams, proactively in their personal chat, with the button to edit and resubmit.
    const told = w.connector.calls.slice(before).find((c) => c.conversation === applicant.conversation.id)!;
    expect(told.activity.text).toContain('Please add the website of your learning festival.');
    expect(findSubmit(cardsOf(told.activity)[0], 'reopen', id)).toBeDefined();
  });

  const simultaneousSlackPresses =
    'two Slack endorsers pressing Endorse at the same moment over HTTP: one decision, the other told who decided';
  it(simultaneousSlackPresses, async () => {
    const w = await bothPlatforms();
    const answers: Record<string, string> = {
      ...validAnswers('en', w.core.i18n.t),
      'city.name': 'Hamburg',
      'city.country': 'Germany',
    };
    const id = await w.slack.apply('U0APPLICANT', answers);
    const pressed = await Promise.all(
      ['UENDDE', 'UENDDE2'].map((u) => w.slack.press(u, 'C0COMMDE', (c) => c.id === 'endorse')),
    );
    expect(pressed).toEqual([true, true]);
    const app = (await w.store.applications.get(id))!;
    expect(app.history.filter((h) => h.status === 'endorsed')).toHaveLength(1);
    const winner = app.decision!.by.key === 'slack:UENDDE' ? 'UENDDE' : 'UENDDE2';
    const loser = winner === 'UENDDE' ? 'DENDDE2' : 'DENDDE';
    expect(w.slack.textsSince(0, loser).at(-1)).toMatch(
      /was already endorsed by .+ on 1 June 2025\. Nothing was changed\./,
    );
    const log = await w.store.audit.list();
    expect(
      log
        .filter((e) => e.action === 'endorse')
        .map((e) => e.outcome)
        .sort(),
    ).toEqual(['already_decided', 'done']);
  });

  const quotaAcrossPlatformsAfterRestart =
    'endorsements pressed on Slack and on Teams at once, right after a restart (the shard not read yet): ' +
    'the quota holds, and store, audit and messages agree';
  it(quotaAcrossPlatformsAfterRestart, async () => {
    const first = await bothPlatforms();
    const answers = validAnswers('en', first.core.i18n.t);
    const cities = ['Hamburg', 'Munich', 'Leipzig', 'Bonn'];
    const ids: string[] = [];
    for (const [i, city] of cities.entries())
      ids.push(await first.slack.apply(`U0APP${i}`, { ...answers, 'city.name': city, 'city.country': 'Germany' }));
    for (const id of ids.slice(0, 2))
      expect(await first.slack.press('UENDDE', 'C0COMMDE', (c) => c.id === 'endorse' && c.value === id)).toBe(true);
    const card = first.slack.choices('C0COMMDE').find((c) => c.id === 'endorse' && c.value === ids[2])!;

    // A restart: a new process on the same data, which has read nothing yet.
    const w = await bothPlatforms(first.dir);
    const esther = w.teamsUser('Esther Wambui', '00000000-0000-0000-0000-00000000e001');
    const [, teamsCalls] = await Promise.all([
      w.slack.pressChoice('UENDDE', 'C0COMMDE', card),
      esther.submit('card-on-teams', { action: 'endorse', value: ids[3] }),
    ]);

    const apps = await createLowdbStore(first.dir).applications.listByCountry('2025', 'DE');
    const endorsed = apps.filter((a) => a.decision?.status === 'endorsed').map((a) => a.id);
    expect(endorsed).toHaveLength(3);
    const [winner, loser] = endorsed.includes(ids[2]!) ? [ids[2]!, ids[3]!] : [ids[3]!, ids[2]!];
    expect(apps.find((a) => a.id === loser)!.status).toBe('submitted');
    // The audit log says the same: one done, one refused for the quota.
    const log = (await w.store.audit.list()).filter(
      (e) => e.action === 'endorse' && (e.application === winner || e.application === loser),
    );
    expect(log.map((e) => [e.application, e.outcome]).sort()).toEqual(
      [
        [winner, 'done'],
        [loser, 'quota_reached'],
      ].sort(),
    );
    // So do the messages: the refused endorser is told, only the winner's applicant hears "endorsed".
    const refusal =
      loser === ids[3] ? teamsCalls.map((c) => c.activity.text).join('\n') : w.slack.textsSince(0, 'DENDDE').join('\n');
    expect(refusal).toContain(`${loser} was not endorsed`);
    const told = (id: string) => w.slack.textsSince(0, `D0APP${ids.indexOf(id)}`).join('\n');
    expect(told(winner)).toContain('has endorsed your application');
    expect(told(loser)).not.toContain('has endorsed your application');
    expect(w.slack.shown('C0COORD').filter((m) => m.text.includes('forwarded'))).toHaveLength(1);
  });
});
