/**
 * Slack over HTTP: Bolt's HTTPReceiver behind a route of the process's server that checks, in this order and
 * before Bolt reads anything, the caller's request rate, Slack's signature, the timestamp (5 minutes either
 * way) and the payload's shape.
 */
import { ErrorCode, HTTPModuleFunctions, HTTPReceiver, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import { json, type HttpServer } from '../../server.ts';
import type { Limits } from '../limits.ts';
import type { SlackSettings } from './config.ts';
import { payloadProblem, SLACK_MAX_BODY } from './inbound.ts';

/** The path of the Events API, interactivity and slash commands (one Request URL for all three). */
export const SLACK_EVENTS_PATH = '/slack/events';
/** The slash command declared in manifest.json. */
export const SLASH_COMMAND = '/gnlc';
/** How far a request's timestamp may be from now, either way (Slack's and Bolt's five minutes). */
const SLACK_CLOCK_SKEW_MS = 5 * 60_000;

export interface SlackHttpDeps {
  server: HttpServer;
  settings: SlackSettings;
  limits?: Limits;
  unackedTimeoutMs?: number;
  log: Logger;
  logger: BoltLogger;
}

/** The receiver for the Bolt app, its route mounted at POST /slack/events. */
export function slackHttpReceiver(deps: SlackHttpDeps): HTTPReceiver {
  const { settings, log, logger } = deps;
  // Events are acknowledged as soon as they are verified; the work happens after (Slack waits 3 s at most).
  const receiver = new HTTPReceiver({
    signingSecret: settings.signingSecret!,
    endpoints: SLACK_EVENTS_PATH,
    logger,
    processBeforeResponse: false,
    // The route below checks the signature (with Bolt's own function) before anything else, once.
    signatureVerification: false,
    unhandledRequestTimeoutMillis: deps.unackedTimeoutMs,
    // The request's signature, for the replay check of the middleware (it covers the timestamp and the body).
    customPropertiesExtractor: (req) => ({
      slackSignature: String(req.headers['x-slack-signature'] ?? ''),
      remoteAddress: req.socket.remoteAddress ?? '',
    }),
    // Bolt reads a payload's fields before any listener acknowledges it, and throws on a signed payload whose
    // fields are not what it expects (the checks of payloadProblem cover the usual ones): that is the
    // sender's mistake, answered 400 rather than Bolt's 500. Errors after the acknowledgement are logged.
    processEventErrorHandler: async (args) => {
      const { error, response } = args;
      if (response.headersSent || (error as { code?: string }).code === ErrorCode.AuthorizationError) {
        return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
      }
      log.warn({ err: error.message }, 'slack: payload refused (Bolt could not read it)');
      json(response, 400, { error: 'bad_payload' });
      return true;
    },
  });
  const secret = settings.signingSecret!;
  deps.server.route(
    `POST ${SLACK_EVENTS_PATH}`,
    async (req, res) => {
      const wait = await deps.limits?.fromAddress(req.socket.remoteAddress ?? '');
      if (wait) {
        log.warn({ code: 'too_many_requests', from: req.socket.remoteAddress }, 'slack: request refused');
        res.setHeader('retry-after', String(wait));
        return json(res, 429, { error: 'too_many_requests' });
      }
      // Slack's signature, checked as the receiver would (and an ssl_check stripped of anything else): 401 otherwise.
      try {
        await HTTPModuleFunctions.parseAndVerifyHTTPRequest({ enabled: true, signingSecret: secret }, req);
      } catch (err) {
        logger.warn(`Failed to parse and verify the request data: ${(err as Error).message}`);
        return void res.writeHead(401).end();
      }
      // Bolt refuses a timestamp more than 5 minutes old; one more than 5 minutes ahead is refused too
      // (a request signed for later is a request kept for a replay).
      const sent = Number(req.headers['x-slack-request-timestamp']);
      if (sent * 1000 > Date.now() + SLACK_CLOCK_SKEW_MS) {
        log.warn(
          { code: 'timestamp_in_future', ahead_s: Math.round(sent - Date.now() / 1000) },
          'slack: request refused',
        );
        return void res.writeHead(401).end();
      }
      // A signed payload Bolt would choke on (a body that is not an object, a field of the wrong type) is refused here.
      const problem = payloadProblem(req, SLASH_COMMAND);
      if (problem) {
        log.info({ problem }, 'slack: payload refused');
        return json(res, 400, { error: 'bad_payload', problem });
      }
      receiver.requestListener(req, res);
    },
    { maxBody: SLACK_MAX_BODY },
  );
  return receiver;
}
