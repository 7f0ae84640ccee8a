import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyStore } from '../../src/store/lowdb.ts';
import { changedFiles, expectUnpolluted, keyOfFile, prototypeKeys, snapshot } from './hostile.ts';
import {
  garbageBody,
  garbageContentType,
  post,
  slackHeaders,
  slackRequest,
  teamsRequest,
  type Answer,
  type Outbound,
} from './payloads.ts';
import { SECRET, stillServing, useEndpoints, type Endpoints } from './world.ts';

let e: Endpoints;
useEndpoints((x) => (e = x));
/** The prototypes' keys before any request, checked after each batch too. */
const proto = prototypeKeys();

const now = () => Math.floor(Date.now() / 1000);

/**
 * A batch that fails is shrunk by sending smaller batches, which takes time: the run stops after 30 s and
 * reports the smallest failing batch found by then, before the test's own timeout.
 */
const runs = (numRuns: number) => ({ numRuns, interruptAfterTimeLimit: 30_000 });
const TIMEOUT = 60_000;

/** The id a record of the store belongs to: a Slack or Teams user, or a Teams conversation. */
function ownerOf(key: string): string {
  return key.replace(/^(slack|local):/, '').replace(/^teams:(user:|room:)?/, '');
}

/**
 * Sends a batch at once and checks: no answer is a 5xx (or no answer at all), nothing of the store changed for a
 * request that was refused, and the prototypes are clean. Every record file that changed must belong to a user
 * or conversation named by a request the server accepted (2xx).
 */
async function sendBatch(url: string, batch: Outbound[]): Promise<Answer[]> {
  const before = snapshot(e.dir);
  const answers = await Promise.all(batch.map((r) => post(url, r.body, r.headers)));
  await e.slack.idle();
  answers.forEach((a, i) => {
    const what = `${batch[i]!.shape} ${batch[i]!.body.toString('utf8').slice(0, 300)}`;
    expect(a.status, `no answer (${a.error}) to ${what}`).toBeGreaterThan(0);
    expect(a.status, `${a.status} ${a.body} for ${what}`).toBeLessThan(500);
  });
  for (const file of changedFiles(before, snapshot(e.dir))) {
    // The ids of handled requests (replays are dropped): written for accepted requests only.
    if (file.startsWith(`seen${path.sep}`)) {
      expect(
        answers.some((a) => a.status < 300),
        `${file} changed, but no request was accepted`,
      ).toBe(true);
      continue;
    }
    const key = keyOfFile(file);
    expect(key, `${file} changed`).toBeDefined();
    const owner = ownerOf(key!);
    const by = batch.filter(
      (r, i) => answers[i]!.status < 300 && [...r.strings].some((s) => s === owner || s.startsWith(`${owner};`)),
    );
    expect(by.length, `${file} (${key}) changed, but no accepted request names ${owner}`).toBeGreaterThan(0);
  }
  expectUnpolluted(proto);
  return answers;
}

const seen = new Map<string, number>();
function count(batch: Outbound[], answers: Answer[]): void {
  batch.forEach((r, i) => {
    const k = `${r.shape.split('~')[0]} ${answers[i]!.status}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  });
}

describe('POST /slack/events takes any payload', () => {
  it(
    'answers mutated Slack payloads of every shape with a 2xx or 4xx, and changes nothing for the refused ones',
    async () => {
      const target = { secret: SECRET, responseBase: e.api.url.replace(/api\/$/, 'respond/') };
      await fc.assert(
        fc.asyncProperty(fc.array(slackRequest(target, now), { minLength: 8, maxLength: 16 }), async (batch) => {
          count(batch, await sendBatch(e.slackUrl, batch));
        }),
        runs(12),
      );
      await stillServing(e);
      expect(await verifyStore(e.dir)).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'answers garbage (signed or not) with a 4xx and changes nothing',
    async () => {
      const request = fc.tuple(garbageBody, garbageContentType, fc.constantFrom('valid', 'none', 'wrong')).map(
        ([[shape, body], type, signing]): Outbound => ({
          shape: `slack:garbage:${shape}`,
          body,
          headers: slackHeaders(SECRET, body, type, signing, now()),
          strings: new Set(),
        }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(request, { minLength: 8, maxLength: 16 }), async (batch) => {
          const before = snapshot(e.dir);
          const answers = await sendBatch(e.slackUrl, batch);
          count(batch, answers);
          for (const [i, a] of answers.entries()) expect(a.status, `${batch[i]!.shape}`).toBeGreaterThanOrEqual(400);
          expect(changedFiles(before, snapshot(e.dir))).toEqual([]);
        }),
        runs(8),
      );
      await stillServing(e);
    },
    TIMEOUT,
  );
});

describe('POST /api/messages takes any activity', () => {
  it(
    'answers mutated activities of every shape with a 2xx or 4xx, and changes nothing for the refused ones',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(teamsRequest(e.connector.url), { minLength: 8, maxLength: 16 }), async (batch) => {
          count(batch, await sendBatch(e.teamsUrl, batch));
        }),
        runs(20),
      );
      await stillServing(e);
      expect(await verifyStore(e.dir)).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'answers garbage with a 4xx (or a quiet 200 for an activity of no consequence) and changes nothing',
    async () => {
      const request = fc.tuple(garbageBody, garbageContentType).map(
        ([[shape, body], type]): Outbound => ({
          shape: `teams:garbage:${shape}`,
          body,
          headers: type ? { 'content-type': type } : {},
          strings: new Set(),
        }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(request, { minLength: 8, maxLength: 16 }), async (batch) => {
          const before = snapshot(e.dir);
          count(batch, await sendBatch(e.teamsUrl, batch));
          expect(changedFiles(before, snapshot(e.dir))).toEqual([]);
        }),
        runs(8),
      );
      await stillServing(e);
    },
    TIMEOUT,
  );

  it('saw every shape and both kinds of answer', () => {
    const shapes = new Set([...seen.keys()].map((k) => k.split(' ')[0]!.replace(/:garbage:.*/, ':garbage')));
    for (const s of [
      'slack:event.message',
      'slack:block_actions.button',
      'slack:command',
      'slack:url_verification',
      'slack:garbage',
      'teams:message.text',
      'teams:message.submit',
      'teams:invoke.action',
      'teams:conversationUpdate',
      'teams:garbage',
    ]) {
      expect(shapes, s).toContain(s);
    }
    const statuses = new Set([...seen.keys()].map((k) => k.split(' ')[1]!.slice(0, 1)));
    expect([...statuses].sort()).toEqual(['2', '4']);
  });
});
