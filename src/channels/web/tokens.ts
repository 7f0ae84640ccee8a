/**
 * The web chat's signed tokens: who a visitor is and which Direct Line conversation they may read and write, and
 * the invitations that make a visitor an endorser of a commission. A token is `<payload>.<signature>`, both
 * base64url, signed with HMAC-SHA256 under a key of its own purpose (a visitor's token is never an invitation);
 * nothing in it is secret, nothing in it can be changed without the key, and each expires.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from '../../config.ts';

/** Seals and opens payloads of one purpose under a key derived from the secret. */
export class Signer {
  private readonly key: Buffer;

  constructor(secret: Buffer, purpose: string) {
    this.key = createHmac('sha256', secret).update(`gnlc-web:${purpose}`).digest();
  }

  seal(payload: object): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The payload of a genuine token that reads as `schema`; undefined for anything else. */
  open<T>(token: string, schema: z.ZodType<T>): T | undefined {
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined || token.length > 2048) return undefined;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const parsed = schema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

/** What a token grants: a visitor (their user id), and the conversation once one is started. */
export interface Grant {
  user: string;
  conversation?: string;
}

const Payload = z.object({ u: z.string().min(1).max(64), c: z.string().max(64).optional(), exp: z.number().int() });

/** A visitor's secret as the page keeps it: 32 to 128 base64url characters. */
const SECRET = /^[A-Za-z0-9_-]{32,128}$/;

/**
 * The key of the web chat's signatures: GNLC_WEB_SECRET (at least 32 characters), else a random one for this
 * process.
 */
export function webSecret(env: NodeJS.ProcessEnv): Buffer {
  const secret = env.GNLC_WEB_SECRET || undefined;
  if (secret !== undefined && secret.length < 32)
    throw new ConfigError('GNLC_WEB_SECRET: must be at least 32 characters (e.g. openssl rand -base64 32)');
  return secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
}

export class WebTokens {
  private readonly signer: Signer;

  /**
   * `key`: from GNLC_WEB_SECRET (tokens then survive a restart and are shared by instances), else random per
   * process. `ttlSeconds`: how long a token lasts (Web Chat refreshes it before it ends).
   */
  constructor(
    key: Buffer,
    private readonly now: () => Date,
    readonly ttlSeconds = 30 * 60,
  ) {
    this.signer = new Signer(key, 'visitor');
  }

  /** A signed token for `grant`, valid for ttlSeconds from now. */
  sign(grant: Grant): string {
    const exp = Math.floor(this.now().getTime() / 1000) + this.ttlSeconds;
    return this.signer.seal({ u: grant.user, ...(grant.conversation ? { c: grant.conversation } : {}), exp });
  }

  /** The grant of a genuine token that has not expired; undefined for anything else. */
  verify(token: string): Grant | undefined {
    const parsed = this.signer.open(token, Payload);
    if (!parsed || parsed.exp * 1000 <= this.now().getTime()) return undefined;
    return { user: parsed.u, ...(parsed.c ? { conversation: parsed.c } : {}) };
  }
}

/**
 * The visitor a browser's secret stands for: a new secret when none (or a malformed one) is given, and the user
 * id derived from it (its SHA-256, so the id in activities and stored keys never reveals the secret).
 */
export function visitorOf(secret: unknown): { secret: string; user: string } {
  const kept = typeof secret === 'string' && SECRET.test(secret) ? secret : randomBytes(32).toString('base64url');
  return { secret: kept, user: createHash('sha256').update(kept).digest('hex').slice(0, 32) };
}

/** A new conversation id: random, unguessable. */
export function newConversationId(): string {
  return randomBytes(18).toString('base64url');
}
