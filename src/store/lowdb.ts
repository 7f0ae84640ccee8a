import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log.ts';
import { KeyedQueue } from '../lib/keyed-queue.ts';
import { StoreReadError, type RecordProblem } from '../core/store-errors.ts';
import {
  RecordFiles, SHARD_VERSION, fileName, readRecordFile, recordCodec, shardCodec, type ApplicationShard,
} from './files.ts';
import { KeyedRecords } from './keyed.ts';
import { SeenFiles } from './seen.ts';
import { createAuditLog } from './audit-log.ts';
import { createAlertClaims } from './alert-claims.ts';
import { createHealthProbe } from './health.ts';
import { ADDRESS, CONVERSATION } from './records.ts';
import {
  applicationId, shardOf, type Application, type ApplicationRepo, type Conversation, type ConversationRepo, type Store,
} from '../core/records.ts';

const conversationCodec = recordCodec(CONVERSATION);
const addressCodec = recordCodec(ADDRESS);

/**
 * The embedded store under `dir` (GNLC_DATA_DIR). lowdb rewrites a whole file on every write, so no file
 * grows with the data: each conversation and each address is its own file (`conversations/<2 hex>/<key>.json`),
 * applications are sharded by call and country (`applications/<cycle>/<CC>.json`, a few dozen at most), so a
 * turn reads and writes one small file whatever the size of the store. Every read and write of a file goes
 * through that file's queue; every record is validated by the schema that reads it before it is written; no
 * read ever changes a file (a damaged record fails the operation that needs it, see `StoreReadError`).
 */
export function createLowdbStore(dir: string, log?: Logger): Store {
  // Nothing is created until something is written (a reader such as `gnlc export` leaves no trace); the
  // folders a write creates are the owner's only: this is applicants' data.
  const queue = new KeyedQueue();
  const conversationFiles = new KeyedRecords(new RecordFiles(dir, conversationCodec, queue, 2000, log), 'conversations');
  const addressFiles = new KeyedRecords(new RecordFiles(dir, addressCodec, queue, 500, log), 'addresses');
  const shards = new RecordFiles<ApplicationShard>(dir, shardCodec, queue, 500, log);
  const shardPath = (cycle: string, country: string) => path.join(dir, 'applications', cycle, `${country}.json`);

  const conversations: ConversationRepo = {
    get: (key) => conversationFiles.get(key),
    save: (c) => conversationFiles.put(c),
    delete: (key) => conversationFiles.delete(key),
    // Straight from disk (not through the cache, which keeps the active users); every record or none.
    async scan(visit) {
      const found = new Map<string, { record: Conversation; current: boolean }>();
      const problems: RecordProblem[] = [];
      const root = path.join(dir, 'conversations');
      for (const folder of await listNames(root)) {
        for (const name of await listNames(path.join(root, folder))) {
          if (!name.endsWith('.json')) continue;
          const file = path.join(root, folder, name);
          const read = await readRecordFile(file, path.relative(dir, file), conversationCodec);
          if ('problems' in read) problems.push(...read.problems);
          else if (read.value) {
            // A record under its legacy name and today's (a crash between the write and the clean-up): today's wins.
            const current = name === `${fileName(read.value.key)}.json`;
            if (current || !found.has(read.value.key)) found.set(read.value.key, { record: read.value, current });
          }
        }
      }
      if (problems.length) throw new StoreReadError(problems);
      for (const { record } of found.values()) visit(record);
    },
  };

  const listByCountry = async (cycle: string, country: string): Promise<Application[]> =>
    (await shards.get(shardPath(cycle, country)))?.applications ?? [];

  const applications: ApplicationRepo = {
    listByCountry,
    async listByCycle(cycle) {
      const names = await listNames(path.join(dir, 'applications', cycle));
      const countries = names.filter((n) => /^[A-Z]{2}\.json$/.test(n)).map((n) => n.slice(0, 2)).sort();
      return (await Promise.all(countries.map((c) => listByCountry(cycle, c)))).flat();
    },
    async get(id) {
      const m = shardOf(id);
      if (!m) return undefined;
      return (await listByCountry(m.cycle, m.country)).find((a) => a.id === id);
    },
    update(id, change) {
      const m = shardOf(id);
      if (!m) return Promise.resolve(undefined);
      const file = shardPath(m.cycle, m.country);
      return queue.run(file, async () => {
        const shard = await shards.load(file);
        const app = shard?.applications.find((a) => a.id === id);
        if (!shard || !app) return undefined;
        const { app: next, result } = change(structuredClone(app), structuredClone(shard.applications));
        if (next) await shards.save(file, { ...shard, applications: shard.applications.map((a) => (a.id === id ? next : a)) });
        return result;
      });
    },
    add(cycle, country, make, duplicateOf) {
      const file = shardPath(cycle, country);
      return queue.run(file, async () => {
        const shard = (await shards.load(file)) ?? { version: SHARD_VERSION, applications: [] };
        const existing = shard.applications.find(duplicateOf);
        if (existing) return { application: structuredClone(existing), duplicate: true };
        // The next number after the highest (not the count: numbers are never reused).
        const highest = Math.max(0, ...shard.applications.map((a) => Number(a.id.split('-').at(-1))));
        const app = make(applicationId(cycle, country, highest + 1)) as Application;
        await shards.save(file, { ...shard, applications: [...shard.applications, app] });
        return { application: structuredClone((await shards.load(file))!.applications.at(-1)!), duplicate: false };
      });
    },
  };

  const audit = createAuditLog(dir, queue);

  const alerts = createAlertClaims(dir, queue);
  const health = createHealthProbe(dir);

  return { conversations, applications, addresses: addressFiles, audit, alerts, seen: new SeenFiles(dir), health, close: () => queue.idle() };
}

/** The names in a folder; none when it does not exist. */
async function listNames(folder: string): Promise<string[]> {
  return readdir(folder).catch(() => [] as string[]);
}

export { verifyStore, repairFile, type RepairOutcome } from './verify.ts';
