import { createInterface } from 'node:readline';
import type { Assistant } from '../../core/assistant.ts';
import type { Action, ExpectKind, Reply } from '../../core/reply.ts';
import type { Turn } from '../../core/turn.ts';
import { renderText } from './render.ts';

/** Options of the terminal chat. */
export interface TerminalOptions {
  assistant: Assistant;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The local user's id and locale (from LANG, e.g. "fr_FR.UTF-8"). */
  user: { id: string; locale?: string; timeZone?: string };
  color?: boolean;
}

/**
 * The local channel: a person chats with the core in a terminal. Typing the number of a button
 * presses it. Resolves when the input ends (Ctrl-D).
 */
export async function runTerminalChat(opts: TerminalOptions): Promise<void> {
  const rl = createInterface({ input: opts.input, output: opts.output, terminal: opts.color ?? false });
  const room = { id: `dm:${opts.user.id}`, direct: true };
  let buttons: Action[] = [];
  let expects: ExpectKind | undefined;
  const say = (text: string) => opts.output.write(`${text}\n`);
  const show = (reply: Reply) => {
    say(`\n${renderText(reply, opts.color)}\n`);
    // The latest buttons stay pressable until a newer message brings its own.
    if (reply.actions?.length) buttons = reply.actions;
    expects = reply.expects?.kind;
  };
  const send = async (turn: Turn) => {
    for (const reply of await opts.assistant.handle(turn)) show(reply);
  };
  const base = { platform: 'local' as const, user: opts.user, room };
  show(opts.assistant.greeting(opts.assistant.languageFor(opts.user.locale)));
  rl.setPrompt('> ');
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    // A number presses a button, unless the bot is waiting for a typed value (a year, a population…).
    const typed = expects !== undefined && !['choice', 'confirm', 'rating'].includes(expects);
    const n = !typed && /^\d{1,2}$/.test(text) ? Number(text) : NaN;
    const pressed = buttons[n - 1];
    await send(pressed ? { ...base, action: { id: pressed.id, value: pressed.value } } : { ...base, text });
    rl.prompt();
  }
}
