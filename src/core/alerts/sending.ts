import { ALERT_VERSION, type AlertRecord } from '../records.ts';
import type { Lang } from '../lang.ts';
import { addressKey, NotifyError } from '../notifier.ts';
import type { Reply } from '../reply.ts';
import type { Candidate } from './candidate.ts';
import type { AlertDeps } from './deps.ts';
import { retryable, retryDelay } from './retry.ts';

/** An alert due now, written out. */
export interface DueAlert {
  candidate: Candidate;
  replies: Reply[];
  /** Its record when an earlier attempt failed (or was cut off). */
  record?: AlertRecord;
}

/** One alert of a run, as `gnlc alerts --json` prints it. */
export interface AlertLine {
  key: string;
  rule: string;
  call: string;
  to: { channel: string; kind: string; id: string };
  lang: Lang;
  text: string;
  /** After a real run: what happened. */
  outcome?: 'sent' | 'failed' | 'deferred';
  error?: string;
}

/**
 * Sends due alerts, each exactly once: an alert's record is claimed in the store before it is sent (a claim
 * no second process can also make) and settled after, as sent or as failed with the time of its retry.
 */
export class AlertSender {
  /** Keys known to be sent: final, so they need no second read of their record (cleared when large). */
  private readonly sent = new Set<string>();

  constructor(private readonly deps: Pick<AlertDeps, 'store' | 'outbox' | 'desk' | 'warn'>) {}

  /** The record of an alert, unless it is known to be sent. */
  async record(key: string): Promise<AlertRecord | 'sent' | undefined> {
    if (this.sent.has(key)) return 'sent';
    const r = await this.deps.store.alerts.get(key);
    if (r?.state !== 'sent') return r;
    if (this.sent.size > 100_000) this.sent.clear();
    this.sent.add(key);
    return 'sent';
  }

  /**
   * Sends the alerts due at `now`; resolves to one line per alert. Alerts to one recipient go out together,
   * plain ones merged into a single message. A platform that fails with anything but "cannot reach this
   * address" (rate limited after the client's own retries, down) is left alone for the rest of the run: its
   * alerts stay unclaimed for the next tick.
   */
  async send(due: DueAlert[], now: Date): Promise<AlertLine[]> {
    const byRecipient = new Map<string, DueAlert[]>();
    for (const d of due) {
      const key = addressKey(d.candidate.to);
      byRecipient.set(key, [...(byRecipient.get(key) ?? []), d]);
    }
    const lines: AlertLine[] = [];
    const resting = new Set<string>();
    for (const [address, group] of byRecipient) {
      if (resting.has(group[0]!.candidate.to.channel)) {
        lines.push(...group.map((d) => alertLine(d, 'deferred')));
        continue;
      }
      const claimed: DueAlert[] = [];
      for (const d of group) if (await this.claim(d, now)) claimed.push(d);
      // Plain alerts to one recipient become one message; alerts carrying application cards keep their own.
      const plain = claimed.filter((d) => d.replies.length === 1 && !d.replies[0]!.tracked);
      const batches = [...(plain.length ? [plain] : []), ...claimed.filter((d) => !plain.includes(d)).map((d) => [d])];
      for (const batch of batches) {
        const replies = batch.length === 1 ? batch[0]!.replies : [merge(batch.map((d) => d.replies[0]!))];
        try {
          const posted = await this.deps.outbox.send(address, replies);
          await this.trackCards(batch, replies, posted);
          for (const d of batch)
            if (d.candidate.payload.kind === 'forward') await this.deps.desk.forwardedLate(d.candidate.payload.app);
          for (const d of batch) await this.settle(d, now, 'sent');
          lines.push(...batch.map((d) => alertLine(d, 'sent')));
        } catch (err) {
          const code = err instanceof NotifyError ? err.code : 'error';
          if (!(err instanceof NotifyError)) resting.add(group[0]!.candidate.to.channel);
          this.deps.warn?.(
            { key: address, rules: batch.map((d) => d.candidate.rule), code },
            'could not deliver an alert; it will be retried',
          );
          for (const d of batch) await this.settle(d, now, 'failed', code);
          lines.push(...batch.map((d) => alertLine(d, 'failed', code)));
        }
      }
    }
    return lines;
  }

