import { processLocks } from './process-locks.ts';
import { SeenIds } from './seen.ts';
import { StoreWriteError } from '../core/store-errors.ts';
import { ADDRESS, ALERT, APPLICATION, CONVERSATION, checkedRecord, issueOf, type RecordKind } from './records.ts';
import {
  AuditEntrySchema,
  applicationId,
  shardOf,
  type Application,
  type AuditEntry,
  type Store,
} from '../core/records.ts';

/** The record as the embedded store would read it back, or a StoreWriteError: the same check before every write. */
const checked = <T>(kind: RecordKind<T>, value: T, record?: string): T =>
  checkedRecord(kind, value, `(memory ${kind.name})`, record);

/** Records by key, validated on write and copied both ways so callers never share state with the store. */
function keyed<T extends { key: string }>(kind: RecordKind<T>) {
  const records = new Map<string, T>();
  return {
    values: () => [...records.values()].map((r) => structuredClone(r)),
    has: (key: string) => records.has(key),
    delete: async (key: string): Promise<void> => {
      records.delete(key);
    },
    get: async (key: string): Promise<T | undefined> => {
      const r = records.get(key);
      return r && structuredClone(r);
    },
    put: async (r: T): Promise<void> => {
      records.set(r.key, checked(kind, r, r.key));
    },
  };
}

/** A store in memory (gnlc ask, unit tests of the core); records are validated as in the embedded store. */
export function createMemoryStore(): Store {
  const conversations = keyed(CONVERSATION);
  const alerts = keyed(ALERT);
  const shards = new Map<string, Application[]>();
  const audit: AuditEntry[] = [];
  return {
    conversations: {
      get: conversations.get,
      save: conversations.put,
      delete: conversations.delete,
      scan: async (visit) => {
        for (const c of conversations.values()) visit(c);
      },
    },
    applications: {
      listByCountry: async (cycle, country) => structuredClone(shards.get(`${cycle}/${country}`) ?? []),
      listByCycle: async (cycle) =>
        structuredClone(
          [...shards.entries()]
            .filter(([k]) => k.startsWith(`${cycle}/`))
            .sort(([a], [b]) => a.localeCompare(b))
            .flatMap(([, list]) => list),
        ),
      get: async (id) => {
        for (const list of shards.values()) {
          const found = list.find((a) => a.id === id);
          if (found) return structuredClone(found);
        }
        return undefined;
      },
      add: async (cycle, country, make, duplicateOf) => {
        const list = shards.get(`${cycle}/${country}`) ?? [];
        const existing = list.find(duplicateOf);
        if (existing) return { application: structuredClone(existing), duplicate: true };
        const highest = Math.max(0, ...list.map((a) => Number(a.id.split('-').at(-1))));
        const id = applicationId(cycle, country, highest + 1);
        const app = checked(APPLICATION, make(id) as Application, id);
        shards.set(`${cycle}/${country}`, [...list, app]);
        return { application: structuredClone(app), duplicate: false };
      },
      // Synchronous between reading and writing, so updates of one shard never interleave.
      update: async (id, change) => {
        const m = shardOf(id);
        const list = m && shards.get(`${m.cycle}/${m.country}`);
        const app = list?.find((a) => a.id === id);
        if (!list || !app) return undefined;
        const { app: next, result } = change(structuredClone(app), structuredClone(list));
        if (next) {
          const parsed = checked(APPLICATION, next, id);
          shards.set(
            `${m!.cycle}/${m!.country}`,
            list.map((a) => (a.id === id ? parsed : a)),
          );
        }
        return result;
      },
    },
    addresses: keyed(ADDRESS),
    audit: {
      append: async (entry) => {
        const back = AuditEntrySchema.safeParse(JSON.parse(JSON.stringify(entry)));
        if (!back.success)
          throw new StoreWriteError({ file: '(memory audit)', record: entry.action, ...issueOf(back.error) });
        audit.push(back.data);
      },
      list: async () => structuredClone(audit),
    },
    alerts: {
      get: alerts.get,
      put: alerts.put,
      // No await between the check and the write, so only one claim of a key succeeds.
      claim: (record) => {
        if (alerts.has(record.key)) return Promise.resolve(false);
        return alerts.put(record).then(() => true);
      },
    },
    seen: new SeenIds(),
    ...processLocks(),
    health: async () => undefined,
    close: async () => undefined,
  };
}
