import { createMemoryStore } from '../../../src/store/memory.ts';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { DATA_DIR } from '../../../src/core/faq/schema.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { INTAKE_ACTIONS } from '../../../src/core/actions.ts';
import type { Core } from '../../../src/core/create.ts';
import { memoryRouting } from '../../../src/core/endorsement/routing.ts';
import { NotifyError, type Notifier, type Posted } from '../../../src/core/notifier.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { createLogger } from '../../../src/log.ts';
import { ALERT_VERSION, type AlertRecord, type Store } from '../../../src/core/records.ts';
import { Chat } from '../../conversation.ts';
import { handClock, inRoom, submitApplication } from '../../endorsement-world.ts';
import { ENDORSE_ACTIONS } from '../../../src/core/endorsement/decisions.ts';

/** A Slack stand-in whose next sends fail as told: with "cannot reach" or with a transport error (rate limited). */
class ScriptedNotifier implements Notifier {
  readonly platform = 'slack' as const;
  readonly sent: { key: string; replies: Reply[] }[] = [];
  failures: ('unreachable' | 'rate_limited')[] = [];

  async send(key: string, replies: Reply[]): Promise<Posted[]> {
    const fail = this.failures.shift();
    if (fail === 'unreachable') throw new NotifyError('not_reachable', `${key}: channel_not_found`);
    if (fail === 'rate_limited')
      throw Object.assign(new Error('A rate limit was exceeded'), { code: 'slack_webapi_rate_limited_error' });
    this.sent.push({ key, replies });
    return replies.map((_, i) => ({ key, id: `C/${this.sent.length}.${i}` }));
  }

  async update(): Promise<void> {}
}

const CONFIG = {
  coordinators: { room: { channel: 'slack' as const, id: 'C0COORD' }, members: [] },
  commissions: {},
};

/**
 * An app from createApp over the data folder `dir` (a process over it), with the coordinators on (scripted)
 * Slack and applicants in the app's local rooms, whose messages are kept in `personal`.
 */
async function setup(
  at: string,
  dir = mkdtempSync(path.join(tmpdir(), 'gnlc-alerts-')),
  config: Parameters<typeof memoryRouting>[0] = CONFIG,
) {
  const clock = handClock(at);
  const { core, store, local } = await createApp({
    env: { GNLC_DATA_DIR: dir },
    log: createLogger('silent'),
    clock,
    routing: memoryRouting(config),
  });
  const slack = new ScriptedNotifier();
  const personal: { room: string; reply: Reply; update: boolean }[] = [];
  local.attach((m) => personal.push(m));
  core.outbox.add(slack);
  return { core, store, clock, slack, personal, dir };
}

/** Leaves a draft for `user` (only the city name given). */
async function draft(core: Core, user: string, zone?: string): Promise<void> {
  const chat = new Chat(core.assistant, user, 'en-GB', zone);
  await chat.press(INTAKE_ACTIONS.start);
  await chat.say('Nakuru');
}

const keysOf = (lines: { key: string }[]) => lines.map((l) => l.key).sort();

