import { z } from 'zod';
import { ConfigError } from '../../config.ts';

/** A Microsoft App ID (Entra application id): a GUID. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;

const Schema = z
  .object({
    MicrosoftAppId: z.string().regex(GUID, "must be the bot's Microsoft App ID, a GUID such as 2f8a9d1e-0000-0000-0000-000000000000").optional(),
    MicrosoftAppPassword: z.string().optional(),
    // botbuilder compares the type case-insensitively; so do we, and normalize the spelling.
    MicrosoftAppType: z
      .string()
      .transform((s) => APP_TYPES.find((t) => t.toLowerCase() === s.toLowerCase()) ?? s)
      .pipe(z.enum(APP_TYPES, { error: `must be one of ${APP_TYPES.join(', ')}` }))
      .optional(),
    MicrosoftAppTenantId: z.string().optional(),
  })
  .superRefine((c, ctx) => {
    const type = c.MicrosoftAppType ?? 'MultiTenant';
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (!c.MicrosoftAppId) {
      if (c.MicrosoftAppPassword) issue('MicrosoftAppId', 'must be set when MicrosoftAppPassword is set (the App ID of the Azure Bot registration)');
      if (c.MicrosoftAppTenantId) issue('MicrosoftAppId', 'must be set when MicrosoftAppTenantId is set');
      if (c.MicrosoftAppType) issue('MicrosoftAppId', `must be set when MicrosoftAppType is set`);
      return;
    }
    if (type === 'UserAssignedMSI') {
      if (c.MicrosoftAppPassword) issue('MicrosoftAppPassword', 'must not be set when MicrosoftAppType=UserAssignedMSI (the managed identity has no secret)');
    } else if (!c.MicrosoftAppPassword) {
      issue('MicrosoftAppPassword', `must be set when MicrosoftAppId is set and MicrosoftAppType=${type} (the client secret of the app registration)`);
    }
    if (type !== 'MultiTenant' && !c.MicrosoftAppTenantId) {
      issue('MicrosoftAppTenantId', `must be set when MicrosoftAppType=${type} (the Directory (tenant) ID of the app registration)`);
    }
  });

/** The Teams channel's settings: the standard Bot Framework variables, or none at all (anonymous, for the Emulator). */
export interface TeamsConfig {
  /** Empty when running anonymously. */
  appId: string;
  password: string;
  appType: (typeof APP_TYPES)[number];
  tenantId: string;
  /** True when an App ID is configured: inbound requests must then carry a valid Bot Framework token. */
  authEnabled: boolean;
}

const SECRET = new Set(['MicrosoftAppPassword']);

/**
 * Reads MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType and MicrosoftAppTenantId (empty counts as unset).
 * Throws a ConfigError naming each wrong variable; the password's value is never shown.
 */
export function loadTeamsConfig(env: NodeJS.ProcessEnv = process.env): TeamsConfig {
  const keys = ['MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppType', 'MicrosoftAppTenantId'] as const;
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
  };
}
