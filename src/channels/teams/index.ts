import type { Activity } from 'botbuilder';
import { z } from 'zod';
import type { Assistant } from '../../core/assistant.ts';
import type { Translate } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';
import { json, type HttpServer } from '../../server.ts';
import type { Store } from '../../store/types.ts';
import { jsonProblem } from '../json-check.ts';
import { RecentIds } from '../recent-ids.ts';
import { createTeamsAdapter, type AuthResult, type TeamsAdapter } from './adapter.ts';
import { HANDLED_INVOKES, TeamsBot } from './bot.ts';
import { loadTeamsConfig, type TeamsConfig } from './config.ts';
import { TeamsNotifier } from './notifier.ts';

/** The Bot Framework's limit for an inbound activity is well under this; anything bigger is not a real one (413). */
const MAX_BODY = 1024 * 1024;

/** What the Teams channel needs from the process. */
export interface TeamsDeps {
  assistant: Assistant;
  t: Translate;
  store: Store;
  log: Logger;
  /** MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType, MicrosoftAppTenantId (all optional). */
  env: NodeJS.ProcessEnv;
  now?: () => Date;
}

/** The mounted channel: its configuration, adapter and the notifier for proactive messages. */
export interface TeamsChannel {
  config: TeamsConfig;
  adapter: TeamsAdapter;
  bot: TeamsBot;
  notifier: TeamsNotifier;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string) {
    super(code);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and checks the parts of an activity the adapter relies on; a 400 names what is wrong. */
function parseActivity(raw: string): Activity {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'malformed_json');
  }
  if (!isObject(body)) throw new HttpError(400, 'not_an_activity');
  const bad = jsonProblem(body);
  if (bad) throw new HttpError(400, bad);
  if (typeof body.type !== 'string' || !body.type) throw new HttpError(400, 'missing_type');
  // Every activity has a conversation to answer in and a service to answer through (and botbuilder reads them
  // even for the types the bot has nothing to say to: a typing activity without them failed with a 500).
  if (!isObject(body.conversation) || typeof body.conversation.id !== 'string' || !body.conversation.id) throw new HttpError(400, 'missing_conversation');
  if (typeof body.serviceUrl !== 'string' || !/^https?:\/\//.test(body.serviceUrl)) throw new HttpError(400, 'missing_service_url');
  if (!isObject(body.from) || typeof body.from.id !== 'string') throw new HttpError(400, 'missing_from');
  if (body.recipient !== undefined && !isObject(body.recipient)) throw new HttpError(400, 'bad_recipient');
  if (body.text !== undefined && typeof body.text !== 'string') throw new HttpError(400, 'bad_text');
  const shape = ActivityShape.safeParse(body);
  if (!shape.success) {
    const issue = shape.error.issues[0]!;
    throw new HttpError(400, `bad_${issue.path.map(String).join('.') || 'activity'}`);
  }
  return body as unknown as Activity;
}

const text = z.string().nullish();
/**
 * An id the connector is called with (in the URL, and the conversation's in a header): printable ASCII, as
 * Teams' are, and at most 1,024 characters (Teams' longest, a personal chat's, has a few hundred). A control
 * character failed the reply in Node's HTTP client, and a 20 kB id overflowed the connector's header limit (431).
 */
const ident = z.string().max(1024).regex(/^[\x20-\x7e]*$/, 'not printable ASCII');

/**
 * The other fields the bot and botbuilder read (locale, mentions, client info, members, ids), with the types
 * they rely on: a number where a string belongs, or `null` in the list of entities, would otherwise fail the
 * turn halfway (and the answer sent to the connector with it). Fields not named here pass unchecked.
 */
const ActivityShape = z.looseObject({
  id: ident.nullish(),
  replyToId: ident.nullish(),
  channelId: text,
  locale: text,
  from: z.looseObject({ id: ident, name: text, aadObjectId: text }),
  recipient: z.looseObject({ id: text, name: text }).optional(),
  conversation: z.looseObject({ id: ident, conversationType: text, tenantId: text, name: text, isGroup: z.boolean().nullish() }),
  entities: z
    .array(
      z
        .looseObject({ type: z.string(), locale: text, text: text, mentioned: z.looseObject({ id: z.unknown() }).optional() })
        // botbuilder reads the mentioned id of every mention (removeMentionText): one without failed the turn.
        .refine((e) => e.type !== 'mention' || e.mentioned !== undefined, { path: ['mentioned'], message: 'a mention names no one' }),
    )
    .optional(),
  membersAdded: z.array(z.looseObject({ id: text })).nullish(),
});

/**
 * Mounts the Teams channel at `POST /api/messages` (Bot Framework protocol, CloudAdapter). Without
 * MicrosoftAppId it runs anonymously, as the Bot Framework Emulator expects; with it, requests need a
 * valid token (401 otherwise). Throws a ConfigError naming the variable when the configuration is wrong.
 */
export function mountTeams(server: HttpServer, deps: TeamsDeps): TeamsChannel {
  const config = loadTeamsConfig(deps.env);
  const adapter = createTeamsAdapter(config);
  const bot = new TeamsBot(deps);
  const notifier = new TeamsNotifier({ adapter, bot, store: deps.store, appId: config.appId });
  // Teams redelivers an activity it got no answer to within 15 s; the repeat is acknowledged and dropped.
  const recent = new RecentIds();
  const log = deps.log;

  server.route('POST /api/messages', async (req, res) => {
    let activity: Activity;
    let auth: AuthResult;
    try {
      activity = parseActivity(req.rawBody.toString('utf8'));
      const header = req.headers.authorization ?? '';
      // No token at all is refused before botbuilder is involved (and before any outbound call).
      if (config.authEnabled && !/^Bearer\s+\S+/i.test(header)) throw new HttpError(401, 'unauthorized');
      try {
        auth = await adapter.authenticate(activity, header);
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 401) throw new HttpError(401, 'unauthorized');
        throw err;
      }
      if (activity.type === 'invoke' && !HANDLED_INVOKES.has(activity.name ?? '')) throw new HttpError(400, 'unknown_invoke');
    } catch (err) {
      if (err instanceof HttpError) {
        log.info({ status: err.status, code: err.code }, 'teams: request refused');
        return json(res, err.status, { error: err.code });
      }
      throw err;
    }
    if (activity.id && !recent.firstTime(`${activity.conversation.id}|${activity.type}|${activity.id}`)) {
      log.info({ id: activity.id, type: activity.type }, 'teams: duplicate activity dropped');
      return json(res, 200, {});
    }
    try {
      const invoke = await adapter.run(auth, activity, (ctx) => bot.onTurn(ctx));
      if (invoke) return json(res, invoke.status, invoke.body ?? {});
      res.writeHead(200).end();
    } catch (err) {
      log.error({ err, id: activity.id, type: activity.type, conversation: activity.conversation.id }, 'teams: turn failed');
      if (!res.headersSent) json(res, 500, { error: 'internal_error' });
    }
  }, { maxBody: MAX_BODY });
  log.info({ auth: config.authEnabled ? config.appType : 'anonymous' }, 'teams: endpoint POST /api/messages');
  return { config, adapter, bot, notifier };
}
