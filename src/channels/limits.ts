/**
 * Abuse limits of the two endpoints (rate-limiter-flexible's in-memory counters, one process):
 * - per network address: requests in a window (a machine over it gets 429 with Retry-After);
 * - per person: turns in a window (the person is told once, in their language, to slow down; what they send
 *   while over it is acknowledged and not handled, so nothing of theirs is half done);
 * - per network address: new people (no conversation yet) in a minute (429): one address cannot fill the
 *   store with made-up users.
 * Settings: GNLC_LIMIT_ADDRESS, GNLC_LIMIT_PERSON, GNLC_LIMIT_NEW_PEOPLE, each "<count>/<seconds>s" or "off".
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { ConfigError } from '../config.ts';

/** A limit: at most `count` in `seconds`. */
export interface Rate {
  count: number;
  seconds: number;
}

export interface LimitSettings {
  address?: Rate;
  person?: Rate;
  newPeople?: Rate;
}

/**
 * The defaults: far above what people do (a person answers a question every few seconds; Slack's and
 * Microsoft's servers carry many people from few addresses), far below what a script does.
 */
export const DEFAULT_LIMITS: Required<LimitSettings> = {
  address: { count: 3000, seconds: 10 },
  person: { count: 20, seconds: 10 },
  newPeople: { count: 60, seconds: 60 },
};

const RateSetting = z
  .string()
  .regex(/^(off|\d+\/\d+s)$/, 'must be "<count>/<seconds>s" (such as "20/10s") or "off"')
  .transform((s): Rate | undefined => {
    if (s === 'off') return undefined;
    const [count, seconds] = s.slice(0, -1).split('/').map(Number) as [number, number];
    return { count, seconds };
  })
  .refine((r) => r === undefined || (r.count > 0 && r.seconds > 0), 'count and seconds must be at least 1');

const VARS = {
  address: 'GNLC_LIMIT_ADDRESS',
  person: 'GNLC_LIMIT_PERSON',
  newPeople: 'GNLC_LIMIT_NEW_PEOPLE',
} as const;

/** The limits of the environment (the defaults for those unset); throws a ConfigError naming a wrong one. */
export function loadLimits(env: NodeJS.ProcessEnv = process.env): LimitSettings {
  const out: LimitSettings = {};
  for (const [name, variable] of Object.entries(VARS) as [keyof LimitSettings, string][]) {
    const raw = env[variable]?.trim();
    if (!raw) {
      out[name] = DEFAULT_LIMITS[name];
      continue;
    }
    const parsed = RateSetting.safeParse(raw);
    if (!parsed.success)
      throw new ConfigError(`Invalid limit:\n  ${variable}=${JSON.stringify(raw)}: ${parsed.error.issues[0]!.message}`);
    if (parsed.data) out[name] = parsed.data;
  }
  return out;
}

/** What a person's turn may do: go on, be told to slow down (the first turn over the limit), or be dropped. */
export type PersonVerdict = 'ok' | 'tell' | 'drop';

const limiter = (r: Rate | undefined) => r && new RateLimiterMemory({ points: r.count, duration: r.seconds });

/** The counters of one process, shared by the Slack and Teams endpoints. */
export class Limits {
  private readonly address?: RateLimiterMemory;
  private readonly person?: RateLimiterMemory;
  private readonly newPeople?: RateLimiterMemory;
  /** People seen recently (not new): most turns are theirs, and need no look-up. */
  private readonly known = new LRUCache<string, true>({ max: 50_000 });

  constructor(settings: LimitSettings = DEFAULT_LIMITS) {
    this.address = limiter(settings.address);
    this.person = limiter(settings.person);
    this.newPeople = limiter(settings.newPeople);
  }

  /** Undefined when a request from `address` may go on, else the seconds to wait (answer 429). */
  async fromAddress(address: string): Promise<number | undefined> {
    return wait(this.address, address);
  }

  /** Whether a turn of `person` goes on; `tell` once when they go over the limit, then `drop` until it refills. */
  async ofPerson(person: string): Promise<PersonVerdict> {
    if (!this.person) return 'ok';
    try {
      await this.person.consume(person);
      return 'ok';
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      return res.consumedPoints === this.person.points + 1 ? 'tell' : 'drop';
    }
  }

  /**
   * Undefined when `person` may start talking from `address` (known already, or new within the address's
   * allowance), else the seconds to wait. `exists` says whether the store knows them (asked only when not
   * seen recently).
   */
  async newPerson(address: string, person: string, exists: () => Promise<boolean>): Promise<number | undefined> {
    if (!this.newPeople || this.known.has(person)) return undefined;
    // A store that cannot say (a damaged record) counts as knowing them: the turn then tells them what failed.
    if (!(await exists().catch(() => true))) {
      const seconds = await wait(this.newPeople, address);
      if (seconds !== undefined) return seconds;
    }
    this.known.set(person, true);
    return undefined;
  }
}

async function wait(l: RateLimiterMemory | undefined, key: string): Promise<number | undefined> {
  if (!l) return undefined;
  try {
    await l.consume(key);
    return undefined;
  } catch (res) {
    if (!(res instanceof RateLimiterRes)) throw res;
    return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  }
}
