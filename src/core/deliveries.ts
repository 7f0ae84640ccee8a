import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.ts';
import { NotifyError, type Outbox } from './notifier.ts';
import { OUTBOX_VERSION, type OutboxMessage } from './outbox-record.ts';
import type { Store } from './records.ts';
import type { Reply } from './reply.ts';

/** Attempts before a message is given up on (logged as failed): about two days with the back-off below. */
const MAX_ATTEMPTS = 12;
/** The wait before the n-th new attempt: 30 s, doubling, at most 6 h. */
const backoffMs = (attempts: number) => Math.min(30_000 * 2 ** (attempts - 1), 6 * 3_600_000);
/** How long after it was written a message is left to its own delivery before a pass takes it. */
const FIRST_TRY_MS = 30_000;

const codeOf = (err: unknown) => (err instanceof NotifyError ? err.code : 'error');

/**
 * Messages for people who are not speaking right now (an applicant told of a decision), delivered at least once.
 * With a store that keeps an outbox (PostgreSQL), a message is written in the transaction of the decision,
 * delivered once it commits, and otherwise by the next delivery pass: after a crash between the commit and
 * the delivery, or a platform that failed (retried with back-off). Without one (the embedded store, one
 * process), it is sent at once, as before.
 */
export class Deliveries {
  constructor(
    private readonly deps: {
      store: Store;
      outbox: Outbox;
      clock: Clock;
      warn?: (obj: Record<string, unknown>, msg: string) => void;
    },
  ) {}

  /** Sends `replies` to the address `to` at least once; never throws for a platform that cannot be reached. */
  async send(to: string, replies: Reply[], what: string): Promise<void> {
    const { store, outbox } = this.deps;
    if (!store.outbox) {
      await outbox.send(to, replies).catch((err) => this.failed(to, what, codeOf(err)));
      return;
    }
    const now = this.deps.clock.now();
    const message: OutboxMessage = {
      version: OUTBOX_VERSION,
      id: randomUUID(),
      to,
      replies,
      what,
      state: 'pending',
      attempts: 0,
      nextAt: new Date(now.getTime() + FIRST_TRY_MS).toISOString(),
      createdAt: now.toISOString(),
    };
    await store.outbox.add(message);
    store.afterCommit(() => this.deliver(message.id).then(() => undefined));
  }

  /** One delivery pass: every pending message that is due (the server runs it every few seconds). */
  async run(limit = 100): Promise<number> {
    const repo = this.deps.store.outbox;
    if (!repo) return 0;
    let delivered = 0;
    for (const id of await repo.due(this.deps.clock.now(), limit)) if (await this.deliver(id)) delivered++;
    return delivered;
  }

  /** Delivers one message if it is still pending and no other process has it; true when it was sent now. */
  private async deliver(id: string): Promise<boolean> {
    let sent = false;
    await this.deps.store.outbox!.deliver(id, async (m) => {
      const attempts = m.attempts + 1;
      try {
        await this.deps.outbox.send(m.to, m.replies);
        sent = true;
        return { ...m, attempts, state: 'sent', nextAt: this.deps.clock.now().toISOString() };
      } catch (err) {
        const error = codeOf(err);
        const last = attempts >= MAX_ATTEMPTS;
        this.failed(m.to, m.what, error, last ? undefined : attempts);
        const nextAt = new Date(this.deps.clock.now().getTime() + backoffMs(attempts)).toISOString();
        return { ...m, attempts, state: last ? 'failed' : 'pending', nextAt, error };
      }
    });
    return sent;
  }

  private failed(key: string, what: string, code: string, attempt?: number): void {
    const msg = attempt ? 'could not deliver a message; it will be tried again' : 'could not deliver a message';
    this.deps.warn?.({ key, what, code, ...(attempt ? { attempt } : {}) }, msg);
  }
}
