import { HTTPModuleFunctions } from '@slack/bolt';
import { z } from 'zod';
import type { BufferedRequest } from '../../server.ts';
import { jsonProblem, MAX_JSON_DEPTH, MAX_JSON_VALUES } from '../json-check.ts';

/**
 * The largest body POST /slack/events accepts. Slack's payloads are small: an event is a few kilobytes, and the
 * largest, a block_actions press, carries the pressed message, which this app keeps to 10 sections of at most
 * 3,000 characters plus its fallback text (BlockRenderer): form-encoded, about 0.6 MB even in Chinese (9 bytes
 * a character). 1 MB, the limit of the Teams endpoint too; a larger body is refused with 413 before it is read.
 */
export const SLACK_MAX_BODY = 1024 * 1024;

const str = z.string();
const obj = z.looseObject({});
/** The address Bolt's respond() posts to: an http(s) URL (anything else failed the call after the turn). */
const responseUrl = z.url({ protocol: /^https?$/ });
/**
 * A Slack id or timestamp (`U0123ABC`, `D0123ABC`, `1717000000.000100`): printable ASCII, no spaces, as Slack's
 * are. They are sent back to the Web API as form fields and become file names in the store; anything else is
 * not an id Slack sent.
 */
const id = z.string().regex(/^[\x21-\x7e]{1,255}$/, 'not a Slack id');

/**
 * The fields Bolt reads of every payload before a listener runs, and those the app's listeners read, with the
 * types both rely on. Slack always sends them so; a payload that breaks them would make Bolt throw (a 500, or,
 * for a body that is not an object, an exception no one catches) or reach the core with an object for a user id.
 */
const Envelope = z.looseObject({
  type: str.optional(),
  event: z
    .looseObject({
      type: str,
      channel: z.union([str, obj]).optional(),
      item: obj.optional(),
    })
    .optional(),
  actions: z.array(obj).optional(),
  user: obj.optional(),
  channel: obj.optional(),
  team: obj.nullish(),
  enterprise: obj.nullish(),
  authorizations: z.array(obj).optional(),
  view: obj.optional(),
  message: obj.optional(),
});

/** An event the app answers: a message in its DM, a mention, the App Home opened. */
const MessageEvent = z.looseObject({
  user: id.optional(),
  text: str.optional(),
  channel: id,
  channel_type: str.optional(),
  ts: id,
  thread_ts: id.optional(),
  subtype: str.optional(),
  bot_id: str.optional(),
});
const HomeEvent = z.looseObject({ user: id, tab: str.optional() });

/** A press of buttons or menus (block_actions). */
const Press = z.looseObject({
  user: z.looseObject({ id }),
  actions: z.array(
    z.looseObject({
      action_id: str,
      type: str,
      block_id: str.optional(),
      value: str.optional(),
      text: z.looseObject({ text: str }).optional(),
      selected_option: z.looseObject({ value: str, text: z.looseObject({ text: str }) }).nullish(),
    }),
  ),
  channel: z.looseObject({ id }).optional(),
  message: z
    .looseObject({ ts: id, text: str.optional(), thread_ts: id.optional(), blocks: z.array(obj).optional() })
    .optional(),
  response_url: responseUrl.optional(),
});

/** The app's slash command (Slack always gives it a response_url: without one, Bolt gives no respond()). */
const Command = z.looseObject({ command: str, text: str, user_id: id, channel_id: id, response_url: responseUrl });

/**
 * Whether Bolt can tell what kind of request a payload is (its getTypeAndConversation, which is not exported):
 * one it cannot is dropped by Bolt unacknowledged, which Slack sees as a 404 after 3 s, and an error in the log.
 */
function isKnownKind(b: Record<string, unknown>): boolean {
  if (
    b.event !== undefined ||
    b.command !== undefined ||
    b.name !== undefined ||
    b.actions !== undefined ||
    b.ssl_check === '1'
  )
    return true;
  return typeof b.type === 'string' && KNOWN_TYPES.has(b.type);
}
const KNOWN_TYPES = new Set([
  'url_verification',
  'block_suggestion',
  'dialog_submission',
  'workflow_step_edit',
  'shortcut',
  'message_action',
  'view_submission',
  'view_closed',
]);

/** The first problem of a parsed payload, as "path: message", or undefined. */
function problem(schema: z.ZodType, value: unknown, prefix = ''): string | undefined {
  const r = schema.safeParse(value);
  if (r.success) return undefined;
  const issue = r.error.issues[0]!;
  return `${[prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(payload)'}: ${issue.message}`;
}

/**
 * What is wrong with the payload of a request to POST /slack/events, or undefined when Bolt may have it. Called
 * on requests whose signature has been checked; a body that is not JSON or form data is left to Bolt, which
 * refuses it (400) without reading it. `command` is the app's slash command.
 */
export function payloadProblem(req: BufferedRequest, command: string): string | undefined {
  let body: unknown;
  try {
    body = HTTPModuleFunctions.parseHTTPRequestBody(req);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return '(payload): not an object';
  const bad = jsonProblem(body);
  if (bad === 'too_deep') return `(payload): nested more than ${MAX_JSON_DEPTH} levels deep`;
  if (bad === 'too_many_values') return `(payload): more than ${MAX_JSON_VALUES} values`;
  if (bad) return '(payload): a text holds a lone surrogate (not valid Unicode)';
  const b = body as Record<string, unknown>;
  if (b.type === 'url_verification' && typeof b.challenge !== 'string') return 'challenge: not a string';
  if (!isKnownKind(b)) return '(payload): not an event, command, action, shortcut, view or options request';
  const envelope = problem(Envelope, b);
  if (envelope) return envelope;
  const event = b.event as { type: string } | undefined;
  if (event?.type === 'message' || event?.type === 'app_mention') return problem(MessageEvent, event, 'event');
  if (event?.type === 'app_home_opened') return problem(HomeEvent, event, 'event');
  if (b.type === 'block_actions') return problem(Press, b);
  if (b.command === command) return problem(Command, b);
  return undefined;
}
