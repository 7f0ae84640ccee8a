/**
 * The web chat channel: a Direct Line 3.0–compatible endpoint of this server (`/v3/directline/…`: conversations,
 * tokens, activities read by watermark), which Microsoft's Web Chat talks to as it talks to Azure's, and
 * `POST /chat/session`, where a page gets a signed token for its visitor. The turns run through the Teams bot
 * (the same Adaptive Cards), on the platform `web`: a visitor's key is `web:<id>`, the id derived from a
 * secret only their browser keeps.
 */
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Assistant } from '../../core/assistant.ts';
import type { Reply } from '../../core/reply.ts';
import type { Store } from '../../core/records.ts';
import type { Translate } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';
import { type BufferedRequest, type HttpServer, json } from '../../server.ts';
import { jsonProblem } from '../json-check.ts';
import type { Limits } from '../limits.ts';
import { TeamsBot } from '../teams/bot.ts';
import { RequestRefused } from '../teams/gate.ts';
import { WEB_BOT, WEB_CHANNEL_ID, WebAdapter } from './adapter.ts';
import { Invitations } from './invitations.ts';
import { KeptNotices } from './kept.ts';
import { WebNotifier } from './notifier.ts';
import { mountPage } from './page.ts';
import { newConversationId, visitorOf, webSecret, WebTokens, type Grant } from './tokens.ts';
import { type Transcript, Transcripts } from './transcripts.ts';

/**
 * A visitor's message is short (a typed answer, a card's inputs); 64 kB is far more than any. A longer text than
 * the core takes is answered by the core, in the visitor's language (not refused here, which Web Chat would show
 * as "send failed").
 */
const MAX_BODY = 64 * 1024;
const BASE = '/v3/directline/';

export interface WebDeps {
  assistant: Assistant;
  t: Translate;
  store: Store;
  log: Logger;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  /** The web chat visitors who endorse for a country's commission (the routing's). */
  webEndorsers: (country: string) => string[];
  /** Whether a web chat visitor endorses for some commission. */
  isEndorser: (user: string) => boolean;
  /** The data folder: notices for visitors with no page open are kept in its `web-kept/`. */
  dataDir: string;
  limits?: Limits;
  knows?: (userKey: string) => Promise<boolean>;
}

export interface WebChannel {
  notifier: WebNotifier;
  tokens: WebTokens;
  invitations: Invitations;
  transcripts: Transcripts;
}

/** What a page posts: a message (typed, or a card's Action.Submit as `value`) or an event (`webchat/join`). */
const Inbound = z.object({
  type: z.string().max(40),
  name: z.string().max(100).optional(),
  text: z.string().optional(),
  value: z.unknown().optional(),
  locale: z.string().max(35).optional(),
  localTimezone: z.string().max(64).optional(),
  channelData: z.looseObject({ clientActivityID: z.string().max(100).optional() }).optional(),
});

