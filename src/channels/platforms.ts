import type { Core } from '../core/create.ts';
import type { Logger } from '../log.ts';
import type { HttpServer } from '../server.ts';
import type { Store } from '../core/records.ts';
import { Limits, loadLimits } from './limits.ts';
import type { SlackChannel, SlackChannelDeps } from './slack/app.ts';
import type { SlackSettings } from './slack/config.ts';
import { mountTeams, type TeamsChannel, type TeamsDeps } from './teams/index.ts';
import { mountWeb, type WebChannel } from './web/index.ts';

/** The enabled platforms: Teams and the web chat always (Teams anonymous without credentials), Slack if configured. */
export interface Platforms {
  teams: TeamsChannel;
  web: WebChannel;
  slack?: SlackChannel;
}

/**
 * Mounts Teams (POST /api/messages) and, when `slack` settings are given, Slack on the server, and puts
 * their notifiers into the core's outbox. `createApp` (src/app.ts) uses it, for the server before it listens
 * and for `gnlc alerts`, which sends through the same notifiers without listening. Rejects with ConfigError on a
 * wrong setting.
 */
export async function enablePlatforms(
  core: Core,
  deps: {
    store: Store;
    log: Logger;
    env: NodeJS.ProcessEnv;
    server: HttpServer;
    /** The data folder (the web chat keeps notices for visitors with no page open there). */
    dataDir: string;
    slack?: SlackSettings;
    slackOptions?: Pick<SlackChannelDeps, 'retryConfig' | 'unackedTimeoutMs'>;
    teamsOptions?: Pick<TeamsDeps, 'local'>;
  },
): Promise<Platforms> {
  const { store, log, env, server } = deps;
  const clock = core.clock;
  // One set of counters for both endpoints (a person or an address is limited whichever they use).
  const limits = new Limits(loadLimits(env));
  const knows = async (key: string) => (await store.conversations.get(key)) !== undefined;
  const teams = mountTeams(server, {
    assistant: core.assistant,
    t: core.i18n.t,
    store,
    log,
    env,
    now: () => clock.now(),
    limits,
    knows,
    ...deps.teamsOptions,
  });
  core.outbox.add(teams.notifier);
  const web = mountWeb(server, {
    assistant: core.assistant,
    t: core.i18n.t,
    store,
    log,
    env,
    now: () => clock.now(),
    webEndorsers: (country) => core.routing.webEndorsers(country),
    isEndorser: (user) =>
      core.routing.endorsesAny({ platform: 'web', user: { id: user }, room: { id: '', direct: true } }),
    dataDir: deps.dataDir,
    limits,
    knows,
  });
  core.outbox.add(web.notifier);
  // Bolt loads only when Slack is configured (about 120 ms of a start-up otherwise).
  const slack =
    deps.slack &&
    new (await import('./slack/app.ts')).SlackChannel({
      assistant: core.assistant,
      t: core.i18n.t,
      log,
      settings: deps.slack,
      server,
      seen: store.seen,
      limits,
      knows,
      ...deps.slackOptions,
    });
  if (slack) core.outbox.add(slack.notifier);
  return { teams, web, ...(slack ? { slack } : {}) };
}
