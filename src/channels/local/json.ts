import { z } from 'zod';
import type { Assistant } from '../../core/assistant.ts';
import type { Outbox } from '../../core/notifier.ts';
import { LocalNotifier } from './notifier.ts';
import { buttons, type Reply } from '../../core/reply.ts';
import { buttonLabel } from './render.ts';
import { forEachJsonLine } from './json-lines.ts';

/** One inbound line of `gnlc chat --json`: a message or a button press, optionally in a room. */
const InboundLine = z
  .object({
    user: z.string().min(1),
    /** The person's display name (shown on decisions, kept in the audit log). */
    name: z.string().optional(),
    text: z.string().optional(),
    action: z.object({ id: z.string().min(1), value: z.string().optional() }).optional(),
    room: z.string().min(1).optional(),
    locale: z.string().optional(),
    timeZone: z.string().optional(),
  })
  .refine((l) => l.text !== undefined || l.action !== undefined, { message: 'needs "text" or "action"' });

/** One outbound line: a Reply addressed to a room. */
export function replyLine(room: string, reply: Reply): Record<string, unknown> {
  const out: Record<string, unknown> = { room, text: reply.text, lang: reply.lang };
  if (reply.expects) out.expects = { field: reply.expects.field, kind: reply.expects.kind };
  const all = buttons(reply);
  if (all.length) out.actions = all.map((a) => ({ id: a.id, label: buttonLabel(a), value: a.value ?? '' }));
  if (reply.faqId) out.faqId = reply.faqId;
  if (reply.scope) out.scope = reply.scope;
  if (reply.card) out.card = reply.card;
  if (reply.context?.length) out.context = reply.context;
  if (reply.files?.length) out.files = reply.files;
  return out;
}

/**
 * The local channel with machine-readable I/O: each input line is an event, each output line a message.
 * Lines are handled in order; a malformed line gets an `{"error"}` line and the rest goes on. Messages
 * the bot sends to other local rooms (a commission's `commission-DE`, `coordinators`, a person's
 * `dm:<user>`) are lines too, with the message's id in `message`; a card updated in place is a line
 * with `update` naming the message it replaces.
 */
export async function runJsonChat(
  core: { assistant: Assistant; outbox: Outbox },
  input: NodeJS.ReadableStream,
  write: (line: string) => void,
): Promise<void> {
  const { assistant } = core;
  const local = new LocalNotifier();
  local.attach(({ room, id, reply, update }) =>
    write(JSON.stringify({ ...replyLine(room, reply), [update ? 'update' : 'message']: id })),
  );
  core.outbox.add(local);
  await forEachJsonLine(input, InboundLine, write, async (e) => {
    const room = e.room ?? `dm:${e.user}`;
    const replies = await assistant.handle({
      platform: 'local',
      user: { id: e.user, name: e.name, locale: e.locale, timeZone: e.timeZone },
      room: { id: room, direct: room.startsWith('dm:') },
      text: e.text,
      action: e.action,
    });
    for (const r of replies) write(JSON.stringify(replyLine(room, r)));
  });
}
