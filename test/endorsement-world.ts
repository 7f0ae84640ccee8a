import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalNotifier } from '../src/channels/local/notifier.ts';
import { INTAKE_ACTIONS } from '../src/core/actions.ts';
import type { Clock } from '../src/core/clock.ts';
import { createCore, type Core } from '../src/core/create.ts';
import { memoryRouting, Routing, RoutingSchema } from '../src/core/endorsement/routing.ts';
import type { Reply } from '../src/core/reply.ts';
import type { Turn } from '../src/core/turn.ts';
import { createLowdbStore } from '../src/store/lowdb.ts';
import type { Store } from '../src/core/records.ts';
import { answerAll, Chat, validAnswers } from './conversation.ts';
import type { z } from 'zod';

/** Routing with one commission (Germany: endorsers anna and ben) and the coordinators' room, all local. */
export const CONFIG_DE = {
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
  },
};

/** A clock the test moves by hand. */
export function handClock(at: string): Clock & { set(at: string): void } {
  let now = new Date(at);
  return {
    now: () => new Date(now),
    simulated: true,
    set: (s: string) => {
      now = new Date(s);
    },
  };
}

/** One message a local room received (a new post, or an update of an earlier one). */
export interface LocalMessage {
  room: string;
  id: string;
  reply: Reply;
  update: boolean;
}

/** A core over a lowdb store in a temporary folder, with local rooms recording what they receive. */
export interface World {
  core: Core;
  store: Store;
  dir: string;
  clock: ReturnType<typeof handClock>;
  messages: LocalMessage[];
  /** The latest version of every message posted to a room (updates applied). */
  current(room: string): LocalMessage[];
}

/** Builds a world; `config` is a routing configuration (default: the local demo), `dir` reuses a store (a restart). */
export function world(
  opts: {
    at?: string;
    config?: z.input<typeof RoutingSchema>;
    dir?: string;
    routingFile?: string;
    error?: (obj: Record<string, unknown>, msg: string) => void;
  } = {},
): World {
  const dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), 'gnlc-endorse-'));
  const clock = handClock(opts.at ?? '2025-06-01T10:00:00Z');
  const store = createLowdbStore(dir);
  const routing = opts.routingFile
    ? new Routing(RoutingSchema.parse(opts.config ?? {}), opts.routingFile)
    : memoryRouting(opts.config);
  const core = createCore({ clock, store, routing, error: opts.error });
  const messages: LocalMessage[] = [];
  const local = new LocalNotifier();
  local.attach((m) => messages.push(m));
  core.outbox.add(local);
  const current = (room: string) => {
    const latest = new Map<string, LocalMessage>();
    for (const m of messages.filter((x) => x.room === room)) latest.set(m.id, m);
    return [...latest.values()];
  };
  return { core, store, dir, clock, messages, current };
}

/** Fills and submits a whole application as `user` (English, on `platform`), for a city in `country`; its id. */
export async function submitApplication(
  core: Core,
  user: string,
  city: string,
  country = 'DE',
  platform: Chat['platform'] = 'local',
): Promise<string> {
  const chat = new Chat(core.assistant, user, 'en-GB', undefined, platform);
  const answers = { ...validAnswers('en', core.i18n.t), 'city.name': city, 'city.country': country };
  await chat.press(INTAKE_ACTIONS.start);
  await answerAll(chat, answers);
  await chat.press(INTAKE_ACTIONS.submit);
  await chat.press(INTAKE_ACTIONS.yes);
  const id = /GNLC-\d{4}-[A-Z]{2}-\d{3}/.exec(chat.text)?.[0];
  if (!id) throw new Error(`not submitted: ${chat.text}`);
  return id;
}

/** A person acting in a local room (an endorser in `commission-DE`, a coordinator in `coordinators`). */
export function inRoom(
  user: string,
  room: string,
  name?: string,
): { press(id: string, value: string): Turn; say(text: string): Turn } {
  const base = {
    platform: 'local' as const,
    user: { id: user, ...(name ? { name } : {}) },
    room: { id: room, direct: room.startsWith('dm:') },
  };
  return {
    press: (id, value) => ({ ...base, action: { id, value } }),
    say: (text) => ({ ...base, text }),
  };
}
