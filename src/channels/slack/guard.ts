/**
 * What the Slack channel checks before a request reaches its listeners: a request handled before (Slack's
 * retry of an event, or a replay of a signed request) and the abuse limits of the person it comes from.
 */
import type { SeenRepo } from '../../core/records.ts';
import type { Logger } from '../../log.ts';
import type { Limits, PersonVerdict } from '../limits.ts';

/** Slack retries an event three times, the last about five minutes after the first; ids are kept for longer. */
const SLACK_RETRY_WINDOW_MS = 15 * 60_000;

/** What the receiver adds to each request's context (see `slackHttpReceiver`). */
export interface GuardContext {
  slackSignature?: string;
  remoteAddress?: string;
}

/** `ok`, or why a request is acknowledged and not handled (`tell`: the person is to be told to slow down). */
export type GuardVerdict = 'ok' | 'seen' | 'drop' | 'tell' | 'new_people';

export class SlackGuard {
  constructor(
    private readonly deps: {
      seen: SeenRepo;
      limits?: Limits;
      /** Whether the store knows a person (a conversation under their key): new people count against a limit. */
      knows?: (userKey: string) => Promise<boolean>;
      log: Logger;
    },
  ) {}

  private get log(): Logger {
    return this.deps.log;
  }

  async check(body: Record<string, unknown>, context: GuardContext): Promise<GuardVerdict> {
    // Slack redelivers an event when it saw no 200 in 3 s (X-Slack-Retry-Num): the event id stays the same,
    // the signature is new. Any other request seen before with the same signature (which covers its timestamp
    // and body) is a replay. Both are acknowledged and dropped, whichever process handled the first one.
    const eventId = (body as { event_id?: string }).event_id;
    const signature = context.slackSignature;
    const key = eventId ? `slack:event:${eventId}` : signature ? `slack:signature:${signature}` : undefined;
    if (key && !(await this.deps.seen.claim(key, SLACK_RETRY_WINDOW_MS))) {
      this.log.info(
        { code: eventId ? 'event_delivered_again' : 'replayed_request' },
        'slack: request seen before, dropped',
      );
      return 'seen';
    }
    return this.limited(body, context);
  }

  /**
   * The limits on what a person sends (DMs, mentions, presses, the command): `ok`, `tell` (the first turn over
   * their limit), `drop` (the next ones), `new_people` (one address brought more new people than it may).
   */
  private async limited(
    body: Record<string, unknown>,
    context: { remoteAddress?: string },
  ): Promise<PersonVerdict | 'new_people'> {
    const limits = this.deps.limits;
    const user = personOf(body);
    if (!limits || !user) return 'ok';
    const key = `slack:${user}`;
    const knows = this.deps.knows;
    if (knows && (await limits.newPerson(context.remoteAddress ?? '', key, () => knows(key)))) {
      this.log.warn({ code: 'too_many_new_people', from: context.remoteAddress }, 'slack: turn dropped');
      return 'new_people';
    }
    const verdict = await limits.ofPerson(key);
    if (verdict === 'tell')
      this.log.warn({ code: 'person_rate_limited' }, 'slack: a person went over the rate limit; told to slow down');
    else if (verdict === 'drop') this.log.info({ code: 'person_rate_limited' }, 'slack: turn dropped');
    return verdict;
  }
}

/** The user a request comes from (the author of a message or mention, who pressed, who ran the command). */
export function personOf(body: Record<string, unknown>): string | undefined {
  const event = body.event as { type?: string; user?: unknown; bot_id?: unknown } | undefined;
  if (event)
    return (event.type === 'message' || event.type === 'app_mention') && !event.bot_id && typeof event.user === 'string'
      ? event.user
      : undefined;
  const user = (body.user as { id?: unknown } | undefined)?.id ?? body.user_id;
  return typeof user === 'string' ? user : undefined;
}
