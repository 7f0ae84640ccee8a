import { AuthenticationConstants } from 'botframework-connector';
import {
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type Activity,
  type InvokeResponse,
  type TurnContext,
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

  private readonly clients = new Map<string, ReturnType<NonNullable<AuthResult['connectorFactory']>['create']>>();

  /**
   * Validates the request's Authorization header (anonymous when no App ID is configured); throws
   * AuthenticationError. The result's connector factory reuses one ConnectorClient per app id, service URL
   * and audience instead of building a client and its HTTP pipeline on every turn.
   */
  async authenticate(activity: Partial<Activity>, authHeader: string): Promise<AuthResult> {
    const result = await this.auth.authenticateRequest(activity as Activity, authHeader);
    const inner = result.connectorFactory;
    if (!inner) return result;
    const appId = (inner as { appId?: string }).appId ?? '';
    result.connectorFactory = {
      create: (serviceUrl: string, audience?: string) => {
        const key = `${appId}|${serviceUrl}|${audience ?? ''}`;
        let client = this.clients.get(key);
        if (!client) {
          client = inner.create(serviceUrl, audience);
          client.catch(() => this.clients.delete(key));
          this.clients.set(key, client);
          if (this.clients.size > 1000) this.clients.delete(this.clients.keys().next().value!);
        }
        return client;
      },
    };
    return result;
  }

  /** Runs `logic` for an authenticated activity; resolves to the invoke response, if any. */
  run(
    auth: AuthResult,
    activity: Activity,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}

/**
 * The standard configuration-driven authentication, with the per-turn UserTokenClient (for sign-in flows this
 * bot does not use, but CloudAdapter builds one with its own HTTP pipeline on every turn) made once per app id.
 */
class TeamsAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly userTokenClients = new Map<
    string,
    ReturnType<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>
  >();

  override createUserTokenClient(
    identity: Parameters<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>[0],
  ) {
    // v1 tokens carry the caller's app id as `appid`, v2 tokens as `azp`; anonymous requests have neither.
    const key = identity.getClaimValue('appid') ?? identity.getClaimValue('azp') ?? '';
    let client = this.userTokenClients.get(key);
    if (!client) {
      client = super.createUserTokenClient(identity);
      client.catch(() => this.userTokenClients.delete(key));
      this.userTokenClients.set(key, client);
      if (this.userTokenClients.size > 100) this.userTokenClients.delete(this.userTokenClients.keys().next().value!);
    }
    return client;
  }
}

/** The public cloud's endpoints, as botframework-connector's built-in default uses them. */
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
  ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
  ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
  OAuthUrl: AuthenticationConstants.OAuthUrl,
  ToBotFromChannelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
  ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
  CallerId: CallerIdConstants.PublicAzureChannel,
};

/** The adapter for a configuration: anonymous without an App ID (the Emulator), token-checked with one. */
export function createTeamsAdapter(config: TeamsConfig): TeamsAdapter {
  const settings = {
    MicrosoftAppId: config.appId || undefined,
    MicrosoftAppPassword: config.password || undefined,
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.tenantId || undefined,
    // Where tokens are checked against (sovereign clouds; the tests' local key endpoint), in botbuilder's own
    // keys. botbuilder takes any one of them as "all given": the others keep the public cloud's values.
    ...(Object.keys(config.botFramework).length ? { ...PUBLIC_CLOUD, ...config.botFramework } : {}),
  };
  const credentials = new ConfigurationServiceClientCredentialFactory(settings);
  return new TeamsAdapter(new TeamsAuthentication(settings, credentials));
}
