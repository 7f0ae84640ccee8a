import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Assistant } from '../../core/assistant.ts';
import { buttons, type Action, type ExpectKind, type Reply } from '../../core/reply.ts';
import type { Turn } from '../../core/turn.ts';
import type { Translate } from '../../i18n/index.ts';
import type { LocalNotifier } from './notifier.ts';
import { renderText } from './render.ts';

/** Options of the terminal chat. */
export interface TerminalOptions {
  assistant: Assistant;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The local user's id and locale (from LANG, e.g. "fr_FR.UTF-8"). */
  user: { id: string; name?: string; locale?: string; timeZone?: string };
  color?: boolean;
  /** Messages the bot sends to local rooms (a commission's, the coordinators'), shown here as they come. */
  local?: LocalNotifier;
  /** For the few lines the terminal itself says (who you are acting as, files written). */
  t?: Translate;
  /** Where files a reply carries (an export) are written; their paths are printed. */
  filesDir?: string;
  /** Ctrl-C in the terminal (readline takes it from the process): stop what runs, as Ctrl-C would. */
  onInterrupt?: () => void;
}

/**
 * The local channel: a person chats with the core in a terminal. A number presses a button when it cannot be an
 * answer (the bot waits for no typed value, or for a yes or no); `#3` always presses the third. `/as <user>
 * <room>` acts as someone else in a local room (an endorser in `commission-DE`, a coordinator in `coordinators`);
 * `/as` alone is yourself again. Messages the bot posts to other local rooms are shown with the room's name and
 * without their buttons (the applicant never presses the commission's); becoming someone in that room shows its
 * last message again, with them. Files a reply carries are written to `filesDir`. Resolves when the input ends
 * (Ctrl-D).
 */
export async function runTerminalChat(opts: TerminalOptions): Promise<void> {
  const rl = createInterface({ input: opts.input, output: opts.output, terminal: opts.color ?? false });
  if (opts.onInterrupt) rl.on('SIGINT', opts.onInterrupt);
  // Iterated from now: lines typed while the welcome is read from the store are kept, not lost.
  const lines = rl[Symbol.asyncIterator]();
  let room = { id: `dm:${opts.user.id}`, direct: true };
  let user = opts.user;
  let shown: Action[] = [];
  let expects: ExpectKind | undefined;
  const lastIn = new Map<string, Reply>();
  const say = (text: string) => opts.output.write(`${text}\n`);
  const show = (reply: Reply) => {
    say(`\n${renderText(reply, opts.color)}\n`);
    // The latest buttons stay pressable until a newer message brings its own.
    const pressable = buttons(reply);
    if (pressable.length) shown = pressable;
    expects = reply.expects?.kind;
    if (reply.files?.length) writeFiles(reply.files);
  };
  const writeFiles = (files: NonNullable<Reply['files']>) => {
    const dir = opts.filesDir ?? path.resolve('exports');
    mkdirSync(dir, { recursive: true });
    for (const f of files) {
      const file = path.join(dir, path.basename(f.name));
      writeFileSync(file, f.content);
      say(opts.t ? opts.t(lang, 'common:local_file_written', { file }) : file);
    }
  };
  const send = async (turn: Turn) => {
    for (const reply of await opts.assistant.handle(turn)) show(reply);
  };
  opts.local?.attach(({ room: to, reply, update }) => {
    lastIn.set(to, reply);
    say(`\n[${to}]${update ? ' ↻' : ''}`);
    // Another room's buttons are not this person's to press.
    if (to === room.id) show(reply);
    else say(`\n${renderText({ ...reply, actions: [], expects: undefined }, opts.color)}\n`);
  });
  const lang = opts.assistant.languageFor(opts.user.locale);
  // The welcome in the person's last language, with the draft they left (after a restart).
  for (const reply of await opts.assistant.welcome({ platform: 'local', user: opts.user })) show(reply);
  rl.setPrompt('> ');
  rl.prompt();
  for await (const line of lines) {
    const text = line.trim();
    const as = /^\/as(?:\s+(\S+)(?:\s+(\S+))?)?$/.exec(text);
    if (as) {
      user = as[1] ? { ...opts.user, id: as[1], name: as[1] } : opts.user;
      const id = as[2] ?? `dm:${user.id}`;
      room = { id, direct: id.startsWith('dm:') };
      if (opts.t) say(opts.t(lang, 'common:local_as', { user: user.id, room: room.id }));
      const last = lastIn.get(room.id);
      if (last) show(last);
      rl.prompt();
      continue;
    }
    const base = { platform: 'local' as const, user, room };
    // "#3" presses the third button; a bare number only when it cannot be an answer (a rating, a year, a
    // choice by its number are answers).
    const hash = /^#(\d{1,2})$/.exec(text);
    const typed = expects !== undefined && expects !== 'confirm';
    const n = hash ? Number(hash[1]) : !typed && /^\d{1,2}$/.test(text) ? Number(text) : NaN;
    const pressed = shown[n - 1];
    await send(pressed ? { ...base, action: { id: pressed.id, value: pressed.value } } : { ...base, text });
    rl.prompt();
  }
}
