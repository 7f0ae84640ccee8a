import type { Lang } from '../lang.ts';
import type { Reply } from '../reply.ts';
import type { Platform } from '../turn.ts';
import type { Postings } from './post.ts';

/** An invitation a channel has checked (its signature and expiry are the channel's): one endorser of one commission. */
export interface Invited {
  /** The invitation's own id: it admits one person. */
  invite: string;
  country: string;
  name: string;
  email?: string;
}

/** What came of an invitation: `added`, `already` (the same person again), or why it did nothing. */
export type InvitationOutcome = 'added' | 'already' | 'used' | 'expired' | 'invalid';

/**
 * A person who opened an invitation link: made an endorser of its commission (once per invitation: a second
 * person with the same link is refused and nothing changes), written to the audit log (unless the link was not
 * a genuine one), and told in their language what this chat now does for them, or why the link did nothing and
 * whom to ask for a new one.
 */
export async function admitInvited(
  post: Postings,
  who: { platform: Platform; user: string },
  invited: Invited | 'expired' | 'invalid',
  lang: Lang,
): Promise<{ outcome: InvitationOutcome; reply: Reply }> {
  const { routing, t, contact } = post.deps;
  const outcome: InvitationOutcome =
    typeof invited === 'string'
      ? invited
      : await routing.admit(
          invited.country,
          {
            channel: who.platform,
            user: who.user,
            name: invited.name,
            ...(invited.email ? { email: invited.email } : {}),
            invite: invited.invite,
          },
          // The commission's cards in the endorser's language, unless the commission has one.
          lang,
        );
  const known = typeof invited === 'string' ? undefined : invited;
  // A genuine link's every use is audited; a link that is not one (altered, cut short) names nobody: not audited,
  // so that nobody can fill the audit log with made-up links.
  if (known || outcome === 'expired')
    await post.audit({
      actor: { key: `${who.platform}:${who.user}`, ...(known ? { name: known.name } : {}) },
      channel: who.platform,
      action: 'add_endorser',
      outcome: outcome === 'added' ? 'done' : `invitation_${outcome}`,
      ...(known ? { country: known.country, detail: `invitation ${known.invite}` } : {}),
    });
  const vars = known
    ? {
        name: known.name,
        commission: post.text.commissionName(known.country, routing.commission(known.country), lang),
        email: contact.email,
      }
    : { email: contact.email };
  return { outcome, reply: { lang, text: t(lang, `endorse:invitation.${outcome}`, vars) } };
}
