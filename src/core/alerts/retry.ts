import type { AlertRecord } from '../records.ts';

/** A `sending` record older than this is from a process that stopped mid-send: the alert is tried again. */
export const STALE_SENDING_MS = 15 * 60_000;
/** Waiting time after the n-th failure: 15 min, 30 min, 1 h … at most 6 h. */
export function retryDelay(attempts: number): number {
  return Math.min(15 * 60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3600_000);
}

/** True when a record's alert may be attempted (again) at `now`. */
export function retryable(r: AlertRecord, now: Date): boolean {
  if (r.state === 'sent') return false;
  if (r.state === 'failed') return !r.retryAt || Date.parse(r.retryAt) <= now.getTime();
  return now.getTime() - Date.parse(r.updatedAt) >= STALE_SENDING_MS;
}
