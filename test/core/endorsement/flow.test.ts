import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decide, ENDORSE_ACTIONS } from '../../../src/core/endorsement/decisions.ts';
import { loadRouting } from '../../../src/core/endorsement/routing.ts';
import { INTAKE_ACTIONS } from '../../../src/core/actions.ts';
import { answerAll, Chat, command, validAnswers } from '../../conversation.ts';
import { verifyStore } from '../../../src/store/lowdb.ts';
import { reconcileAudit } from '../../../src/core/endorsement/reconcile.ts';
import { cli } from '../../helpers.ts';
import { inRoom, submitApplication, world, type World } from '../../endorsement-world.ts';

const CONFIG = {
  coordinators: {
    room: { channel: 'local' as const, id: 'coordinators' },
    members: [{ channel: 'local' as const, user: 'coord1' }],
  },
  commissions: {
    DE: {
      name: 'German Commission for UNESCO',
      room: { channel: 'local' as const, id: 'commission-DE' },
      endorsers: [
        { channel: 'local' as const, user: 'anna' },
        { channel: 'local' as const, user: 'ben' },
      ],
    },
    FR: {
      room: { channel: 'local' as const, id: 'commission-FR' },
      endorsers: [{ channel: 'local' as const, user: 'claire' }],
    },
  },
};

const anna = inRoom('anna', 'commission-DE', 'Anna Berg');
const ben = inRoom('ben', 'commission-DE', 'Ben Kurz');

/** Texts the local room received (posts and updates, in order). */
const texts = (w: World, room: string) => w.messages.filter((m) => m.room === room).map((m) => m.reply.text);

async function audit(w: World) {
  return w.store.audit.list();
}

