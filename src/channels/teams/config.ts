import { BlockList, isIP } from 'node:net';
import { z } from 'zod';
import { ConfigError } from '../../config.ts';

/** A Microsoft App ID (Entra application id): a GUID. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;

const Schema = z
  .object({
    MicrosoftAppId: z
      .string()
      .regex(GUID, "must be the bot's Microsoft App ID, a GUID such as 2f8a9d1e-0000-0000-0000-000000000000")
      .optional(),
    MicrosoftAppPassword: z.string().optional(),
    // botbuilder compares the type case-insensitively; so do we, and normalize the spelling.
    MicrosoftAppType: z
      .string()
      .transform((s) => APP_TYPES.find((t) => t.toLowerCase() === s.toLowerCase()) ?? s)
      .pipe(z.enum(APP_TYPES, { error: `must be one of ${APP_TYPES.join(', ')}` }))
      .optional(),
    MicrosoftAppTenantId: z.string().optional(),
    TEAMS_ANONYMOUS: z
      .string()
      .refine(
        (s) => s === 'off' || s === 'loopback' || networks(s) !== undefined,
        'must be "loopback" (the default), "off", or networks such as "10.0.0.0/8,192.168.1.20/32"',
      )
      .optional(),
    TEAMS_SERVICE_URL_HOSTS: z
      .string()
      .refine(
        (s) => s.split(',').every((h) => HOST_PATTERN.test(h.trim())),
        'must be host names separated by commas, each a name such as "smba.example.org" or "*.example.org"',
      )
      .optional(),
    ToBotFromChannelOpenIdMetadataUrl: z.url({ protocol: /^https?$/ }).optional(),
    ToBotFromEmulatorOpenIdMetadataUrl: z.url({ protocol: /^https?$/ }).optional(),
    ToBotFromChannelTokenIssuer: z.string().optional(),
  })
  .superRefine((c, ctx) => {
    const type = c.MicrosoftAppType ?? 'MultiTenant';
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (c.MicrosoftAppId && c.TEAMS_ANONYMOUS)
      issue(
        'TEAMS_ANONYMOUS',
        'must not be set when MicrosoftAppId is set (requests then need a valid Bot Framework token)',
      );
    if (!c.MicrosoftAppId) {
      if (c.MicrosoftAppPassword)
        issue(
          'MicrosoftAppId',
          'must be set when MicrosoftAppPassword is set (the App ID of the Azure Bot registration)',
        );
      if (c.MicrosoftAppTenantId) issue('MicrosoftAppId', 'must be set when MicrosoftAppTenantId is set');
      if (c.MicrosoftAppType) issue('MicrosoftAppId', `must be set when MicrosoftAppType is set`);
      return;
    }
    if (type === 'UserAssignedMSI') {
      if (c.MicrosoftAppPassword)
        issue(
          'MicrosoftAppPassword',
          'must not be set when MicrosoftAppType=UserAssignedMSI (the managed identity has no secret)',
        );
    } else if (!c.MicrosoftAppPassword) {
      issue(
        'MicrosoftAppPassword',
        `must be set when MicrosoftAppId is set and MicrosoftAppType=${type} ` +
          '(the client secret of the app registration)',
      );
    }
    if (type !== 'MultiTenant' && !c.MicrosoftAppTenantId) {
      issue(
        'MicrosoftAppTenantId',
        `must be set when MicrosoftAppType=${type} (the Directory (tenant) ID of the app registration)`,
      );
    }
  });

/**
 * The Teams channel's settings: the standard Bot Framework variables, or none at all (anonymous: the Emulator on
 * loopback).
 */
export interface TeamsConfig {
  /** Empty when running anonymously. */
  appId: string;
  password: string;
  appType: (typeof APP_TYPES)[number];
  tenantId: string;
  /** True when an App ID is configured: inbound requests must then carry a valid Bot Framework token. */
  authEnabled: boolean;
  /**
   * Without an App ID, who may call the endpoint: `loopback` (the Emulator on this machine: requests from
   * 127.0.0.1 or ::1 with a loopback serviceUrl), `off` (nobody: the endpoint is not mounted), or the
   * networks of TEAMS_ANONYMOUS (requests from them, with a serviceUrl on loopback or in them).
   */
  anonymous: 'loopback' | 'off' | { networks: string[] };
  /** With an App ID, the hosts a serviceUrl may name (the Bot Framework's, and TEAMS_SERVICE_URL_HOSTS). */
  serviceUrlHosts: string[];
  /** botbuilder's own settings of where tokens come from (sovereign clouds; tests' local key endpoint). */
  botFramework: Record<string, string>;
}

