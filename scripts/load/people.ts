/**
 * The simulated people of the load and crash runs. Each one reads what the bot shows, as a person would:
 * the question's number in "Question n of N", the review's Submit button, the confirmation's Yes, the
 * reference of a submitted application; and answers from their own answer sheet. Slack people post signed
 * Events API and interactivity requests; Teams people post activities to /api/messages.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { FIELDS } from '../../src/core/application/form.ts';
import { INTAKE_ACTIONS } from '../../src/core/actions.ts';
import type { Lang } from '../../src/core/lang.ts';
import type { Translate } from '../../src/i18n/index.ts';
import type { SlackDriver } from '../../test/channels/slack/fake-slack.ts';
import type { Inboxes, Seen } from './platforms.ts';

/** One turn as measured: from the request to the message that ends it. */
export interface TurnTime {
  platform: 'slack' | 'teams';
  kind: 'form' | 'faq' | 'decision';
  ms: number;
  /** When it ended (performance.now()). */
  end: number;
}

/** What every simulated person shares: the server, the fake platforms and where figures go. */
export interface Stage {
  t: Translate;
  inboxes: Inboxes;
  slack: SlackDriver;
  teamsUrl: string;
  connectorUrl: string;
  times: TurnTime[];
  problems: string[];
  /** The server's state: `up` once it answers; `died` when the current process is killed. */
  server: { up: Promise<void>; died: Promise<void> };
  /**
   * With several instances: the one the request being sent goes to (set when `slack` or `teamsUrl` is read).
   * A turn is lost when that instance dies, not when another one does.
   */
  target?: { died: Promise<void> };
  /** True in the crash run: a lost turn is recovered from instead of being a failure. */
  crashes: boolean;
  random: () => number;
  /** Mean pause between a person's turns, ms (reading and typing). */
  thinkMs: number;
  turnTimeoutMs: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

/** POSTs JSON to the Teams endpoint; resolves to the status, or 0 when the connection failed (a killed server). */
export function postActivity(url: string, activity: unknown): Promise<number> {
  const body = JSON.stringify(activity);
  return new Promise((resolve) => {
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
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

export function closeAgent(): void {
  agent.destroy();
}

export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** An exponentially distributed pause of mean `stage.thinkMs` (people do not type in lockstep). */
export function think(stage: Stage): Promise<void> {
  return pause(-Math.log(1 - stage.random()) * stage.thinkMs);
}

/** A text as a regular expression that matches it literally. */
export const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Reads the state of the form from messages, in one language. */
export class FormReader {
  private readonly progress: RegExp;
  constructor(t: Translate, lang: Lang) {
    // Without the isolates a right-to-left message puts around values (the placeholders here are Latin text).
    const template = t(lang, 'form:progress', { n: 'QQNUMQQ', total: FIELDS.length, section: 'QQSECQQ' }).replace(
      /[\u2068\u2069]/g,
      '',
    );
    this.progress = new RegExp(
      literal(JSON.stringify(template).slice(1, -1)).replace('QQNUMQQ', '(\\d+)').replace('QQSECQQ', '[^"\\\\]+?'),
    );
  }

  /** The field a message asks for, by its number in "Question n of N". */
  field(s: Seen): string | undefined {
    const m = this.progress.exec(s.content.replace(/[\u2068\u2069]/g, ''));
    return m ? FIELDS[Number(m[1]) - 1]?.key : undefined;
  }
}

/** True when a message has a button (Slack) or card action (Teams) with this core action id. */
export function hasAction(s: Seen, id: string): boolean {
  return s.content.includes(`"gnlc:${id}:`) || s.content.includes(`"action":"${id}"`);
}

const REFERENCE = /GNLC-\d{4}-[A-Z]{2}-\d{3}/;

/** The form's state as a message shows it. */
export type FormState =
  | { kind: 'field'; field: string; seen: Seen }
  | { kind: 'review' | 'confirm'; seen: Seen }
  | { kind: 'submitted'; id: string; seen: Seen }
  | { kind: 'other'; seen: Seen }
  | { kind: 'lost' };

export function formState(reader: FormReader, s: Seen | undefined): FormState {
  if (!s) return { kind: 'lost' };
  const field = reader.field(s);
  if (field) return { kind: 'field', field, seen: s };
  // A reference means the application is in: the answer to Yes, or (when a kill lost that answer and the person
  // started again) the review of the new draft saying the city has already applied, with that reference.
  const ref = REFERENCE.exec(s.content);
  if (ref) return { kind: 'submitted', id: ref[0], seen: s };
  if (hasAction(s, INTAKE_ACTIONS.submit)) return { kind: 'review', seen: s };
  if (hasAction(s, INTAKE_ACTIONS.yes)) return { kind: 'confirm', seen: s };
  return { kind: 'other', seen: s };
}

/** How a turn ends: in which conversation, from which message on, and which message ends it. */
export interface TurnOpts {
  kind?: TurnTime['kind'];
  /** The conversation to watch (default: the person's private one). */
  where?: string;
  /** Watch messages from this index on (default: the ones that arrive after sending). */
  from?: number;
  ends?: (s: Seen) => boolean;
  /** Teams: the conversation the message or press comes from (default: the personal chat). */
  room?: string;
  /** A second conversation whose matching message also ends the turn (from the messages after sending). */
  also?: { where: string; ends: (s: Seen) => boolean };
}

/** A person on one platform: types, presses, and waits for the message that ends each turn. */
export abstract class Person {
  constructor(
    readonly stage: Stage,
    readonly lang: Lang,
  ) {}
  /** Where the bot answers this person privately (Slack DM channel, Teams personal conversation). */
  abstract readonly inbox: string;
  abstract readonly platform: 'slack' | 'teams';

  /**
   * Sends with `send` and waits for the message that ends the turn; times it. Resolves to that message,
   * or undefined when the turn was lost (a killed server, no answer in time).
   */
  protected async turn(send: () => Promise<number>, opts: TurnOpts): Promise<Seen | undefined> {
    const { stage } = this;
    const kind = opts.kind ?? 'form';
    const where = opts.where ?? this.inbox;
    const from = opts.from ?? stage.inboxes.of(where).length;
    const t0 = performance.now();
    let settle!: () => void;
    const settled = new Promise<void>((r) => (settle = r));
    let sentTo!: (target: { died: Promise<void> }) => void;
    const target = new Promise<{ died: Promise<void> }>((r) => (sentTo = r));
    const cancel = Promise.race([target.then((x) => x.died), settled]);
    const waits = [stage.inboxes.waitFor(where, from, opts.ends ?? (() => true), stage.turnTimeoutMs, cancel)];
    if (opts.also)
      waits.push(
        stage.inboxes.waitFor(
          opts.also.where,
          stage.inboxes.of(opts.also.where).length,
          opts.also.ends,
          stage.turnTimeoutMs,
          cancel,
        ),
      );
    const waiting = Promise.race(waits).finally(settle);
    // The platform drivers pick the instance as the request is made, before its first await.
    stage.target = undefined;
    const sending = send();
    sentTo(stage.target ?? stage.server);
    const status = await sending;
    if (status !== 200) {
      settle();
      if (!stage.crashes) stage.problems.push(`${this.platform} ${kind} turn answered HTTP ${status}`);
      return undefined;
    }
    const seen = await waiting;
    if (!seen) {
      if (!stage.crashes)
        stage.problems.push(`${this.platform} ${kind} turn in ${where} not answered within ${stage.turnTimeoutMs} ms`);
      return undefined;
    }
    const end = performance.now();
    stage.times.push({ platform: this.platform, kind, ms: end - t0, end });
    return seen;
  }

  /** Types `text` in the person's private conversation (or, for `where`, in that room). */
  abstract say(text: string, opts?: TurnOpts): Promise<Seen | undefined>;
  /** Presses the button of `on` with this core action id (and value, when given). */
  abstract press(on: Seen, id: string, value: string | undefined, opts?: TurnOpts): Promise<Seen | undefined>;
}

/** Slack: a user with a DM channel `D…`, signed requests to /slack/events. */
export class SlackPerson extends Person {
  readonly platform = 'slack' as const;
  readonly inbox: string;
  constructor(
    stage: Stage,
    lang: Lang,
    readonly user: string,
  ) {
    super(stage, lang);
    this.inbox = `D${user.slice(1)}`;
  }

  say(text: string, opts: TurnOpts = {}): Promise<Seen | undefined> {
    return this.turn(
      () =>
        this.stage.slack.dm(this.user, text).then(
          (r) => r.status,
          () => 0,
        ),
      opts,
    );
  }

  press(on: Seen, id: string, value?: string, opts: TurnOpts = {}): Promise<Seen | undefined> {
    const blocks = (on.raw.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[];
    const element = blocks
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id?.startsWith(`gnlc:${id}:`) && (value === undefined || e.value === value));
    if (!element) {
      this.stage.problems.push(`slack: no ${id} button on the message`);
      return Promise.resolve(undefined);
    }
    const channel = on.id.split('/')[0]!;
    const message = { ts: on.raw.ts, text: on.raw.text, blocks: on.raw.blocks };
    return this.turn(
      () =>
        this.stage.slack.press(this.user, element, { channel, message }).then(
          (r) => r.status,
          () => 0,
        ),
      opts,
    );
  }
}

let seq = 0;

/** Teams: a user with an Entra id, in a personal chat (and, for endorsers, a channel). */
export class TeamsPerson extends Person {
  readonly platform = 'teams' as const;
  readonly inbox: string;
  readonly aad: string;
  constructor(
    stage: Stage,
    lang: Lang,
    n: number,
    readonly name: string,
    readonly timeZone: string,
  ) {
    super(stage, lang);
    this.aad = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    this.inbox = `a:load-${n}`;
  }

  activity(conversation: string, extra: Record<string, unknown>): Record<string, unknown> {
    const personal = conversation === this.inbox;
    return {
      type: 'message',
      id: `in-${++seq}`,
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: this.stage.connectorUrl,
      from: { id: `29:${this.aad}`, name: this.name, aadObjectId: this.aad },
      recipient: { id: '28:gnlc-bot', name: 'GNLC' },
      conversation: personal
        ? { id: conversation, conversationType: 'personal', tenantId: 'tenant-load' }
        : { id: conversation, conversationType: 'channel', isGroup: true, tenantId: 'tenant-load' },
      locale: this.lang,
      entities: [{ type: 'clientInfo', locale: this.lang, timezone: this.timeZone, platform: 'Web' }],
      channelData: { tenant: { id: 'tenant-load' } },
      ...extra,
    };
  }

  /** In a channel (`room`), the text @mentions the bot as Teams sends it; the answer is awaited there. */
  say(text: string, opts: TurnOpts = {}): Promise<Seen | undefined> {
    const room = opts.room ?? this.inbox;
    const mention =
      room === this.inbox
        ? {}
        : {
            text: `<at>GNLC</at> ${text}`,
            entities: [{ type: 'mention', text: '<at>GNLC</at>', mentioned: { id: '28:gnlc-bot', name: 'GNLC' } }],
          };
    return this.turn(
      () => postActivity(this.stage.teamsUrl, this.activity(room, { text, textFormat: 'plain', ...mention })),
      { where: room, ...opts },
    );
  }

  /** The press comes from the conversation the card is in (`room`, default the personal chat). */
  press(on: Seen, id: string, value?: string, opts: TurnOpts = {}): Promise<Seen | undefined> {
    const card = (on.updates.at(-1) ?? on.raw).attachments?.[0]?.content;
    const data = findData(card, id, value);
    if (!data) {
      this.stage.problems.push(`teams: no ${id} action on the card`);
      return Promise.resolve(undefined);
    }
    const room = opts.room ?? this.inbox;
    return this.turn(
      () => postActivity(this.stage.teamsUrl, this.activity(room, { value: data, replyToId: on.id })),
      opts,
    );
  }
}
/** The data of the card's Action.Submit with this action id (and value). */
function findData(card: any, id: string, value?: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  const walk = (items: any[] = []) => {
    for (const e of items) {
      if (found) return;
      if (e?.type === 'Action.Submit' && e.data?.action === id && (value === undefined || e.data?.value === value))
        found = e.data;
      walk(e?.items);
      walk(e?.actions);
      walk(e?.columns);
    }
  };
  walk(card?.body);
  walk(card?.actions);
  return found;
}