  /** Marks an alert as being sent; false when someone else has it (another process, or it was sent meanwhile). */
  private async claim(d: DueAlert, now: Date): Promise<boolean> {
    const c = d.candidate;
    const at = now.toISOString();
    if (!d.record) {
      return this.deps.store.alerts.claim({
        version: ALERT_VERSION,
        key: c.key,
        rule: c.rule,
        call: c.call.id,
        to: addressKey(c.to),
        state: 'sending',
        attempts: 1,
        claimedAt: at,
        updatedAt: at,
      });
    }
    const current = await this.deps.store.alerts.get(c.key);
    if (!current || !retryable(current, now)) return false;
    const attempts = current.attempts + 1;
    d.record = { ...current, state: 'sending', attempts, updatedAt: at, retryAt: undefined, error: undefined };
    // Each further attempt is claimed under its own key too, so two processes never both retry one alert.
    if (!(await this.deps.store.alerts.claim({ ...d.record, key: `${c.key}#${attempts}` }))) return false;
    await this.deps.store.alerts.put(d.record);
    return true;
  }

  private async settle(d: DueAlert, now: Date, state: 'sent' | 'failed', error?: string): Promise<void> {
    const current = (await this.deps.store.alerts.get(d.candidate.key)) ?? d.record;
    if (!current) return;
    const at = now.toISOString();
    const next: AlertRecord = { ...current, state, updatedAt: at, retryAt: undefined, error: undefined };
    if (state === 'sent') this.sent.add(current.key);
    if (state === 'failed')
      Object.assign(next, { retryAt: new Date(now.getTime() + retryDelay(current.attempts)).toISOString(), error });
    await this.deps.store.alerts.put(next);
  }

  /** Cards posted by an alert are kept up to date like the first ones (their buttons stay usable). */
  private async trackCards(batch: DueAlert[], replies: Reply[], posted: { key: string; id: string }[]): Promise<void> {
    const p = batch[0]!.candidate.payload;
    const apps = p.kind === 'card' ? [p.app] : p.kind === 'room_deadline' ? p.apps : [];
    if (!apps.length) return;
    if (posted.length !== replies.length) {
      this.deps.warn?.(
        { key: batch[0]!.candidate.key, replies: replies.length, posted: posted.length },
        'alert cards posted as a different number of messages; not tracked',
      );
      return;
    }
    const offset = replies.length - apps.length;
    for (const [i, app] of apps.entries()) await this.deps.desk.addPosts(app, [posted[offset + i]!]);
  }
}

/** Several plain alerts to one recipient as one message (their buttons once each). */
function merge(replies: Reply[]): Reply {
  if (replies.length === 1) return replies[0]!;
  const actions = replies
    .flatMap((r) => r.actions ?? [])
    .filter((a, i, all) => all.findIndex((b) => b.id === a.id && b.value === a.value) === i);
  return {
    lang: replies[0]!.lang,
    text: replies.map((r) => r.text).join('\n\n'),
    ...(actions.length ? { actions } : {}),
  };
}

/** The printed form of an alert. */
export function alertLine(d: DueAlert, outcome?: AlertLine['outcome'], error?: string): AlertLine {
  const c = d.candidate;
  return {
    key: c.key,
    rule: c.rule,
    call: c.call.id,
    to: { channel: c.to.channel, kind: c.to.kind, id: c.to.id },
    lang: c.lang,
    text: d.replies.map((r) => r.text).join('\n\n'),
    ...(outcome ? { outcome } : {}),
    ...(error ? { error } : {}),
  };
}
