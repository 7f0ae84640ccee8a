import type { Activity } from 'botbuilder';
import { z } from 'zod';
import type { Assistant } from '../../core/assistant.ts';
import type { Translate } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';
import { json, type HttpServer } from '../../server.ts';
import type { Store } from '../../core/records.ts';
import { jsonProblem } from '../json-check.ts';
import { createTeamsAdapter, type AuthResult, type TeamsAdapter } from './adapter.ts';
import { HANDLED_INVOKES, TeamsBot } from './bot.ts';
import { loadTeamsConfig, type TeamsConfig } from './config.ts';
import { RequestRefused, TeamsGate } from './gate.ts';
import type { Limits } from '../limits.ts';
import { userKey } from '../../core/turn.ts';
import { userId } from './activity.ts';
import { TeamsNotifier } from './notifier.ts';

/**
 * Teams redelivers an activity it got no answer to within 15 s; the repeat (and a replay of a genuine
 * request while its token lasts) is acknowledged and dropped, even after a restart.
 */
const TEAMS_RETRY_WINDOW_MS = 60 * 60_000;

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
  /** The endpoints' abuse limits (none when absent: tests of other things). */
  limits?: Limits;
  /** Whether the store knows a person (a conversation under their key): new people count against a limit. */
  knows?: (userKey: string) => Promise<boolean>;
  /** The addresses counted as this machine for the anonymous endpoint (default: loopback). */
  local?: string[];
}

/** The mounted channel: its configuration, adapter and the notifier for proactive messages. */
export interface TeamsChannel {
  config: TeamsConfig;
  adapter: TeamsAdapter;
  bot: TeamsBot;
  notifier: TeamsNotifier;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The body as JSON, and the two fields authentication needs (no walk of the rest: that comes after it).
 * Every activity has a service to answer through (botbuilder reads it even for types the bot ignores).
 */
function readActivity(raw: string): Record<string, unknown> & { serviceUrl: string } {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new RequestRefused(400, 'malformed_json');
  }
  if (!isObject(body)) throw new RequestRefused(400, 'not_an_activity');
  if (typeof body.serviceUrl !== 'string' || !/^https?:\/\//.test(body.serviceUrl))
    throw new RequestRefused(400, 'missing_service_url');
  return body as Record<string, unknown> & { serviceUrl: string };
}

/**
 * Checks, once the caller is known to be genuine, the parts of an activity the adapter relies on; a 400 names what
 * is wrong.
 */
function checkActivity(body: Record<string, unknown>): Activity {
  const bad = jsonProblem(body);
  if (bad) throw new RequestRefused(400, bad);
  if (typeof body.type !== 'string' || !body.type) throw new RequestRefused(400, 'missing_type');
  // Every activity has a conversation to answer in (botbuilder reads it even for the types the bot has nothing
  // to say to: a typing activity without one failed with a 500), and someone it comes from: an empty id would
  // make every such sender one person, who would see the others' drafts.
  if (!isObject(body.conversation) || typeof body.conversation.id !== 'string' || !body.conversation.id)
    throw new RequestRefused(400, 'missing_conversation');
  if (!isObject(body.from) || typeof body.from.id !== 'string' || !body.from.id.trim())
    throw new RequestRefused(400, 'missing_from');
  if (body.recipient !== undefined && !isObject(body.recipient)) throw new RequestRefused(400, 'bad_recipient');
  if (body.text !== undefined && typeof body.text !== 'string') throw new RequestRefused(400, 'bad_text');
  const shape = ActivityShape.safeParse(body);
  if (!shape.success) {
    const issue = shape.error.issues[0]!;
    throw new RequestRefused(400, `bad_${issue.path.map(String).join('.') || 'activity'}`);
  }
  return body as unknown as Activity;
}

const text = z.string().nullish();
/**
 * An id the connector is called with (in the URL, and the conversation's in a header): printable ASCII, as
 * Teams' are, and at most 1,024 characters (Teams' longest, a personal chat's, has a few hundred). A control
 * character failed the reply in Node's HTTP client, and a 20 kB id overflowed the connector's header limit (431).
 */
const ident = z
  .string()
  .max(1024)
  .regex(/^[\x20-\x7e]*$/, 'not printable ASCII');

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
  from: z.looseObject({ id: ident, name: text, aadObjectId: ident.nullish() }),
  recipient: z.looseObject({ id: text, name: text }).optional(),
  conversation: z.looseObject({
    id: ident,
    conversationType: text,
    tenantId: text,
    name: text,
    isGroup: z.boolean().nullish(),
  }),
  entities: z
    .array(
      z
        .looseObject({
          type: z.string(),
          locale: text,
          text: text,
          mentioned: z.looseObject({ id: z.unknown() }).optional(),
        })
        // botbuilder reads the mentioned id of every mention (removeMentionText): one without failed the turn.
        .refine((e) => e.type !== 'mention' || e.mentioned !== undefined, {
          path: ['mentioned'],
          message: 'a mention names no one',
        }),
    )
    .optional(),
  membersAdded: z.array(z.looseObject({ id: text })).nullish(),
});

