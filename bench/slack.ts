/**
 * Turn latency through the Slack HTTP endpoint: a signed Events API request in, the answer's
 * chat.postMessage out at a fake Slack Web API, with many conversations at once. The same load is run
 * against a bare Bolt app that echoes each message, in the same run and rounds, as the yardstick. Each app
 * runs in its own process; the load and the fake API run in this one.
 */
import { performance } from 'node:perf_hooks';
import { startChild } from './child.ts';
import { sideBySide } from './side-by-side.ts';
import { SIZE } from './size.ts';
import { FakeSlackApi, SlackDriver, type ApiCall } from '../test/channels/slack/fake-slack.ts';

const SECRET = 'bench-secret';

/** An endpoint under test (in its own process, as in production): where events go, where answers arrive. */
interface Target {
  driver: SlackDriver;
  api: FakeSlackApi;
  cpu(): Promise<number>;
  close(): Promise<void>;
}

/** Starts `bench/slack-target.ts <kind>` against a fresh fake Web API; resolves once it listens. */
async function target(kind: 'ours' | 'echo'): Promise<Target> {
  const api = await FakeSlackApi.start();
  const child = await startChild('bench/slack-target.ts', [kind, api.url, SECRET]);
  return {
    api,
    driver: new SlackDriver(`http://127.0.0.1:${child.port}/slack/events`, SECRET, api.url),
    cpu: () => child.cpu(),
    close: async () => {
      child.close();
      await api.close();
    },
  };
}

/**
 * `conversations` users at once, each sending `turns` questions of one language one after the other; latency per
 * turn.
 */
async function load(target: Target, questions: string[][], conversations: number, turns: number): Promise<number[]> {
  const waiting = new Map<string, (call: ApiCall) => void>();
  target.api.onCall = (call) => {
    if (call.method !== 'chat.postMessage') return;
    const wake = waiting.get(String(call.args.channel));
    waiting.delete(String(call.args.channel));
    wake?.(call);
  };
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: conversations }, async (_, u) => {
      const user = `UBENCH${u}`;
      for (let i = 0; i < turns; i++) {
        const answered = new Promise<ApiCall>((r) => waiting.set(`D${user.slice(1)}`, r));
        const t0 = performance.now();
        const mine = questions[u % questions.length]!;
        await target.driver.dm(user, mine[(u + i) % mine.length]!);
        await answered;
        times.push(performance.now() - t0);
      }
    }),
  );
  return times;
}

/** Runs both endpoints in alternating rounds; returns p50/p99 (ms) of each. */
export async function benchSlack(conversations = SIZE.conversations, turns = SIZE.slackTurns, rounds = SIZE.rounds) {
  const targets = { ours: await target('ours'), echo: await target('echo') };
  try {
    return await sideBySide(
      targets,
      (t, questions, n) => load(t, questions, conversations, n),
      (t) => t.cpu(),
      conversations,
      turns,
      rounds,
    );
  } finally {
    await targets.ours.close();
    await targets.echo.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchSlack());
