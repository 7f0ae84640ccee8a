import {
  CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory,
  type Activity, type InvokeResponse, type TurnContext,
} from 'botbuilder';
import type { TeamsConfig } from './config.ts';

/** What a successful authentication yields (botframework-connector's AuthenticateRequestResult). */
export type AuthResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/**
 * botbuilder's CloudAdapter with authentication and processing as two steps, so the endpoint can answer
 * 401 before anything else happens and drop duplicates only once a request is known to be genuine.
 *
 * Outbound calls (replies, updates, proactive sends) go through botframework-connector's client, whose
 * Azure pipeline already retries: 429/503 after the Retry-After the connector asks for, other 5xx, 408 and
 * network errors with exponential backoff (0.5–1 s, then doubling), up to 3 retries. No second layer here.
 */
export class TeamsAdapter extends CloudAdapter {
  constructor(readonly auth: ConfigurationBotFrameworkAuthentication) {
    super(auth);
  }

  /** Validates the request's Authorization header (anonymous when no App ID is configured); throws AuthenticationError. */
  authenticate(activity: Partial<Activity>, authHeader: string): Promise<AuthResult> {
    return this.auth.authenticateRequest(activity as Activity, authHeader);
  }

  /** Runs `logic` for an authenticated activity; resolves to the invoke response, if any. */
  run(auth: AuthResult, activity: Activity, logic: (ctx: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}

/** The adapter for a configuration: anonymous without an App ID (the Emulator), token-checked with one. */
export function createTeamsAdapter(config: TeamsConfig): TeamsAdapter {
  const settings = {
    MicrosoftAppId: config.appId || undefined,
    MicrosoftAppPassword: config.password || undefined,
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.tenantId || undefined,
  };
  const credentials = new ConfigurationServiceClientCredentialFactory(settings);
  return new TeamsAdapter(new ConfigurationBotFrameworkAuthentication(settings, credentials));
}
