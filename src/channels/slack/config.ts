import { ConfigError } from '../../config.ts';

/** How the Slack channel connects, derived from the SLACK_* variables. */
export interface SlackSettings {
  /** `socket`: Socket Mode over a WebSocket (no public URL); `http`: Events API at POST /slack/events. */
  mode: 'socket' | 'http';
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  /** Base URL of the Web API (ends with "/"); Slack's own when unset. */
  apiUrl?: string;
}

const HELP = {
  SLACK_BOT_TOKEN: 'the Bot User OAuth Token (xoxb-…) from your Slack app’s "OAuth & Permissions" page',
  SLACK_APP_TOKEN:
    'an App-Level Token (xapp-…) with the connections:write scope, ' +
    'from "Basic Information → App-Level Tokens" (Socket Mode)',
  SLACK_SIGNING_SECRET: 'the Signing Secret from "Basic Information → App Credentials" (HTTP mode)',
};

/**
 * Reads the Slack settings: none at all means Slack is off (undefined); anything partial or malformed
 * throws a ConfigError naming the variable and what to put in it. SLACK_APP_TOKEN selects Socket Mode;
 * otherwise events come over HTTP and must be signed with SLACK_SIGNING_SECRET.
 */
export function slackSettings(env: NodeJS.ProcessEnv): SlackSettings | undefined {
  const v = (name: string) => (env[name] ?? '').trim() || undefined;
  const botToken = v('SLACK_BOT_TOKEN');
  const appToken = v('SLACK_APP_TOKEN');
  const signingSecret = v('SLACK_SIGNING_SECRET');
  const apiUrl = v('SLACK_API_URL');
  if (!botToken && !appToken && !signingSecret && !apiUrl) return undefined;

  const problems: string[] = [];
  if (!botToken)
    problems.push(
      `SLACK_BOT_TOKEN is not set: set it to ${HELP.SLACK_BOT_TOKEN}, ` +
        'or unset every SLACK_ variable to run without Slack.',
    );
  else if (!botToken.startsWith('xoxb-'))
    problems.push(`SLACK_BOT_TOKEN must be a bot token starting with "xoxb-": use ${HELP.SLACK_BOT_TOKEN}.`);
  if (appToken && !appToken.startsWith('xapp-'))
    problems.push(`SLACK_APP_TOKEN must start with "xapp-": use ${HELP.SLACK_APP_TOKEN}.`);
  if (!appToken && !signingSecret) {
    problems.push(
      'Neither SLACK_APP_TOKEN nor SLACK_SIGNING_SECRET is set: ' +
        `set SLACK_APP_TOKEN to ${HELP.SLACK_APP_TOKEN}, or SLACK_SIGNING_SECRET to ${HELP.SLACK_SIGNING_SECRET}.`,
    );
  }
  let base: string | undefined;
  if (apiUrl) {
    try {
      const url = new URL(apiUrl);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
      base = url.href.endsWith('/') ? url.href : `${url.href}/`;
    } catch {
      problems.push(
        `SLACK_API_URL=${JSON.stringify(apiUrl)} is not an http(s) URL: ` +
          'set it to the Web API base URL (for example http://127.0.0.1:8080/api/) or unset it.',
      );
    }
  }
  if (problems.length) throw new ConfigError(`Slack settings are incomplete:\n  ${problems.join('\n  ')}`);
  return { mode: appToken ? 'socket' : 'http', botToken: botToken!, signingSecret, appToken, apiUrl: base };
}
