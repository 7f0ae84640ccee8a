import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config.ts';
import { loadTeamsConfig } from '../../../src/channels/teams/config.ts';

const ID = '6f1b3c2a-1d4e-4f5a-9b8c-7d6e5f4a3b2c';
const error = (env: Record<string, string>) => {
  try {
    loadTeamsConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('no error');
};

describe('Teams configuration', () => {
  it('is anonymous with no variables (or empty ones)', () => {
    expect(loadTeamsConfig({})).toMatchObject({ appId: '', authEnabled: false, appType: 'MultiTenant' });
    expect(loadTeamsConfig({ MicrosoftAppId: '', MicrosoftAppPassword: ' ' }).authEnabled).toBe(false);
  });

  it('accepts the three app types (any case)', () => {
    expect(loadTeamsConfig({ MicrosoftAppId: ID, MicrosoftAppPassword: 's3cret' })).toMatchObject({
      appId: ID,
      authEnabled: true,
      appType: 'MultiTenant',
    });
    expect(
      loadTeamsConfig({
        MicrosoftAppId: ID,
        MicrosoftAppPassword: 's',
        MicrosoftAppType: 'singletenant',
        MicrosoftAppTenantId: 't',
      }).appType,
    ).toBe('SingleTenant');
    expect(
      loadTeamsConfig({ MicrosoftAppId: ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't' }).appType,
    ).toBe('UserAssignedMSI');
  });

  it('names the variable that is wrong or missing, never showing the password', () => {
    expect(error({ MicrosoftAppId: ID })).toMatch(
      /MicrosoftAppPassword: must be set when MicrosoftAppId is set and MicrosoftAppType=MultiTenant/,
    );
    expect(error({ MicrosoftAppPassword: 'hunter2' })).toMatch(
      /MicrosoftAppId: must be set when MicrosoftAppPassword is set/,
    );
    expect(error({ MicrosoftAppPassword: 'hunter2' })).not.toContain('hunter2');
    expect(error({ MicrosoftAppId: 'my-bot' })).toMatch(
      /MicrosoftAppId="my-bot": must be the bot's Microsoft App ID, a GUID/,
    );
    expect(error({ MicrosoftAppId: ID, MicrosoftAppPassword: 's', MicrosoftAppType: 'Tenant' })).toMatch(
      /MicrosoftAppType="Tenant": must be one of MultiTenant, SingleTenant, UserAssignedMSI/,
    );
    expect(error({ MicrosoftAppId: ID, MicrosoftAppPassword: 's', MicrosoftAppType: 'SingleTenant' })).toMatch(
      /MicrosoftAppTenantId: must be set when MicrosoftAppType=SingleTenant/,
    );
    expect(
      error({
        MicrosoftAppId: ID,
        MicrosoftAppPassword: 'pw',
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppTenantId: 't',
      }),
    ).toMatch(/MicrosoftAppPassword: must not be set/);
  });

  it('reads who may call anonymously, and refuses it beside an App ID or with a bad network', () => {
    expect(loadTeamsConfig({}).anonymous).toBe('loopback');
    expect(loadTeamsConfig({ TEAMS_ANONYMOUS: 'off' }).anonymous).toBe('off');
    expect(loadTeamsConfig({ TEAMS_ANONYMOUS: '10.0.0.0/8, 192.168.1.20' }).anonymous).toEqual({
      networks: ['10.0.0.0/8', '192.168.1.20'],
    });
    expect(error({ TEAMS_ANONYMOUS: '10.0.0.0/33' })).toMatch(/TEAMS_ANONYMOUS="10.0.0.0\/33": must be "loopback"/);
    expect(error({ TEAMS_ANONYMOUS: 'everyone' })).toMatch(/TEAMS_ANONYMOUS/);
    expect(error({ MicrosoftAppId: ID, MicrosoftAppPassword: 's', TEAMS_ANONYMOUS: 'loopback' })).toMatch(
      /TEAMS_ANONYMOUS="loopback": must not be set when MicrosoftAppId is set/,
    );
  });

  it("adds service URL hosts to the Bot Framework's, and passes botbuilder's token settings through", () => {
    const c = loadTeamsConfig({
      MicrosoftAppId: ID,
      MicrosoftAppPassword: 's',
      TEAMS_SERVICE_URL_HOSTS: 'smba.example.org, *.Example.net',
      ToBotFromChannelTokenIssuer: 'https://api.example.org',
    });
    expect(c.serviceUrlHosts).toEqual([
      'smba.trafficmanager.net',
      '*.botframework.com',
      'smba.example.org',
      '*.example.net',
    ]);
    expect(c.botFramework).toEqual({ ToBotFromChannelTokenIssuer: 'https://api.example.org' });
    expect(error({ TEAMS_SERVICE_URL_HOSTS: 'https://x.example.org/' })).toMatch(
      /TEAMS_SERVICE_URL_HOSTS=.*must be host names/,
    );
    expect(error({ ToBotFromChannelOpenIdMetadataUrl: 'not a url' })).toMatch(/ToBotFromChannelOpenIdMetadataUrl/);
  });
});