export function mountWeb(server: HttpServer, deps: WebDeps): WebChannel {
  const { log, limits, now } = deps;
  const key = webSecret(deps.env);
  const tokens = new WebTokens(key, now);
  const invitations = new Invitations(key, now);
  const transcripts = new Transcripts();
  const adapter = new WebAdapter(transcripts, now);
  const bot = new TeamsBot({ ...deps, platform: 'web' });
  const kept = new KeptNotices(path.join(deps.dataDir, 'web-kept'), now, (obj, msg) => log.warn(obj, msg));
  const endorsers = deps.webEndorsers;
  const notifier = new WebNotifier({ adapter, sender: bot.sender, transcripts, kept, now, endorsers });
  /** What a visitor is told when their page opens, decided when their session was made (an invitation's outcome). */
  const onJoin = new LRUCache<string, Reply[]>({ max: 10_000, ttl: 10 * 60_000 });

  const refused = (res: Parameters<typeof json>[0], req: BufferedRequest, err: unknown) => {
    if (!(err instanceof RequestRefused)) throw err;
    log.info({ status: err.status, code: err.code, from: req.socket.remoteAddress }, 'web: request refused');
    if (err.retryAfter) res.setHeader('retry-after', String(err.retryAfter));
    json(res, err.status, { error: { code: err.code } });
  };
  const fromAddress = async (req: BufferedRequest) => {
    const wait = await limits?.fromAddress(req.socket.remoteAddress ?? '');
    if (wait) throw new RequestRefused(429, 'too_many_requests', wait);
  };
  const granted = (req: BufferedRequest): Grant => {
    const header = req.headers.authorization ?? '';
    const grant = header.startsWith('Bearer ') ? tokens.verify(header.slice(7).trim()) : undefined;
    if (!grant) throw new RequestRefused(403, 'token_invalid_or_expired');
    return grant;
  };
  /** The conversation a request names, when its token is for it and its visitor's. */
  const conversation = (grant: Grant, id: string): Transcript => {
    const t = transcripts.get(id);
    if (!t || grant.conversation !== id || t.user !== grant.user)
      throw new RequestRefused(403, 'not_your_conversation');
    return t;
  };
  const started = (t: Transcript) => ({
    conversationId: t.id,
    token: tokens.sign({ user: t.user, conversation: t.id }),
    expires_in: tokens.ttlSeconds,
  });

  /** A visitor who came with an invitation link: admitted as its endorser (or told why not) when the page opens. */
  const invited = async (user: string, body: { invite?: unknown; locale?: unknown }) => {
    const locale = typeof body.locale === 'string' ? body.locale.slice(0, 35) : undefined;
    const lang = await deps.assistant.languageOfPerson({ platform: 'web', user: { id: user, locale } });
    const opened = invitations.open(String(body.invite));
    const { outcome, reply } = await deps.assistant.desk.admitInvited({ platform: 'web', user }, opened, lang);
    log.info({ outcome, user }, 'web: invitation link opened');
    onJoin.set(user, [reply]);
    return outcome;
  };

  server.route(
    'POST /chat/session',
    async (req, res) => {
      try {
        await fromAddress(req);
        let body: { secret?: unknown; invite?: unknown; locale?: unknown } = {};
        try {
          body = req.rawBody.length ? JSON.parse(req.rawBody.toString('utf8')) : {};
        } catch {
          throw new RequestRefused(400, 'malformed_json');
        }
        const visitor = visitorOf(body?.secret);
        const invitation = typeof body?.invite === 'string' ? await invited(visitor.user, body) : undefined;
        json(res, 200, {
          secret: visitor.secret,
          user: visitor.user,
          token: tokens.sign({ user: visitor.user }),
          expires_in: tokens.ttlSeconds,
          endorser: deps.isEndorser(visitor.user),
          ...(invitation ? { invitation } : {}),
        });
      } catch (err) {
        refused(res, req, err);
      }
    },
    { maxBody: 4096 },
  );

  const directLine = async (req: BufferedRequest, res: Parameters<typeof json>[0]) => {
    try {
      await fromAddress(req);
      const grant = granted(req);
      const url = new URL(req.url ?? '/', 'http://local');
      const [what, id, sub, ...more] = url.pathname.slice(BASE.length).split('/');
      const method = req.method;
      if (method === 'POST' && what === 'tokens' && id === 'refresh' && !sub)
        return json(res, 200, { ...grant, token: tokens.sign(grant), expires_in: tokens.ttlSeconds });
      if (what !== 'conversations' || more.length) throw new RequestRefused(404, 'not_found');
      if (method === 'POST' && !id) {
        const existing = grant.conversation ? transcripts.get(grant.conversation) : undefined;
        if (existing && existing.user === grant.user) return json(res, 200, started(existing));
        const person = `web:${grant.user}`;
        const later = await limits?.newPerson(req.socket.remoteAddress ?? '', person, () =>
          deps.knows ? deps.knows(person) : Promise.resolve(true),
        );
        if (later) throw new RequestRefused(429, 'too_many_new_people', later);
        return json(res, 201, started(transcripts.open(newConversationId(), grant.user, now().getTime())));
      }
      const t = conversation(grant, id ?? '');
      if (method === 'GET' && !sub) return json(res, 200, started(t));
      if (sub !== 'activities') throw new RequestRefused(404, 'not_found');
      if (method === 'GET') {
        const watermark = Number(url.searchParams.get('watermark') ?? 0);
        return json(res, 200, transcripts.since(t, Number.isFinite(watermark) ? watermark : 0, now().getTime()));
      }
      const activity = inbound(req.rawBody, t, now());
      const verdict = limits ? await limits.ofPerson(`web:${t.user}`) : 'ok';
      const press = activity.type === 'message' && activity.value !== undefined;
      const pressed = press ? transcripts.pressedCard(t, activity.value) : undefined;
      if (pressed) activity.replyToId = pressed;
      const echoed = transcripts.append(t, activity);
      // A press whose button no card of this conversation shows any more (redrawn once pressed: a double click),
      // or never showed (made up): dropped, as Teams drops a second press.
      const stale = press && !pressed;
      if (verdict === 'drop' || stale) return json(res, 200, { id: echoed });
      await adapter.process({ ...activity, id: echoed }, async (ctx) => {
        if (verdict === 'tell') return bot.tooFast(ctx);
        if (activity.type === 'event' && activity.name === 'webchat/join') {
          // The page has opened: the welcome (and the draft in progress), then the notices kept meanwhile.
          await bot.welcome(ctx);
          const told = onJoin.get(t.user);
          onJoin.delete(t.user);
          if (told) await bot.sender.send(ctx, told);
          await notifier.deliverKept(t);
          // An endorser: what waits for their decision (the page keeps no history of cards).
          const turn = {
            platform: 'web' as const,
            user: { id: t.user, locale: ctx.activity.locale },
            room: { id: t.id, direct: true },
          };
          const waiting = await deps.assistant.desk.waiting(turn, await deps.assistant.languageOfPerson(turn));
          if (waiting.length) await bot.sender.send(ctx, waiting);
          return;
        }
        if (activity.type === 'message') return bot.onTurn(ctx);
      });
      return json(res, 200, { id: echoed });
    } catch (err) {
      refused(res, req, err);
    }
  };
  mountPage(server, deps);
  server.route('GET /v3/directline/*', directLine);
  server.route('POST /v3/directline/*', directLine, { maxBody: MAX_BODY });
  return { notifier, tokens, invitations, transcripts };
}

