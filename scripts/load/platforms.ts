/**
 * The outside world of the load and crash runs, all on 127.0.0.1: a fake Slack Web API and a fake Bot
 * Connector that keep every message per conversation (an inbox a simulated person reads and waits on), and
 * the real server started as a child process (`bin/server.mjs`, what npm start runs), which the crash run kills
 * and restarts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { FakeSlackApi } from '../../test/channels/slack/fake-slack.ts';
import { FakeConnector } from '../../test/channels/teams/harness.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** One message a person sees: a Slack post or a Teams activity, and the in-place updates it got since. */
export interface Seen {
  /** Slack: `<channel>/<ts>`; Teams: the connector's activity id. */
  id: string;
  /** What the person can read: the text and every block or card element, as JSON (numbers and words intact). */
  content: string;
  raw: any;
  updates: any[];
}

/** Messages per conversation, with waiters woken by each new message or update. */
export class Inboxes {
  private readonly boxes = new Map<string, Seen[]>();
  private readonly byId = new Map<string, Seen>();
  private waiters = new Map<string, Set<() => void>>();
  total = 0;

  of(conversation: string): Seen[] {
    let box = this.boxes.get(conversation);
    if (!box) {
      box = [];
      this.boxes.set(conversation, box);
    }
    return box;
  }

  add(conversation: string, seen: Seen): void {
    this.of(conversation).push(seen);
    this.byId.set(seen.id, seen);
    this.total++;
    this.wake(conversation);
  }

  update(conversation: string, id: string, raw: any): void {
    const seen = this.byId.get(id);
    if (!seen) return;
    seen.updates.push(raw);
    this.wake(conversation);
  }

  private wake(conversation: string): void {
    for (const w of this.waiters.get(conversation) ?? []) w();
  }

  /**
   * Resolves with the first message of `conversation` from index `from` on that `match`es, or with
   * undefined after `timeoutMs` or once `cancel` resolves (the server was killed).
   */
  waitFor(
    conversation: string,
    from: number,
    match: (s: Seen) => boolean,
    timeoutMs: number,
    cancel?: Promise<unknown>,
  ): Promise<Seen | undefined> {
    return new Promise((resolve) => {
      const box = this.of(conversation);
      let timer: NodeJS.Timeout | undefined;
      const set = this.waiters.get(conversation) ?? new Set();
      this.waiters.set(conversation, set);
      const finish = (s: Seen | undefined) => {
        set.delete(check);
        clearTimeout(timer);
        resolve(s);
      };
      const check = () => {
        for (let i = from; i < box.length; i++) if (match(box[i]!)) return finish(box[i]!);
      };
      set.add(check);
      timer = setTimeout(() => finish(undefined), timeoutMs);
      void cancel?.then(() => finish(undefined));
      check();
    });
  }
}

/** The fake Slack Web API, feeding posts (by the channel Slack put them in) and updates into the inboxes. */
export async function fakeSlack(inboxes: Inboxes): Promise<FakeSlackApi> {
  const api = await FakeSlackApi.start();
  api.onCall = (call) => {
    if (call.method === 'chat.postMessage' && call.posted) {
      const { channel, ts } = call.posted;
      inboxes.add(channel, {
        id: `${channel}/${ts}`,
        content: JSON.stringify([call.args.text, call.args.blocks]),
        raw: { ...call.args, ts },
        updates: [],
      });
    } else if (call.method === 'chat.update') {
      inboxes.update(String(call.args.channel), `${call.args.channel}/${call.args.ts}`, call.args);
    }
    // The fake keeps every call for tests; a long run does not need them.
    api.calls.length = 0;
  };
  return api;
}

/**
 * The tests' fake Bot Connector, feeding new activities and replies into the conversation's inbox and PUTs as
 * updates.
 */
export async function fakeConnector(inboxes: Inboxes): Promise<FakeConnector> {
  const connector = await new FakeConnector().start();
  connector.onCall = (call) => {
    const conversation = call.conversation.split(';messageid=')[0]!;
    if (call.method === 'PUT') inboxes.update(conversation, call.id!, call.activity);
    else if (call.activity?.type === 'message')
      inboxes.add(conversation, {
        id: call.id!,
        content: JSON.stringify([call.activity.text, call.activity.attachments]),
        raw: call.activity,
        updates: [],
      });
    // The fake keeps every call for tests; a long run does not need them.
    connector.calls.length = 0;
  };
  return connector;
}

/** A free port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * The real server (`node bin/server.mjs`, run from `cwd`: the built program when current, see bin/launch.mjs),
 * as production runs it. `start()` resolves once GET /healthz answers 200; `kill()` is SIGKILL. Error and fatal
 * log lines are kept.
 */
export class ServerProcess {
  private child?: ChildProcess;
  /** Resolves when the current process dies (a kill, or a crash). */
  died: Promise<void> = new Promise(() => undefined);
  /** Resolves once the server answers again after a kill. */
  up: Promise<void> = Promise.resolve();
  readonly errors: string[] = [];
  starts = 0;
  peakRssMb = 0;
  private sampler?: NodeJS.Timeout;

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly cwd: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  start(): Promise<void> {
    this.starts++;
    const child = spawn(
      process.execPath,
      [...(process.env.LOAD_SERVER_FLAGS?.split(' ').filter(Boolean) ?? []), path.join(ROOT, 'bin/server.mjs')],
      {
        cwd: this.cwd,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...this.env, PORT: String(this.port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    let unexpected: (err: Error) => void;
    this.died = new Promise((resolve) => child.once('exit', () => resolve()));
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d));
    let pending = '';
    // LOAD_SERVER_LOG=FILE keeps the server's output (with LOAD_SERVER_FLAGS=--trace-gc, its collections too).
    const keep = process.env.LOAD_SERVER_LOG;
    child.stdout!.on('data', (d: Buffer) => {
      if (keep) appendFileSync(keep, d);
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (/"level":(50|60)/.test(line)) this.errors.push(line);
    });
    this.up = new Promise<void>((resolve, reject) => {
      unexpected = reject;
      const poll = () => {
        const req = http.get(`${this.url}/healthz`, (res) => {
          res.resume();
          if (res.statusCode === 200) resolve();
          else setTimeout(poll, 25);
        });
        req.on('error', () => setTimeout(poll, 25));
      };
      poll();
    });
    child.once('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && signal !== 'SIGTERM')
        unexpected(new Error(`the server exited (${code ?? signal}): ${stderr.slice(-2000)}`));
    });
    this.sampler ??= setInterval(() => this.sample(), 250);
    return this.up;
  }

  /** Resident memory of the server process (Linux /proc), for the peak. */
  private sample(): void {
    const pid = this.child?.pid;
    if (!pid) return;
    import('node:fs')
      .then((fs) => fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
      .then((s) => {
        const kb = Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0);
        this.peakRssMb = Math.max(this.peakRssMb, kb / 1024);
      })
      .catch(() => undefined);
  }

  /** SIGKILL: no handler runs, nothing is flushed. Resolves once the process is gone. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.died;
  }

  /** SIGTERM (graceful stop) and the exit code. */
  async stop(): Promise<number | null> {
    clearInterval(this.sampler);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode) return child?.exitCode ?? null;
    const code = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    child.kill('SIGTERM');
    return code;
  }
}