/**
 * Mounts the Teams channel at `POST /api/messages` (Bot Framework protocol, CloudAdapter). With MicrosoftAppId,
 * requests need a valid token (401 otherwise) and a serviceUrl of the Bot Framework's; without it, the
 * endpoint answers only loopback (the Emulator) or the networks of TEAMS_ANONYMOUS, and is not mounted at all
 * with TEAMS_ANONYMOUS=off (404). Throws a ConfigError naming a wrong variable.
 */
export function mountTeams(server: HttpServer, deps: TeamsDeps): TeamsChannel {
  const config = loadTeamsConfig(deps.env);
  const log = deps.log;
  const adapter = createTeamsAdapter(config);
  const gate = new TeamsGate(config, adapter, deps.local);
  const bot = new TeamsBot(deps);
  const notifier = new TeamsNotifier({ adapter, sender: bot.sender, store: deps.store, appId: config.appId });
  if (!config.authEnabled && config.anonymous === 'off') {
    log.info('teams: endpoint off (no MicrosoftAppId, TEAMS_ANONYMOUS=off)');
    return { config, adapter, bot, notifier };
  }
  const anonymous = config.anonymous;
  const limits = deps.limits;

  server.route(
    'POST /api/messages',
    async (req, res) => {
      let activity: Activity;
      let auth: AuthResult;
      let verdict: 'ok' | 'tell' | 'drop' = 'ok';
      try {
        // Who calls, and with what token, before anything reads the body; then the service URL, then the token
        // itself (botbuilder's check, which compares the token's serviceUrl claim); only then the rest of the body.
        const address = req.socket.remoteAddress ?? '';
        const wait = await limits?.fromAddress(address);
        if (wait) throw new RequestRefused(429, 'too_many_requests', wait);
        gate.caller(req);
        const body = readActivity(req.rawBody.toString('utf8'));
        gate.serviceUrl(body.serviceUrl);
        const header = req.headers.authorization ?? '';
        auth = config.authEnabled
          ? await gate.authenticate(body as unknown as Activity, header)
          : await adapter.authenticate(body as unknown as Activity, '');
        activity = checkActivity(body);
        if (activity.type === 'invoke' && !HANDLED_INVOKES.has(activity.name ?? ''))
          throw new RequestRefused(400, 'unknown_invoke');
        if (limits && (activity.type === 'message' || activity.type === 'invoke')) {
          const person = userKey({ platform: 'teams', user: { id: userId(activity) } });
          const later = await limits.newPerson(address, person, () => deps.knows?.(person) ?? Promise.resolve(true));
          if (later) throw new RequestRefused(429, 'too_many_new_people', later);
          verdict = await limits.ofPerson(person);
        }
      } catch (err) {
        if (!(err instanceof RequestRefused)) throw err;
        const line = { status: err.status, code: err.code, from: req.socket.remoteAddress };
        if (err.status === 400) log.info(line, 'teams: request refused');
        else log.warn(line, 'teams: request refused');
        if (err.retryAfter) res.setHeader('retry-after', String(err.retryAfter));
        return json(res, err.status, { error: err.code });
      }
      if (
        activity.id &&
        !(await deps.store.seen.claim(
          `teams:${activity.conversation.id}|${activity.type}|${activity.id}`,
          TEAMS_RETRY_WINDOW_MS,
        ))
      ) {
        log.info({ id: activity.id, type: activity.type }, 'teams: duplicate activity dropped');
        return json(res, 200, {});
      }
      try {
        if (verdict === 'drop') {
          log.info({ code: 'person_rate_limited' }, 'teams: turn dropped');
          return json(res, 200, {});
        }
        if (verdict === 'tell')
          log.warn({ code: 'person_rate_limited' }, 'teams: a person went over the rate limit; told to slow down');
        const invoke = await adapter.run(auth, activity, (ctx) =>
          verdict === 'tell' ? bot.tooFast(ctx) : bot.onTurn(ctx),
        );
        if (invoke) return json(res, invoke.status, invoke.body ?? {});
        res.writeHead(200).end();
      } catch (err) {
        log.error(
          { err, id: activity.id, type: activity.type, conversation: activity.conversation.id },
          'teams: turn failed',
        );
        if (!res.headersSent) json(res, 500, { error: 'internal_error' });
      }
    },
    { maxBody: MAX_BODY },
  );
  if (config.authEnabled)
    log.info({ auth: config.appType, serviceUrlHosts: config.serviceUrlHosts }, 'teams: endpoint POST /api/messages');
  else {
    const from = typeof anonymous === 'object' ? `loopback and ${anonymous.networks.join(', ')}` : 'loopback only';
    log.warn(
      `teams: POST /api/messages is ANONYMOUS (no MicrosoftAppId): it answers ${from}, ` +
        'as the Bot Framework Emulator connects; set MicrosoftAppId for Teams, or TEAMS_ANONYMOUS=off',
    );
  }
  return { config, adapter, bot, notifier };
}