/** A visitor's activity as the bot gets it: what the page may say, with who and where set by the endpoint. */
function inbound(raw: Buffer, t: Transcript, at: Date): Partial<Activity> {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new RequestRefused(400, 'malformed_json');
  }
  const bad = jsonProblem(body, 20);
  if (bad) throw new RequestRefused(400, bad);
  const parsed = Inbound.safeParse(body);
  if (!parsed.success) throw new RequestRefused(400, `bad_${parsed.error.issues[0]!.path.join('.') || 'activity'}`);
  const a = parsed.data;
  const clientActivityID = a.channelData?.clientActivityID;
  return {
    type: a.type,
    ...(a.name !== undefined ? { name: a.name } : {}),
    ...(a.text !== undefined ? { text: a.text } : {}),
    ...(a.value !== undefined ? { value: a.value } : {}),
    ...(a.locale ? { locale: a.locale } : {}),
    ...(a.localTimezone ? { localTimezone: a.localTimezone } : {}),
    channelData: clientActivityID ? { clientActivityID } : {},
    from: { id: t.user, name: '', role: 'user' },
    recipient: WEB_BOT,
    conversation: { id: t.id, isGroup: false, conversationType: 'personal', name: '' },
    channelId: WEB_CHANNEL_ID,
    serviceUrl: '',
    timestamp: at,
  };
}
