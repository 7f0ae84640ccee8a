import type { Reply } from './reply.ts';

/**
 * Outbound messages to a room nobody is speaking in right now (a commission channel, the coordinators,
 * an applicant told of a decision). Each channel implements it over its own API (Slack: chat.postMessage;
 * Teams: a proactive message through a stored conversation reference), so the core never knows which
 * platform a recipient uses.
 */
export interface Notifier {
  /** The platform this notifier writes to; addresses are platform-qualified keys such as `teams:user:<id>`. */
  readonly platform: 'slack' | 'teams' | 'local';
  /** Sends `replies` to the address stored under `key`; rejects with NotifyError when it cannot be reached. */
  send(key: string, replies: Reply[]): Promise<void>;
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
