import { parseArgs } from 'node:util';
import { ConfigError, loadEnv } from '../config.ts';
import { isCountryCode } from '../core/application/parse.ts';
import { offsetClock, parseInstant, systemClock } from '../core/clock.ts';
import { INVITATION_DAYS, Invitations, Invitee, invitationLink } from '../channels/web/invitations.ts';
import { webSecret } from '../channels/web/tokens.ts';
import { type CliIo, UsageError } from './args.ts';

/**
 * `gnlc invite`: an invitation link that makes whoever opens it first in a browser an endorser of one country's
 * National Commission in the web chat. Signed with GNLC_WEB_SECRET, which the server must share.
 */
export async function runInvite(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      country: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      days: { type: 'string', default: String(INVITATION_DAYS.default) },
      url: { type: 'string' },
    },
  });
  const country = values.country?.toUpperCase() ?? '';
  if (!isCountryCode(country))
    throw new UsageError(
      `invite: --country must be a two-letter country code such as KE, not "${values.country ?? ''}"`,
    );
  const who = Invitee.safeParse({ country, name: values.name ?? '', email: values.email });
  if (!who.success) {
    const issue = who.error.issues[0]!;
    const example = issue.path[0] === 'name' ? ', e.g. --name "Amina Diallo"' : '';
    throw new UsageError(`invite: --${issue.path.join('.')} ${issue.message}${example}`);
  }
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > INVITATION_DAYS.max)
    throw new UsageError(
      `invite: --days must be a whole number from 1 to ${INVITATION_DAYS.max}, not "${values.days}"`,
    );
  if (!process.env.GNLC_WEB_SECRET)
    throw new ConfigError(
      'invite: set GNLC_WEB_SECRET to the value the server has (without it the server signs with a random key, ' +
        'and no link made here could be checked there)',
    );
  const env = loadEnv();
  const base = values.url ?? `http://localhost:${env.PORT}`;
  if (!/^https?:\/\/[^\s/]+/.test(base))
    throw new UsageError(`invite: --url must be the server's address, e.g. https://chat.example.org, not "${base}"`);
  // The server's clock: simulated from GNLC_NOW when it is set, so the link lasts `days` days of it.
  const clock = env.GNLC_NOW ? offsetClock(parseInstant(env.GNLC_NOW)!) : systemClock;
  const invitations = new Invitations(webSecret(process.env), () => clock.now());
  const issued = invitations.issue(who.data, days);
  io.stdout.write(
    `${invitationLink(base, issued.token)}\n\n` +
      `Send this link to ${who.data.name} only. The first browser that opens it acts for the National Commission of ` +
      `${country} in the web chat; the link then works for no one else. ` +
      `It expires on ${issued.expires.toISOString()}.\n`,
  );
  return 0;
}
