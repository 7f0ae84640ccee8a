/** The Bolt App over the receiver of the configured mode: Socket Mode, or Bolt's HTTPReceiver behind our route. */
import { App, SocketModeReceiver } from '@slack/bolt';
import type { RetryOptions } from '@slack/web-api';
import type { Logger } from '../../log.ts';
import type { HttpServer } from '../../server.ts';
import type { Limits } from '../limits.ts';
import { boltLogger } from './bolt.ts';
import type { SlackSettings } from './config.ts';
import { slackHttpReceiver } from './http.ts';

/** How the Slack channel connects (part of SlackChannelDeps). */
export interface SlackConnection {
  settings: SlackSettings;
  /** The process's HTTP server; required in HTTP mode (POST /slack/events is mounted on it). */
  server?: HttpServer;
  /** Web API retries (rate limits, network errors, 5xx); tests shorten them. */
  retryConfig?: RetryOptions;
  /**
   * How long a request no listener acknowledges waits for its 404 (HTTP mode; Bolt's 3,001 ms, Slack's 3 s);
   * tests shorten it.
   */
  unackedTimeoutMs?: number;
}

/** The Bolt App for the settings' mode, its Web API client retrying (rate limits honour Retry-After). */
export function boltApp(deps: SlackConnection & { limits?: Limits; log: Logger }): App {
  const { settings } = deps;
  const logger = boltLogger(deps.log);
  const clientOptions = {
    slackApiUrl: settings.apiUrl,
    retryConfig: deps.retryConfig ?? { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 30_000 },
  };
  // Bolt's conversation store (a middleware reading and keeping state per conversation on every event) is not
  // used: what a conversation holds is in the store, read by the core.
  const options = { token: settings.botToken, logger, clientOptions, convoStore: false as const };
  if (settings.mode === 'socket') {
    // The receiver's own client opens the connection (apps.connections.open): it gets SLACK_API_URL too.
    const receiver = new SocketModeReceiver({
      appToken: settings.appToken!,
      logger,
      installerOptions: { clientOptions: { slackApiUrl: settings.apiUrl } },
    });
    return new App({ ...options, receiver });
  }
  if (!deps.server) throw new Error('Slack HTTP mode needs the HTTP server');
  const receiver = slackHttpReceiver({
    server: deps.server,
    settings,
    limits: deps.limits,
    unackedTimeoutMs: deps.unackedTimeoutMs,
    log: deps.log,
    logger,
  });
  return new App({ ...options, receiver });
}
