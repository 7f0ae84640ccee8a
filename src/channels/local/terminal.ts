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
  /** For the few lines the terminal itself says (who you are acting as). */
  t?: Translate;
}

/**
 * The local channel: a person chats with the core in a terminal. Typing the number of a button
 * presses it. `/as <user> <room>` acts as someone else in a local room (an endorser in
 * `commission-DE`, a coordinator in `coordinators`); `/as` alone is yourself again. Messages the bot
 * posts to local rooms are shown with the room's name. Resolves when the input ends (Ctrl-D).
 */
export async function runTerminalChat(opts: TerminalOptions): Promise<void> {
  const rl = createInterface({ input: opts.input, output: opts.output, terminal: opts.color ?? false });
  let room = { id: `dm:${opts.user.id}`, direct: true };
  let user = opts.user;
  let shown: Action[] = [];
  let expects: ExpectKind | undefined;
  const say = (text: string) => opts.output.write(`${text}\n`);
  const show = (reply: Reply) => {
    say(`\n${renderText(reply, opts.color)}\n`);
    // The latest buttons stay pressable until a newer message brings its own.
    const pressable = buttons(reply);
    if (pressable.length) shown = pressable;
    expects = reply.expects?.kind;
  };
  const send = async (turn: Turn) => {
    for (const reply of await opts.assistant.handle(turn)) show(reply);
  };
  opts.local?.attach(({ room: to, reply, update }) => {
    say(`\n[${to}]${update ? ' ↻' : ''}`);
    show(reply);
  });
  const lang = opts.assistant.languageFor(opts.user.locale);
  show(opts.assistant.greeting(lang));
  rl.setPrompt('> ');
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    const as = /^\/as(?:\s+(\S+)(?:\s+(\S+))?)?$/.exec(text);
    if (as) {
      user = as[1] ? { ...opts.user, id: as[1], name: as[1] } : opts.user;
      const id = as[2] ?? `dm:${user.id}`;
      room = { id, direct: id.startsWith('dm:') };
      if (opts.t) say(opts.t(lang, 'common:local_as', { user: user.id, room: room.id }));
      rl.prompt();
      continue;
    }
    const base = { platform: 'local' as const, user, room };
    // A number presses a button, unless the bot is waiting for a typed value (a year, a population…).
    const typed = expects !== undefined && !['choice', 'confirm', 'rating'].includes(expects);
    const n = !typed && /^\d{1,2}$/.test(text) ? Number(text) : NaN;
    const pressed = shown[n - 1];
    await send(pressed ? { ...base, action: { id: pressed.id, value: pressed.value } } : { ...base, text });
    rl.prompt();
  }
}
