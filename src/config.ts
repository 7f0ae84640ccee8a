import { z } from 'zod';
import { parseInstant } from './core/clock.ts';
import { isCronPattern } from './scheduler.ts';

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