/**
 * The hosts of the public cloud's Bot Framework channels a serviceUrl names: Teams' (one host, a path per
 * region) and the other channels' (a host each under one domain). Sovereign clouds: TEAMS_SERVICE_URL_HOSTS.
 */
export const BOT_FRAMEWORK_HOSTS = ['smba.trafficmanager.net', '*.botframework.com'];

const HOST_PATTERN = /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/i;

/** `10.0.0.0/8,192.168.1.20` as a list of subnets, or undefined when one is not an address or subnet. */
function networks(s: string): string[] | undefined {
  const parts = s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) return undefined;
  for (const p of parts) {
    const [ip, bits, ...rest] = p.split('/');
    const family = isIP(ip ?? '');
    if (!family || rest.length) return undefined;
    if (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128))) return undefined;
  }
  return parts;
}

/** A BlockList (Node's address matcher) of subnets given as `ip` or `ip/bits`. */
export function blockListOf(subnets: string[]): BlockList {
  const list = new BlockList();
  for (const s of subnets) {
    const [ip, bits] = s.split('/') as [string, string | undefined];
    const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(ip, bits === undefined ? (type === 'ipv6' ? 128 : 32) : Number(bits), type);
  }
  return list;
}

const SECRET = new Set(['MicrosoftAppPassword']);

/** botbuilder's configuration keys passed through as they are (ConfigurationBotFrameworkAuthentication reads them). */
const BOT_FRAMEWORK_KEYS = [
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'ToBotFromChannelTokenIssuer',
] as const;

/**
 * Reads MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType and MicrosoftAppTenantId, TEAMS_ANONYMOUS,
 * TEAMS_SERVICE_URL_HOSTS and botbuilder's token settings (empty counts as unset).
 * Throws a ConfigError naming each wrong variable; the password's value is never shown.
 */
export function loadTeamsConfig(env: NodeJS.ProcessEnv = process.env): TeamsConfig {
  const keys = [
    'MicrosoftAppId',
    'MicrosoftAppPassword',
    'MicrosoftAppType',
    'MicrosoftAppTenantId',
    'TEAMS_ANONYMOUS',
    'TEAMS_SERVICE_URL_HOSTS',
    ...BOT_FRAMEWORK_KEYS,
  ] as const;
  const present = Object.fromEntries(keys.flatMap((k) => (env[k]?.trim() ? [[k, env[k]!.trim()]] : [])));
  const result = Schema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const name = String(i.path[0]);
      const shown = name in present && !SECRET.has(name) ? `=${JSON.stringify(present[name])}` : '';
      return `${name}${shown}: ${i.message}`;
    });
    throw new ConfigError(`Invalid Teams configuration:\n  ${lines.join('\n  ')}`);
  }
  const c = result.data;
  return {
    appId: c.MicrosoftAppId ?? '',
    password: c.MicrosoftAppPassword ?? '',
    appType: c.MicrosoftAppType ?? 'MultiTenant',
    tenantId: c.MicrosoftAppTenantId ?? '',
    authEnabled: Boolean(c.MicrosoftAppId),
    anonymous:
      c.TEAMS_ANONYMOUS === 'off'
        ? 'off'
        : c.TEAMS_ANONYMOUS && c.TEAMS_ANONYMOUS !== 'loopback'
          ? { networks: networks(c.TEAMS_ANONYMOUS)! }
          : 'loopback',
    serviceUrlHosts: [
      ...BOT_FRAMEWORK_HOSTS,
      ...(c.TEAMS_SERVICE_URL_HOSTS?.split(',').map((h) => h.trim().toLowerCase()) ?? []),
    ],
    botFramework: Object.fromEntries(BOT_FRAMEWORK_KEYS.flatMap((k) => (c[k] ? [[k, c[k]]] : []))),
  };
}