describe('sending alerts', () => {
  it('retries a failed send after a growing delay, once it works sends it once, and records each state', async () => {
    const { core, store, clock, slack } = await setup('2025-06-08T07:00:00Z');
    const key = 'coord.closes.7d/2025/slack:room:C0COORD/2025-06-15';
    slack.failures = ['unreachable', 'unreachable'];
    const first = await core.alerts.run();
    expect(first.map((l) => [l.key, l.outcome, l.error])).toEqual([[key, 'failed', 'not_reachable']]);
    expect(await store.alerts.get(key)).toMatchObject({
      state: 'failed',
      attempts: 1,
      retryAt: '2025-06-08T07:15:00.000Z',
      error: 'not_reachable',
    });

    // Not before its retry time…
    clock.set('2025-06-08T07:10:00Z');
    expect(await core.alerts.run()).toEqual([]);
    // …then again (second failure: the next wait doubles)…
    clock.set('2025-06-08T07:15:00Z');
    expect((await core.alerts.run()).map((l) => l.outcome)).toEqual(['failed']);
    expect(await store.alerts.get(key)).toMatchObject({
      state: 'failed',
      attempts: 2,
      retryAt: '2025-06-08T07:45:00.000Z',
    });
    // …and once it works, sent once and never again.
    clock.set('2025-06-08T08:00:00Z');
    expect((await core.alerts.run()).map((l) => l.outcome)).toEqual(['sent']);
    expect(await store.alerts.get(key)).toMatchObject({ state: 'sent', attempts: 3 });
    clock.set('2025-06-08T09:00:00Z');
    expect(await core.alerts.run()).toEqual([]);
    expect(slack.sent.map((s) => s.key)).toEqual(['slack:room:C0COORD']);
    expect(slack.sent[0]!.replies[0]!.text).toContain('close in 7 days');
  });

  it('drops a failed alert once it is overtaken, and sends the one that overtook it', async () => {
    const { core, store, clock, slack } = await setup('2025-06-08T07:00:00Z');
    slack.failures = ['unreachable'];
    await core.alerts.run();
    // The Slack room stays unreachable for days; by the time it works, "in 7 days" is no longer true.
    clock.set('2025-06-14T07:00:00Z');
    const later = await core.alerts.run();
    expect(keysOf(later)).toEqual(['coord.closes.1d/2025/slack:room:C0COORD/2025-06-15']);
    expect(slack.sent).toHaveLength(1);
    expect(slack.sent[0]!.replies[0]!.text).toContain('close tomorrow');
    expect((await store.alerts.get('coord.closes.7d/2025/slack:room:C0COORD/2025-06-15'))?.state).toBe('failed');
  });

  const rateLimitPerPlatform =
    'after a rate limit it leaves the rest of that platform for the next tick, and other platforms go on';
  it(rateLimitPerPlatform, async () => {
    // No coordinators' room: each coordinator gets the alerts in their Slack DM.
    const members = [
      { channel: 'slack' as const, user: 'U1' },
      { channel: 'slack' as const, user: 'U2' },
    ];
    const { core, clock, slack, personal } = await setup('2025-06-01T10:00:00Z', undefined, {
      coordinators: { members },
      commissions: {},
    });
    await draft(core, 'ana');
    clock.set('2025-06-08T07:00:00Z');
    slack.failures = ['rate_limited'];
    const lines = await core.alerts.run();
    const outcome = (o: string) => keysOf(lines.filter((l) => l.outcome === o));
    expect(outcome('failed')).toEqual(['coord.closes.7d/2025/slack:user:U1/2025-06-15']);
    // U2 was not even tried: Slack rests until the next tick.
    expect(outcome('deferred')).toEqual(['coord.closes.7d/2025/slack:user:U2/2025-06-15']);
    expect(outcome('sent')).toEqual(['applicant.draft.7d/2025/local:user:ana/2025-06-15']);
    expect(personal.map((m) => m.room)).toEqual(['dm:ana']);
    expect(personal[0]!.reply.actions?.map((a) => a.id)).toEqual([INTAKE_ACTIONS.start, 'alerts_stop']);
    // The deferred one goes at the next tick; the failed one when its retry time has come.
    clock.set('2025-06-08T07:10:00Z');
    expect((await core.alerts.run()).map((l) => [l.key, l.outcome])).toEqual([
      ['coord.closes.7d/2025/slack:user:U2/2025-06-15', 'sent'],
    ]);
    clock.set('2025-06-08T08:00:00Z');
    expect((await core.alerts.run()).map((l) => [l.key, l.outcome])).toEqual([
      ['coord.closes.7d/2025/slack:user:U1/2025-06-15', 'sent'],
    ]);
    expect(slack.sent.map((s) => s.key)).toEqual(['slack:user:U2', 'slack:user:U1']);
    expect(personal).toHaveLength(1);
  });

  it('merges the plain alerts due to one recipient at one tick into one message', async () => {
    const { core, store, clock, slack } = await setup('2025-05-26T07:00:00Z');
    // Monday 9 June: the weekly digest and "closes in 7 days" (due the day before) are both due.
    clock.set('2025-06-09T07:00:00Z');
    await store.alerts.put({
      version: ALERT_VERSION,
      key: 'coord.digest/2025/slack:room:C0COORD/2025-06-02',
      rule: 'coord.digest',
      call: '2025',
      to: 'slack:room:C0COORD',
      state: 'sent',
      attempts: 1,
      claimedAt: '2025-06-02T07:00:00.000Z',
      updatedAt: '2025-06-02T07:00:00.000Z',
    });
    const lines = await core.alerts.run();
    expect(keysOf(lines)).toEqual([
      'coord.closes.7d/2025/slack:room:C0COORD/2025-06-15',
      'coord.digest/2025/slack:room:C0COORD/2025-06-09',
    ]);
    expect(slack.sent).toHaveLength(1);
    expect(slack.sent[0]!.replies).toHaveLength(1);
    expect(slack.sent[0]!.replies[0]!.text).toMatch(/close in 6 days[\s\S]*Weekly digest/);
  });

  it('two processes running at the same instant over one data folder send each alert once', async () => {
    const a = await setup('2025-06-08T07:00:00Z');
    await draft(a.core, 'ana');
    await draft(a.core, 'bo', 'Asia/Tokyo');
    const b = await setup('2025-06-08T07:00:00Z', a.dir);
    a.clock.set('2025-06-09T07:00:00Z');
    b.clock.set('2025-06-09T07:00:00Z');
    const [la, lb] = await Promise.all([a.core.alerts.run(), b.core.alerts.run()]);
    const sent = [...la, ...lb].filter((l) => l.outcome === 'sent');
    expect(keysOf(sent)).toEqual([
      'applicant.draft.7d/2025/local:user:ana/2025-06-15',
      'applicant.draft.7d/2025/local:user:bo/2025-06-15',
      'coord.closes.7d/2025/slack:room:C0COORD/2025-06-15',
      'coord.digest/2025/slack:room:C0COORD/2025-06-09',
    ]);
    expect(a.slack.sent.length + b.slack.sent.length).toBe(1);
    expect(a.personal.length + b.personal.length).toBe(2);
  });

  it('two processes retrying the same failed alert at once send it once', async () => {
    const a = await setup('2025-06-08T07:00:00Z');
    const key = 'coord.closes.7d/2025/slack:room:C0COORD/2025-06-15';
    a.slack.failures = ['unreachable'];
    await a.core.alerts.run();
    const b = await setup('2025-06-08T07:30:00Z', a.dir);
    a.clock.set('2025-06-08T07:30:00Z');
    const [la, lb] = await Promise.all([a.core.alerts.run(), b.core.alerts.run()]);
    expect([...la, ...lb].map((l) => [l.key, l.outcome])).toEqual([[key, 'sent']]);
    expect(a.slack.sent.length + b.slack.sent.length).toBe(1);
    expect(await a.store.alerts.get(key)).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('an alert claimed by a process that died mid-send is tried again after 15 minutes, not before', async () => {
    const { core, store, clock, slack } = await setup('2025-06-08T07:00:00Z');
    const key = 'coord.closes.7d/2025/slack:room:C0COORD/2025-06-15';
    const at = '2025-06-08T07:00:00.000Z';
    expect(
      await store.alerts.claim({
        version: ALERT_VERSION,
        key,
        rule: 'coord.closes.7d',
        call: '2025',
        to: 'slack:room:C0COORD',
        state: 'sending',
        attempts: 1,
        claimedAt: at,
        updatedAt: at,
      }),
    ).toBe(true);
    // A second claim of the same key fails: only one process can have it.
    expect(
      await store.alerts.claim({
        version: ALERT_VERSION,
        key,
        rule: 'x',
        call: '2025',
        to: 'x',
        state: 'sending',
        attempts: 1,
        claimedAt: at,
        updatedAt: at,
      }),
    ).toBe(false);
    clock.set('2025-06-08T07:10:00Z');
    expect(await core.alerts.run()).toEqual([]);
    clock.set('2025-06-08T07:15:00Z');
    expect((await core.alerts.run()).map((l) => [l.key, l.outcome])).toEqual([[key, 'sent']]);
    expect(await store.alerts.get(key)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(slack.sent).toHaveLength(1);
  });

  const forwardedLater =
    'an endorsement the coordinators could not be sent is forwarded later, and the applicant is told then';
  it(forwardedLater, async () => {
    const config = {
      ...CONFIG,
      commissions: {
        DE: {
          room: { channel: 'local' as const, id: 'commission-DE' },
          endorsers: [{ channel: 'local' as const, user: 'endo' }],
        },
      },
    };
    const { core, store, clock, slack, personal } = await setup('2025-06-04T10:00:00Z', undefined, config);
    const id = await submitApplication(core, 'ana', 'Bonn', 'DE');
    slack.failures = ['unreachable'];
    await core.assistant.handle(inRoom('endo', 'commission-DE').press(ENDORSE_ACTIONS.endorse, id));
    expect((await store.applications.get(id))?.status).toBe('endorsed');
    clock.set('2025-06-04T10:10:00Z');
    expect(await core.alerts.run()).toEqual([]);
    clock.set('2025-06-04T10:15:00Z');
    const lines = await core.alerts.run();
    expect(lines.map((l) => [l.key, l.outcome])).toEqual([
      [`coord.forward/2025/slack:room:C0COORD/2025-06-04/${id}@1`, 'sent'],
    ]);
    expect(slack.sent.at(-1)!.replies[0]!.text).toContain('forwarded to the GNLC coordination team');
    const app = await store.applications.get(id);
    expect(app?.status).toBe('forwarded');
    expect(personal.filter((m) => m.room === 'dm:ana').at(-1)!.reply.text).toContain(
      'has reached the GNLC coordination team',
    );
    // The commission's card now says it was forwarded.
    expect(personal.filter((m) => m.room === 'commission-DE').at(-1)).toMatchObject({ update: true });
    clock.set('2025-06-04T11:00:00Z');
    expect(await core.alerts.run()).toEqual([]);
  });

  it('a dry run lists what is due and records nothing', async () => {
    const { core, store, slack } = await setup('2025-06-08T07:00:00Z');
    const dry = await core.alerts.run({ dryRun: true });
    expect(dry.map((l) => [l.key, l.rule, l.call, l.to, l.lang, l.outcome])).toEqual([
      [
        'coord.closes.7d/2025/slack:room:C0COORD/2025-06-15',
        'coord.closes.7d',
        '2025',
        { channel: 'slack', kind: 'room', id: 'C0COORD' },
        'en',
        undefined,
      ],
    ]);
    expect(await store.alerts.get(dry[0]!.key)).toBeUndefined();
    expect(slack.sent).toEqual([]);
    expect(await core.alerts.run({ dryRun: true })).toHaveLength(1);
  });
});

describe('people waiting for the next call', () => {
  it('are told of the first call to open after they asked, and not again of a later one', async () => {
    // The project's content with one more call, in 2027.
    const content = mkdtempSync(path.join(tmpdir(), 'gnlc-content-'));
    cpSync(DATA_DIR, content, { recursive: true });
    const calls = JSON.parse(readFileSync(path.join(content, 'calls.json'), 'utf8'));
    calls.calls.push({
      ...calls.calls.at(-1),
      id: '2027',
      cityWindow: { opens: '2027-05-15', closes: '2027-06-15' },
      commissionDeadline: '2027-07-15',
    });
    writeFileSync(path.join(content, 'calls.json'), JSON.stringify(calls));
    const clock = handClock('2024-01-10T10:00:00Z');
    const { core } = await createApp({
      env: { GNLC_CONTENT_DIR: content },
      log: createLogger('silent'),
      clock,
      routing: memoryRouting(CONFIG),
      store: createMemoryStore(),
    });
    await new Chat(core.assistant, 'early', 'en-GB').press('alerts_subscribe');
    clock.set('2026-01-10T10:00:00Z');
    await new Chat(core.assistant, 'late', 'en-GB').press('alerts_subscribe');
    // 2027's opening: only the one who asked after 2025 opened is told (the early one was told of 2025).
    const lines = await core.alerts.run({ now: new Date('2027-05-15T07:00:00Z'), dryRun: true });
    expect(lines.filter((l) => l.rule === 'subscriber.opens').map((l) => l.key)).toEqual([
      'subscriber.opens/2027/local:user:late/2027-05-15',
    ]);
    const y2025 = await core.alerts.run({ now: new Date('2025-05-15T07:00:00Z'), dryRun: true });
    expect(y2025.filter((l) => l.rule === 'subscriber.opens').map((l) => l.key)).toEqual([
      'subscriber.opens/2025/local:user:early/2025-05-15',
    ]);
  });
});

/** Keeps the memory store honest too: the same claim rule as on disk. */
describe('the memory store claims an alert key once', () => {
  it('lets one of two simultaneous claims through', async () => {
    const { createMemoryStore } = await import('../../../src/store/memory.ts');
    const store: Store = createMemoryStore();
    const record: AlertRecord = {
      version: ALERT_VERSION,
      key: 'k',
      rule: 'r',
      call: '2025',
      to: 'local:room:x',
      state: 'sending',
      attempts: 1,
      claimedAt: 'x',
      updatedAt: 'x',
    };
    expect(await Promise.all([store.alerts.claim(record), store.alerts.claim(record)])).toEqual([true, false]);
  });
});
