/**
 * The web chat's tokens: who a visitor is and which Direct Line conversation they may read and write, signed
 * with HMAC-SHA256 and expiring. A token is `<payload>.<signature>`, both base64url; nothing in it is secret,
 * nothing in it can be changed without the key.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** What a token grants: a visitor (their user id), and the conversation once one is started. */
export interface Grant {
  user: string;
  conversation?: string;
}

const Payload = z.object({ u: z.string().min(1).max(64), c: z.string().max(64).optional(), exp: z.number().int() });

/** A visitor's secret as the page keeps it: 32 to 128 base64url characters. */
const SECRET = /^[A-Za-z0-9_-]{32,128}$/;

export class WebTokens {
  private readonly key: Buffer;

  /**
   * `secret`: GNLC_WEB_SECRET (tokens then survive a restart and are shared by instances); without it, a random
   * key per process. `ttlSeconds`: how long a token lasts (Web Chat refreshes it before it ends).
   */
  constructor(
    secret: string | undefined,
    private readonly now: () => Date,
    readonly ttlSeconds = 30 * 60,
  ) {
    this.key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  }

  /** A signed token for `grant`, valid for ttlSeconds from now. */
  sign(grant: Grant): string {
    const exp = Math.floor(this.now().getTime() / 1000) + this.ttlSeconds;
    const payload = Buffer.from(
      JSON.stringify({ u: grant.user, ...(grant.conversation ? { c: grant.conversation } : {}), exp }),
    ).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The grant of a genuine token that has not expired; undefined for anything else. */
  verify(token: string): Grant | undefined {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined || token.length > 1024) return undefined;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let parsed: z.infer<typeof Payload>;
    try {
      parsed = Payload.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    } catch {
      return undefined;
    }
    if (parsed.exp * 1000 <= this.now().getTime()) return undefined;
    return { user: parsed.u, ...(parsed.c ? { conversation: parsed.c } : {}) };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
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