describe('endorsement by the National Commission (local channel)', () => {
  const cardToCommission =
    'posts the card to the commission with the deadline and the counter, and tells the applicant where it went';
  it(cardToCommission, async () => {
    const w = world({ config: CONFIG });
    const id = await submitApplication(w.core, 'mayor-hh', 'Hamburg');
    const [card] = w.current('commission-DE');
    expect(card!.reply.card!.title).toBe(`${id}: Hamburg (Germany)`);
    const facts = Object.fromEntries(card!.reply.card!.sections[0]!.facts.map((f) => [f.label, f.value]));
    expect(facts).toMatchObject({
      Call: '2025',
      'Commission deadline': '15 July 2025 (in 44 days)',
      'Endorsed in this call': '0 of 3',
    });
    expect(card!.reply.actions!.map((a) => [a.id, a.value])).toEqual([
      ['endorse', id],
      ['return', id],
      ['decline', id],
    ]);
    // The whole application is on the card.
    expect(card!.reply.card!.sections.flatMap((s) => s.facts).length).toBeGreaterThan(30);
    const stored = await w.store.applications.get(id);
    expect(stored!.posts).toEqual([{ key: 'local:room:commission-DE', id: card!.id }]);
  });

  it("writes a commission's card in its country's language if one of the six and none is configured", async () => {
    const w = world({ config: CONFIG });
    await submitApplication(w.core, 'mayor-hh', 'Hamburg');
    await submitApplication(w.core, 'maire-ly', 'Lyon', 'FR');
    // German is not one of the six: English; France: French, as the applicant wrote in English.
    expect(w.current('commission-DE')[0]!.reply.lang).toBe('en');
    expect(w.current('commission-FR')[0]!.reply.lang).toBe('fr');
    const demo = world({});
    await submitApplication(demo.core, 'mer-kzn', 'Kazan', 'RU');
    const [card] = demo.current('commission-RU');
    expect(card!.reply.lang).toBe('ru');
    expect(card!.reply.actions!.find((a) => a.id === 'endorse')!.label).toBe(
      demo.core.i18n.t('ru', 'endorse:buttons.endorse'),
    );
  });

  const refusedFourth =
    'three endorsements, a refused fourth that lists the three, and the coordinators receive each endorsed one';
  it(refusedFourth, async () => {
    const w = world({ config: CONFIG });
    const cities = ['Hamburg', 'Munich', 'Leipzig', 'Bonn'];
    const ids: string[] = [];
    for (const [i, city] of cities.entries()) ids.push(await submitApplication(w.core, `applicant-${i}`, city));
    for (const id of ids.slice(0, 3)) expect(await w.core.assistant.handle(anna.press('endorse', id))).toEqual([]);
    // Confirmations went to Anna privately (the room is shared).
    expect(texts(w, 'dm:anna').filter((t) => t.startsWith('Done: you endorsed'))).toHaveLength(3);
    await w.core.assistant.handle(anna.press('endorse', ids[3]!));
    const refusal = texts(w, 'dm:anna').at(-1)!;
    expect(refusal).toContain('already endorsed 3 cities');
    for (const c of ['Hamburg', 'Munich', 'Leipzig']) expect(refusal).toContain(c);
    const stored = await w.store.applications.listByCountry('2025', 'DE');
    expect(stored.map((a) => a.status)).toEqual(['forwarded', 'forwarded', 'forwarded', 'submitted']);
    // Each decided card shows who and when, with no live buttons; the waiting one shows the counter.
    const cards = w.current('commission-DE');
    for (const c of cards.slice(0, 3)) {
      expect(c.reply.actions).toBeUndefined();
      expect(c.reply.card!.sections[0]!.facts.find((f) => f.label === 'Decision')!.value).toBe(
        'Endorsed by Anna Berg on 1 June 2025',
      );
    }
    expect(cards[3]!.reply.actions).toHaveLength(3);
    expect(cards[3]!.reply.card!.sections[0]!.facts.find((f) => f.label === 'Endorsed in this call')!.value).toBe(
      '3 of 3',
    );
    // The forwarded copies reached the coordinators' room; applicants were told in their DM.
    expect(w.current('coordinators').map((m) => m.reply.card!.title)).toEqual(
      ids.slice(0, 3).map((id, i) => `${id}: ${cities[i]} (Germany)`),
    );
    expect(texts(w, 'dm:applicant-0').join('\n')).toContain('has endorsed your application');
    const log = await audit(w);
    expect(log.filter((e) => e.action === 'endorse').map((e) => e.outcome)).toEqual([
      'done',
      'done',
      'done',
      'quota_reached',
    ]);
    expect(log.filter((e) => e.action === 'forward' && e.outcome === 'done')).toHaveLength(3);
  });

  const returnEditEndorse =
    'return with a reason, the applicant edits and resubmits, the commission sees the change and endorses';
  it(returnEditEndorse, async () => {
    const w = world({ config: CONFIG });
    const id = await submitApplication(w.core, 'mayor-hh', 'Hamburg');
    await w.core.assistant.handle(anna.press('return', id));
    expect(texts(w, 'dm:anna').at(-1)).toContain('Please type the reason');
    // Nothing is decided until the reason comes.
    expect((await w.store.applications.get(id))!.status).toBe('submitted');
    await w.core.assistant.handle({
      ...anna.say('Please give the website of the learning festival'),
      room: { id: 'dm:anna', direct: true },
    });
    const returned = (await w.store.applications.get(id))!;
    expect(returned.status).toBe('returned');
    expect(returned.decision).toMatchObject({
      status: 'returned',
      by: { key: 'local:anna', name: 'Anna Berg' },
      reason: 'Please give the website of the learning festival',
    });
    const told = w.messages.filter((m) => m.room === 'dm:mayor-hh').at(-1)!.reply;
    expect(told.text).toContain('Please give the website of the learning festival');
    expect(told.actions![0]).toMatchObject({ id: ENDORSE_ACTIONS.reopen, value: id });
    expect(w.current('commission-DE')[0]!.reply.actions).toBeUndefined();

    const applicant = new Chat(w.core.assistant, 'mayor-hh', 'en-GB');
    await applicant.press(ENDORSE_ACTIONS.reopen, id);
    expect(applicant.last.at(-1)!.card).toBeDefined();
    await applicant.say('edit website');
    await applicant.say('https://festival.hamburg.example.org');
    await applicant.press(INTAKE_ACTIONS.submit);
    await applicant.press(INTAKE_ACTIONS.yes);
    expect(applicant.text).toContain('resubmitted (version 2)');
    const v2 = (await w.store.applications.get(id))!;
    expect(v2).toMatchObject({
      status: 'submitted',
      revision: 2,
      changes: [{ field: 'city.website', after: 'https://festival.hamburg.example.org' }],
    });
    const [, card2] = w.current('commission-DE');
    expect(card2!.reply.card!.sections[1]!.title).toBe('Changed in version 2');
    expect(card2!.reply.card!.sections[1]!.facts[0]!.value).toContain('→ https://festival.hamburg.example.org');
    // The old card's button is stale now: nothing changes.
    await w.core.assistant.handle(ben.press('endorse', id));
    expect(texts(w, 'dm:ben').at(-1)).toContain('older version');
    expect((await w.store.applications.get(id))!.status).toBe('submitted');
    await w.core.assistant.handle(ben.press('endorse', card2!.reply.actions![0]!.value!));
    expect((await w.store.applications.get(id))!.status).toBe('forwarded');
  });

  const returnFillSkipped =
    'return, fill in the city GDP that was skipped, resubmit: stored with the change, exported, ' +
    'and the store still verifies';
  it(returnFillSkipped, async () => {
    const w = world({ config: CONFIG });
    const t = w.core.i18n.t;
    const applicant = new Chat(w.core.assistant, 'mayor-hh', 'en-GB');
    await applicant.press(INTAKE_ACTIONS.start);
    await answerAll(applicant, {
      ...validAnswers('en', t),
      'city.name': 'Hamburg',
      'city.country': 'Germany',
      'profile.gdpCity': command(t, 'en', 'skip'),
    });
    await applicant.say('submit');
    await applicant.say('yes');
    const id = /GNLC-2025-DE-\d{3}/.exec(applicant.text)![0];
    expect((await w.store.applications.get(id))!.answers['profile.gdpCity']).toBeUndefined();
    await w.core.assistant.handle(anna.press('return', id));
    await w.core.assistant.handle({
      ...anna.say('Please add the GDP per capita of the city'),
      room: { id: 'dm:anna', direct: true },
    });
    await applicant.press(ENDORSE_ACTIONS.reopen, id);
    await applicant.say('edit city GDP');
    await applicant.say('48,000');
    await applicant.say('submit');
    await applicant.say('yes');
    expect(applicant.text).toContain('resubmitted (version 2)');
    const stored = (await w.store.applications.get(id))!;
    expect(stored).toMatchObject({
      status: 'submitted',
      revision: 2,
      changes: [{ field: 'profile.gdpCity', before: null, after: 48000 }],
    });
    expect(stored.answers['profile.gdpCity']).toBe(48000);
    // The commission's card shows the change from empty.
    const card = w.current('commission-DE').at(-1)!.reply.card!;
    expect(card.sections[1]!.facts[0]!.value).toContain('48,000');
    expect(await verifyStore(w.dir)).toEqual([]);
    const { code, stdout } = await cli(['export', '--call', '2025', '--format', 'json', '--data', w.dir]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject([{ id, revision: 2, answers: { 'profile.gdpCity': 48000 } }]);
    // A restart reads it, and the commission can endorse it.
    const again = world({ config: CONFIG, dir: w.dir });
    await again.core.assistant.handle(ben.press('endorse', `${id}@2`));
    expect((await again.store.applications.get(id))!.status).toBe('forwarded');
  });

  const redrawAfterStop =
    'a decision stored by a process stopped before it redrew the card: the next press on the card redraws it';
  it(redrawAfterStop, async () => {
    const w = world({ config: CONFIG });
    const id = await submitApplication(w.core, 'mayor-hh', 'Hamburg');
    // What the disk holds when the process dies right after writing the decision.
    await w.store.applications.update(id, (app) => ({
      app: decide(app, 'decline', { key: 'local:anna', name: 'Anna Berg' }, w.clock.now(), 'No pledge'),
      result: undefined,
    }));
    expect(w.current('commission-DE')[0]!.reply.actions).toBeDefined();
    await w.core.assistant.handle(ben.press('endorse', id));
    expect(texts(w, 'dm:ben').at(-1)).toContain('already');
    expect(w.current('commission-DE')[0]!.reply.actions).toBeUndefined();
    expect(w.current('commission-DE')[0]!.reply.text).toContain('declined');
    // Its audit line was never written: the next start-up writes it, once, from the stored decision.
    const written = await reconcileAudit(w.store, ['2025']);
    expect(written).toMatchObject([
      {
        action: 'decline',
        outcome: 'done',
        application: id,
        actor: { key: 'local:anna', name: 'Anna Berg' },
        reason: 'No pledge',
      },
    ]);
    expect(await reconcileAudit(w.store, ['2025'])).toEqual([]);
    expect(
      (await w.store.audit.list()).filter((e) => e.application === id && e.outcome === 'done').map((e) => e.action),
    ).toEqual(['route', 'decline']);
  });

  it('decline with a reason tells the applicant; a reason can be called off', async () => {
    const w = world({ config: CONFIG });
    const id = await submitApplication(w.core, 'mayor-hh', 'Hamburg');
    await w.core.assistant.handle(anna.press('decline', id));
    const [off] = await w.core.assistant.handle({ ...anna.say('cancel'), room: { id: 'dm:anna', direct: true } });
    expect(off!.text).toBe(`Nothing was decided on ${id}; its buttons still work.`);
    await w.core.assistant.handle(anna.press('decline', id));
    await w.core.assistant.handle(anna.say('The city council has not adopted the pledge.'));
    expect((await w.store.applications.get(id))!.status).toBe('declined');
    expect(texts(w, 'dm:mayor-hh').at(-1)).toContain('has declined to endorse your application');
    expect(texts(w, 'dm:mayor-hh').at(-1)).toContain('The city council has not adopted the pledge.');
  });

  it("refuses presses by anyone who is not the commission's endorser, privately, and audits them", async () => {
    const w = world({ config: CONFIG });
    const id = await submitApplication(w.core, 'mayor-hh', 'Hamburg');
    const before = JSON.stringify(await w.store.applications.get(id));
    for (const who of [
      inRoom('stranger', 'commission-DE'),
      inRoom('claire', 'commission-DE'),
      inRoom('mayor-hh', 'commission-DE'),
    ]) {
      for (const action of ['endorse', 'return', 'decline']) {
        expect(await w.core.assistant.handle(who.press(action, id))).toEqual([]);
      }
    }
    expect(texts(w, 'dm:stranger').at(-1)).toContain('Only the designated endorsers of German Commission for UNESCO');
    expect(JSON.stringify(await w.store.applications.get(id))).toBe(before);
    const refused = (await audit(w)).filter((e) => e.outcome === 'not_an_endorser');
    expect(refused).toHaveLength(9);
    expect(refused[0]).toMatchObject({
      actor: { key: 'local:stranger' },
      channel: 'local',
      room: 'commission-DE',
      application: id,
    });
    // The card is redrawn with its buttons (a channel may have drawn it as pressed).
    expect(w.current('commission-DE')[0]!.reply.actions).toHaveLength(3);
  });

  const simultaneousPresses =
    'two endorsers pressing at the same moment give exactly one decision; the second is told who decided';
  it(simultaneousPresses, async () => {
    const w = world({ config: CONFIG });
    const id = await submitApplication(w.core, 'mayor-hh', 'Hamburg');
    await Promise.all([
      w.core.assistant.handle(anna.press('endorse', id)),
      w.core.assistant.handle(ben.press('endorse', id)),
    ]);
    const done = (await audit(w)).filter((e) => e.action === 'endorse');
    expect(done.map((e) => e.outcome).sort()).toEqual(['already_decided', 'done']);
    const winner =
      done.find((e) => e.outcome === 'done')!.actor.key === 'local:anna'
        ? ['dm:anna', 'dm:ben', 'Anna Berg']
        : ['dm:ben', 'dm:anna', 'Ben Kurz'];
    expect(texts(w, winner[1]!).at(-1)).toContain(`was already endorsed by ${winner[2]} on 1 June 2025`);
    expect((await w.store.applications.get(id))!.history.filter((h) => h.status === 'endorsed')).toHaveLength(1);
    // A replayed press changes nothing either.
    await w.core.assistant.handle(anna.press('endorse', id));
    expect((await w.store.applications.get(id))!.history.filter((h) => h.status === 'endorsed')).toHaveLength(1);
  });

  it('refuses decisions after the commission deadline, with the date', async () => {
    const w = world({ config: CONFIG });
    const id = await submitApplication(w.core, 'mayor-hh', 'Hamburg');
    w.clock.set('2025-07-15T21:59:00Z'); // 23:59 in Hamburg: still on time
    await w.core.assistant.handle(anna.press('return', id));
    expect(texts(w, 'dm:anna').at(-1)).toContain('Please type the reason');
    w.clock.set('2025-07-15T22:00:00Z'); // midnight in Hamburg: too late
    await w.core.assistant.handle(anna.say('Missing website'));
    expect(texts(w, 'dm:anna').at(-1)).toContain('The commission deadline of this call was 15 July 2025');
    expect((await w.store.applications.get(id))!.status).toBe('submitted');
  });

  it('loses nothing across a restart between submission and decision', async () => {
    const first = world({ config: CONFIG });
    const id = await submitApplication(first.core, 'mayor-hh', 'Hamburg');
    const posted = first.current('commission-DE')[0]!.id;
    const second = world({ config: CONFIG, dir: first.dir });
    await second.core.assistant.handle(anna.press('endorse', id));
    expect((await second.store.applications.get(id))!.status).toBe('forwarded');
    // The card posted before the restart is the one updated.
    expect(second.messages.find((m) => m.room === 'commission-DE' && m.update)!.id).toBe(posted);
    expect(second.current('coordinators')).toHaveLength(1);
    expect(texts(second, 'dm:mayor-hh').at(-1)).toContain('has endorsed your application');
  });

  it.each([
    ['after the card was posted', true],
    ['before the card was posted', false],
  ])(
    'a process killed between writing the application and closing the draft (%s): "yes" again completes it, once',
    async (_when, cardPosted) => {
      const first = world({ config: CONFIG });
      const chat = new Chat(first.core.assistant, 'mayor-hh', 'en-GB');
      await chat.press(INTAKE_ACTIONS.start);
      await answerAll(chat, { ...validAnswers('en', first.core.i18n.t), 'city.name': 'Hamburg', 'city.country': 'DE' });
      await chat.press(INTAKE_ACTIONS.submit);
      // What the disk holds when the process dies there: the application, and the draft still awaiting "yes".
      const draft = structuredClone(await first.store.conversations.get('local:mayor-hh'));
      await chat.press(INTAKE_ACTIONS.yes);
      const id = /GNLC-2025-DE-\d{3}/.exec(chat.text)![0];
      await first.store.conversations.save(draft!);
      if (!cardPosted)
        await first.store.applications.update(id, (app) => ({ app: { ...app, posts: [] }, result: undefined }));

      const second = world({ config: CONFIG, dir: first.dir });
      const again = new Chat(second.core.assistant, 'mayor-hh', 'en-GB');
      await again.say('continue');
      expect(again.expecting).toBe('confirm');
      await again.say('yes');
      expect(again.text).toContain(`Your application has been submitted. Its reference is ${id}`);
      expect(await second.store.applications.listByCountry('2025', 'DE')).toHaveLength(1);
      const closed = await second.store.conversations.get('local:mayor-hh');
      expect(closed?.applications).toEqual([id]);
      expect(closed?.intake).toBeUndefined();
      // The card is posted after the restart only if it never was (in the second case the first post is undone above).
      expect(second.current('commission-DE')).toHaveLength(cardPosted ? 0 : 1);
      expect((await second.store.applications.get(id))!.posts).toHaveLength(1);
      // Someone else with a draft for the same city is still told it was already applied for.
      const other = new Chat(second.core.assistant, 'someone-else', 'en-GB');
      await other.press(INTAKE_ACTIONS.start);
      await answerAll(other, {
        ...validAnswers('en', second.core.i18n.t),
        'city.name': 'Hamburg',
        'city.country': 'DE',
      });
      await other.press(INTAKE_ACTIONS.submit);
      expect(other.text).toContain(id);
      expect(other.expecting).not.toBe('confirm');
      expect(await second.store.applications.listByCountry('2025', 'DE')).toHaveLength(1);
    },
  );

  it('without a commission for the country, tells the coordinators and asks the applicant to email it', async () => {
    const w = world({ config: CONFIG });
    const chatText = await (async () => {
      const id = await submitApplication(w.core, 'mayor-nbo', 'Nairobi', 'KE');
      return {
        id,
        text: (
          await w.core.assistant.handle({
            platform: 'local',
            user: { id: 'mayor-nbo' },
            room: { id: 'dm:mayor-nbo', direct: true },
            text: 'status',
          })
        )[0]!.text,
      };
    })();
    expect(chatText.text).toContain(chatText.id);
    const notice = texts(w, 'coordinators').at(-1);
    expect(notice).toContain('no room is set up for the National Commission for UNESCO (Kenya)');
    expect(w.current('commission-KE')).toHaveLength(0);
    expect((await audit(w)).find((e) => e.action === 'route')).toMatchObject({
      outcome: 'no_commission',
      country: 'KE',
    });
  });

  it('in the local demo any local user in commission-<CC> decides, and nobody elsewhere', async () => {
    const w = world();
    const id = await submitApplication(w.core, 'mayor-hh', 'Hamburg');
    expect(w.current('commission-DE')).toHaveLength(1);
    await w.core.assistant.handle({
      platform: 'slack',
      user: { id: 'U1' },
      room: { id: 'C1', direct: false },
      action: { id: 'endorse', value: id },
    });
    await w.core.assistant.handle(inRoom('endorser1', 'commission-FR').press('endorse', id));
    expect((await w.store.applications.get(id))!.status).toBe('submitted');
    await w.core.assistant.handle(inRoom('endorser1', 'commission-DE').press('endorse', id));
    expect((await w.store.applications.get(id))!.status).toBe('forwarded');
    expect(w.current('coordinators')).toHaveLength(1);
  });

  const coordinatorCommands =
    'coordinators register rooms and endorsers (persisted), see status and export; others are refused and audited';
  it(coordinatorCommands, async () => {
    const w = world({
      config: { coordinators: { members: [{ channel: 'local', user: 'coord1' }] } },
      routingFile: path.join(mkdtemp(), 'routing.json'),
    });
    const coord = (room: string) => inRoom('coord1', room, 'Coord One');
    const say = async (turn: ReturnType<typeof coord>['say'] extends (t: string) => infer T ? T : never) =>
      (await w.core.assistant.handle(turn))[0]!;
    expect(
      (await say(coord('commission-DE').say('register commission DE German Commission for UNESCO'))).text,
    ).toContain('now the room of German Commission for UNESCO (DE)');
    expect((await say(coord('coordinators').say('register coordinators'))).text).toContain("coordinators' room");
    expect((await say(coord('dm:coord1').say('add endorser DE anna ben'))).text).toBe(
      'Added as endorsers of DE: anna and ben.',
    );
    expect((await say(coord('dm:coord1').say('remove endorser DE ben'))).text).toBe('No longer endorsers of DE: ben.');
    expect((await say(coord('dm:coord1').say('add endorser XX anna'))).text).toContain(
      '"XX" is not a two-letter country code',
    );
    const saved = loadRouting(w.core.routing.file, '/nonexistent').snapshot();
    expect(saved.commissions.DE).toMatchObject({
      name: 'German Commission for UNESCO',
      room: { channel: 'local', id: 'commission-DE' },
      endorsers: [{ user: 'anna' }],
    });
    expect(saved.coordinators.room).toEqual({ channel: 'local', id: 'coordinators' });

    const id = await submitApplication(w.core, 'mayor-hh', 'Hamburg');
    await submitApplication(w.core, 'mayor-muc', 'Munich');
    await w.core.assistant.handle(anna.press('endorse', id));
    expect((await say(coord('dm:coord1').say('status 2025'))).text).toBe(
      [
        'Applications in the 2025 call',
        'Germany (DE): submitted 1 · endorsed and forwarded to the coordination team 1',
        'Total: submitted 1 · endorsed and forwarded to the coordination team 1',
      ].join('\n'),
    );
    const exported = await say(coord('dm:coord1').say('export 2025'));
    expect(exported.files!.map((f) => f.name)).toEqual(['gnlc-2025.csv', 'gnlc-2025.json']);
    expect(exported.files![0]!.content.split('\n')[1]).toMatch(new RegExp(`^${id},2025,DE,Hamburg,forwarded,1,`));
    expect(JSON.parse(exported.files![1]!.content).map((a: { status: string }) => a.status)).toEqual([
      'forwarded',
      'submitted',
    ]);

    for (const text of ['export 2025', 'status 2025', 'register commission DE', 'add endorser DE mallory', 'routing']) {
      const r = await say(inRoom('mallory', 'commission-DE').say(text));
      expect(r.text).toBe('Only the GNLC coordination team can do that.');
    }
    expect((await audit(w)).filter((e) => e.outcome === 'not_a_coordinator').map((e) => e.action)).toEqual([
      'export',
      'status',
      'register_commission',
      'add',
      'routing',
    ]);
    // A bare "status" from an applicant is their own status, not a refusal.
    expect((await say(inRoom('mayor-hh', 'dm:mayor-hh').say('status'))).text).toContain(id);
    expect(readFileSync(w.core.routing.file!, 'utf8')).toContain('anna');
  });
});

function mkdtemp(): string {
  return mkdtempSync(path.join(tmpdir(), 'gnlc-routing-'));
}
