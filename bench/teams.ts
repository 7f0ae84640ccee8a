/**
 * Turn latency through the Teams endpoint (POST /api/messages): a message activity in, the answer
 * arriving at a fake Bot Connector service, with many conversations at once. The same load runs
 * against a bare botbuilder echo bot in the same run and rounds, as the yardstick. Each bot runs in its
 * own process; the load and the fake connector run in this one. Each conversation asks the held-out FAQ
 * questions of one language (conversation n uses language n mod 6), in turn.
 */
import { SIZE } from './size.ts';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { startChild } from './child.ts';
import { sideBySide } from './side-by-side.ts';

/**
 * A fake Bot Connector: answers every POST …/activities[/id] with an id and wakes whoever waits on that
 * conversation.
 */
class Connector {
  readonly waiting = new Map<string, () => void>();
  private n = 0;
  private readonly server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const m = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `r${++this.n}` }));
      const conv = m && decodeURIComponent(m[1]!);
      const wake = conv ? this.waiting.get(conv) : undefined;
      if (wake && conv) {
        this.waiting.delete(conv);
        wake();
      }
    });
  });
  url = '';
  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }
  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

interface Target {
  url: string;
  cpu(): Promise<number>;
  close(): void;
}

/** Starts `bench/teams-target.ts <kind>`; resolves once it listens. */
async function target(kind: 'ours' | 'echo'): Promise<Target> {
  const child = await startChild('bench/teams-target.ts', [kind]);
  return { url: `http://127.0.0.1:${child.port}/api/messages`, cpu: () => child.cpu(), close: () => child.close() };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let seq = 0;

/** `conversations` personal chats at once, each sending `turns` questions one after the other; latency per turn. */
async function load(
  t: Target,
  connector: Connector,
  questions: string[][],
  conversations: number,
  turns: number,
): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: conversations }, async (_, u) => {
      const conv = `a:bench-${u}`;
      for (let i = 0; i < turns; i++) {
        const activity = {
          type: 'message',
          id: `b${++seq}`,
          channelId: 'msteams',
          serviceUrl: connector.url,
          text: questions[u % questions.length]![i % questions[u % questions.length]!.length],
          from: {
            id: `29:bench-${u}`,
            aadObjectId: `00000000-0000-0000-0000-${String(u).padStart(12, '0')}`,
            name: 'Bench',
          },
          recipient: { id: '28:bot', name: 'GNLC' },
          conversation: { id: conv, conversationType: 'personal' },
          locale: 'en-US',
        };
        const answered = new Promise<void>((r) => connector.waiting.set(conv, r));
        const t0 = performance.now();
        const status = await post(t.url, JSON.stringify(activity));
        if (status !== 200) throw new Error(`POST /api/messages → ${status}`);
        await answered;
        times.push(performance.now() - t0);
      }
    }),
  );
  return times;
}

/** Runs our endpoint and the echo bot in alternating rounds; returns p50/p99 (ms) of each. */
export async function benchTeams(conversations = SIZE.conversations, turns = SIZE.teamsTurns, rounds = SIZE.rounds) {
  const connector = await new Connector().start();
  const targets = { ours: await target('ours'), echo: await target('echo') };
  try {
    return await sideBySide(
      targets,
      (t, questions, n) => load(t, connector, questions, conversations, n),
      (t) => t.cpu(),
      conversations,
      turns,
      rounds,
    );
  } finally {
    targets.ours.close();
    targets.echo.close();
    await connector.close();
    agent.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchTeams());
