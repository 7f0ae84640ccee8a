import { processLocks } from './process-locks.ts';
import type { Logger } from '../log.ts';
import { KeyedQueue } from '../lib/keyed-queue.ts';
import { RecordFiles, recordCodec } from './files.ts';
import { KeyedRecords } from './keyed.ts';
import { SeenFiles } from './seen.ts';
import { createConversationRepo } from './conversations.ts';
import { createApplicationRepo } from './applications.ts';
import { createAuditLog } from './audit-log.ts';
import { createAlertClaims } from './alert-claims.ts';
import { createHealthProbe } from './health.ts';
import { ADDRESS } from './records.ts';
import type { Store } from '../core/records.ts';

/**
 * The embedded store under `dir` (GNLC_DATA_DIR). lowdb rewrites a whole file on every write, so no file
 * grows with the data: each conversation and each address is its own file (`conversations/<2 hex>/<key>.json`),
 * applications are sharded by call and country (`applications/<cycle>/<CC>.json`, a few dozen at most), so a
 * turn reads and writes one small file whatever the size of the store. Every read and write of a file goes
 * through that file's queue; every record is validated by the schema that reads it before it is written; no
 * read ever changes a file (a damaged record fails the operation that needs it, see `StoreReadError`).
 * The audit log (audit-log.ts) and the alerts (alert-claims.ts) are not lowdb files: JSON lines appended,
 * and records claimed with link().
 */
export function createLowdbStore(dir: string, log?: Logger): Store {
  // Nothing is created until something is written (a reader such as `gnlc export` leaves no trace); the
  // folders a write creates are the owner's only: this is applicants' data.
  const queue = new KeyedQueue();
  const seen = new SeenFiles(dir);
  return {
    conversations: createConversationRepo(dir, queue, log),
    applications: createApplicationRepo(dir, queue, log),
    // Keyed records and nothing more (keyed.ts): one file each, `addresses/<2 hex>/<key>.json`.
    addresses: new KeyedRecords(new RecordFiles(dir, recordCodec(ADDRESS), queue, 500, log), 'addresses'),
    audit: createAuditLog(dir, queue),
    alerts: createAlertClaims(dir, queue),
    seen,
    ...processLocks(),
    health: createHealthProbe(dir),
    close: async () => {
      await queue.idle();
      await seen.close();
    },
  };
}

export { verifyStore, repairFile, type RepairOutcome } from './verify.ts';
