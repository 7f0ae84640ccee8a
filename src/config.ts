import { z } from 'zod';
import { parseInstant } from './core/clock.ts';
import { isCronPattern } from './scheduler.ts';
import type { StoreSettings } from './store/open.ts';

/** Settings read from the environment; every one has a working default. */
export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  /** Simulated start time (ISO date or instant) so a closed call can be tried: GNLC_NOW=2025-06-01. */
  GNLC_NOW: z
    .string()
    .refine(
      (s) => parseInstant(s) !== undefined,
      'must be an ISO date or instant, e.g. 2025-06-01 or 2025-06-01T09:00:00Z',
    )
    .optional(),
  GNLC_DATA_DIR: z.string().min(1).default('./.data'),
  /** A PostgreSQL database (postgres://user@host:5432/db) instead of the embedded store in GNLC_DATA_DIR. */
  GNLC_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL, e.g. postgres://gnlc@127.0.0.1:5432/gnlc')
    .optional(),
  /** Connections each process opens to the database at most (a turn holds one while it runs). */
  GNLC_DATABASE_POOL: z.coerce.number().int().min(1).max(200).default(10),
  /** The longest a database statement may run before it is cancelled, in milliseconds. */
  GNLC_DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** TLS to the database: off, require (encrypted), verify (encrypted, certificate checked); or sslmode in the URL. */
  GNLC_DATABASE_SSL: z.enum(['off', 'require', 'verify']).default('off'),
  /** Routing of applications (commissions, endorsers, coordinators), JSON; default: the local demo. */
  GNLC_CONFIG: z.string().min(1).optional(),
  /** Folder of the content files (faq/, calls.json, …); default: the project's data/. */
  GNLC_CONTENT_DIR: z.string().min(1).optional(),
  /** When the server evaluates the deadline alerts (cron pattern, UTC), or "off"; default hourly. */
  GNLC_ALERTS: z
    .string()
    .refine((s) => s === 'off' || isCronPattern(s), 'must be a cron pattern such as "0 * * * *" (hourly) or "off"')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
});

export type Env = z.infer<typeof EnvSchema>;

/** A setting that is present but wrong; the message names the variable and what to do. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates the environment; empty variables count as unset. */
export function loadEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(present);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (i) => `${i.path.join('.')}=${JSON.stringify(present[String(i.path[0])])}: ${i.message}`,
  );
  throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
}

/** Where the records are kept, from the environment: GNLC_DATABASE_URL when set, else the embedded store. */
export function storeSettings(env: Env, dataDir: string): StoreSettings {
  if (!env.GNLC_DATABASE_URL) return { kind: 'lowdb', dir: dataDir };
  return {
    kind: 'postgres',
    url: env.GNLC_DATABASE_URL,
    pool: env.GNLC_DATABASE_POOL,
    statementTimeoutMs: env.GNLC_DATABASE_STATEMENT_TIMEOUT_MS,
    ssl: env.GNLC_DATABASE_SSL,
  };
}
