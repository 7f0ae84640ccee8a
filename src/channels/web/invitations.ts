/**
 * Invitation links for National Commissions on the web: a coordinator issues one (`gnlc invite`) naming one
 * endorser of one commission; it is signed with GNLC_WEB_SECRET, expires, and admits the first browser that opens
 * it (the core refuses a second). The token travels in the link's fragment (`/chat#invite=…`), which browsers
 * never send in a request line, so it is not in any server's access log.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Assistant } from '../../core/assistant.ts';
import { Signer } from './tokens.ts';

/** How long a link lasts unless the coordinator says otherwise, and at most. */
export const INVITATION_DAYS = { default: 14, max: 60 } as const;

/** Whom an invitation names: checked as `gnlc invite` makes it, and again as it is opened. */
export const Invitee = z.object({
  country: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as KE'),
  name: z.string().trim().min(1, "must give the endorser's name").max(200, 'must be at most 200 characters'),
  email: z.email('is not an e-mail address').optional(),
});

const Payload = z.object({
  v: z.literal(1),
  i: z.string().regex(/^[A-Za-z0-9_-]{16,32}$/),
  c: Invitee.shape.country,
  n: Invitee.shape.name,
  e: Invitee.shape.email,
  exp: z.number().int(),
});

/** What a genuine, current invitation says: what the core admits (EndorsementDesk.admitInvited). */
type Invited = Exclude<Parameters<Assistant['desk']['admitInvited']>[1], string>;

export class Invitations {
  private readonly signer: Signer;

  constructor(
    key: Buffer,
    private readonly now: () => Date,
  ) {
    this.signer = new Signer(key, 'invitation');
  }

  /** A new invitation's token for one endorser of a country's commission, valid `days` days. */
  issue(invitee: z.input<typeof Invitee>, days: number): { token: string; expires: Date } {
    const who = Invitee.parse(invitee);
    const expires = new Date(this.now().getTime() + days * 86_400_000);
    const payload = {
      v: 1,
      i: randomBytes(12).toString('base64url'),
      c: who.country,
      n: who.name,
      ...(who.email ? { e: who.email } : {}),
      exp: Math.floor(expires.getTime() / 1000),
    };
    return { token: this.signer.seal(payload), expires };
  }

  /** What a token says when it is genuine and current; `expired`, or `invalid` for anything else. */
  open(token: string): Invited | 'expired' | 'invalid' {
    const p = this.signer.open(token, Payload);
    if (!p) return 'invalid';
    if (p.exp * 1000 <= this.now().getTime()) return 'expired';
    return { invite: p.i, country: p.c, name: p.n, ...(p.e ? { email: p.e } : {}) };
  }
}

/** The link to send: the chat page with the invitation in its fragment. */
export function invitationLink(base: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/chat#invite=${token}`;
}
