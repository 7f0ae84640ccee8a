import type { Posted } from './records.ts';
import type { Reply } from './reply.ts';
import type { Platform } from './turn.ts';

export type { Posted };

/**
 * Outbound messages to a room nobody is speaking in right now (a commission channel, the coordinators,
 * an applicant told of a decision). Each channel implements it over its own API (Slack: chat.postMessage
 * and chat.update; Teams: proactive messages through a stored conversation reference; local: the chat's
 * output), so the core never knows which platform a recipient uses.
 */
export interface Notifier {
  /** The platform this notifier writes to; addresses are platform-qualified keys such as `teams:user:<id>`. */
  readonly platform: Platform;
  /**
   * Sends `replies` to the address stored under `key` (`<platform>:room:<id>` or `<platform>:user:<id>`);
   * resolves to the messages posted, in order; rejects with NotifyError when it cannot be reached.
   */
  send(key: string, replies: Reply[]): Promise<Posted[]>;
  /** Replaces a message this notifier posted with `reply` (a decided card); NotifyError when it cannot. */
  update(posted: Posted, reply: Reply): Promise<void>;
}

/** Why a proactive message could not be delivered, as a stable code (`unknown_address`, `not_reachable`). */
export class NotifyError extends Error {
  override name = 'NotifyError';
  constructor(
    readonly code: 'unknown_address' | 'not_reachable',
    message: string,
  ) {
    super(message);
  }
}

/** A room or a person on one platform, as written in the routing configuration. */
export interface Endpoint {
  channel: Platform;
  kind: 'room' | 'user';
  id: string;
}

/** The address key of an endpoint: `slack:room:C0COORD`, `teams:user:29:1xyz`, `local:room:commission-DE`. */
export function addressKey(e: Endpoint): string {
  return `${e.channel}:${e.kind}:${e.id}`;
}

/** The notifiers of the enabled platforms behind one door: picks the one an address key belongs to. */
export class Outbox {
  private readonly byPlatform = new Map<string, Notifier>();

  constructor(notifiers: Notifier[] = []) {
    for (const n of notifiers) this.add(n);
  }

  /** Adds (or replaces) the notifier of a platform, e.g. once the Slack channel is up. */
  add(notifier: Notifier): void {
    this.byPlatform.set(notifier.platform, notifier);
  }

  async send(key: string, replies: Reply[]): Promise<Posted[]> {
    return this.notifier(key).send(key, replies);
  }

  async update(posted: Posted, reply: Reply): Promise<void> {
    return this.notifier(posted.key).update(posted, reply);
  }

  private notifier(key: string): Notifier {
    const platform = key.slice(0, key.indexOf(':'));
    const n = this.byPlatform.get(platform);
    if (!n) throw new NotifyError('not_reachable', `${platform || key} is not enabled on this server`);
    return n;
  }
}
