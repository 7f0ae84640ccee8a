import { z } from 'zod';
import { ReplyValue, type Reply } from './reply.ts';

/**
 * A message decided in a turn for someone who is not speaking (an applicant told of a decision), kept until it
 * is delivered: written in the same transaction as the decision, delivered once that transaction commits, and
 * again by the next delivery pass when the process stopped first or the platform failed (at least once).
 */
export const OUTBOX_VERSION = 1;

export const OutboxMessageSchema = z.object({
  version: z.literal(OUTBOX_VERSION),
  id: z.string().uuid(),
  /** The recipient's address key (`slack:user:U123`). */
  to: z.string().min(1),
  replies: z.array(ReplyValue).min(1),
  /** What it is, for the logs (`applicant`). */
  what: z.string(),
  state: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number().int().min(0),
  /** Not before this instant (the next attempt after a failure). */
  nextAt: z.string(),
  createdAt: z.string(),
  /** After a failure: the stable code (`not_reachable`, `unknown_address`, `error`). */
  error: z.string().optional(),
});
export type OutboxMessage = Omit<z.infer<typeof OutboxMessageSchema>, 'replies'> & { replies: Reply[] };

/** The messages waiting to be delivered (a store that several processes share keeps them). */
export interface OutboxRepo {
  /** Records a message (in the transaction under way: it exists only if the turn's writes commit). */
  add(message: OutboxMessage): Promise<void>;
  /**
   * Runs `deliver` on the message `id` while no other process can (a row lock), if it is still pending; writes
   * the record it returns. False when it was not pending or another process has it.
   */
  deliver(id: string, deliver: (message: OutboxMessage) => Promise<OutboxMessage>): Promise<boolean>;
  /** Ids of pending messages due at `now`, oldest first. */
  due(now: Date, limit: number): Promise<string[]>;
}
