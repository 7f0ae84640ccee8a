import { isDeepStrictEqual } from 'node:util';
import { StoreReadError } from '../core/store-errors.ts';
import { createLowdbStore } from './lowdb.ts';
import { folderRecords, verifyStore } from './verify.ts';
import type { PostgresStore } from './postgres/index.ts';
import type { Address, AlertRecord, Application, AuditEntry, Conversation, Store } from '../core/records.ts';

/** Every record of a store, kind by kind, in a stable order. */
export interface StoreContents {
  conversations: Conversation[];
  applications: Application[];
  addresses: Address[];
  alerts: AlertRecord[];
  audit: AuditEntry[];
}

/** A copy that cannot be done as asked (the target holds records, or what was written reads back otherwise). */
export class CopyError extends Error {
  override name = 'CopyError';
}

const byKey = <T extends { key: string }>(list: T[]) => [...list].sort((a, b) => a.key.localeCompare(b.key));

/** The records of `keys` that `read` finds, in the keys' order. */
async function each<T>(keys: string[], read: (key: string) => Promise<T | undefined>): Promise<T[]> {
  const got = await Promise.all(keys.map((k) => read(k)));
  return got.filter((r) => r !== undefined) as T[];
}

/** The keys of a keyed folder's files, once each (a record may be under today's name and a legacy one). */
async function keysIn(dir: string, folder: string): Promise<string[]> {
  const keys = (await folderRecords(dir, folder)).map((r) => (r as { key: string }).key);
  return [...new Set(keys)].sort();
}

/** Which calls and which keys of addresses and alerts to read (the ports list neither). */
interface Scope {
  cycles: string[];
  addresses: string[];
  alerts: string[];
}

/** What a store holds, read through its ports: every conversation and audit line, and the records of `scope`. */
async function contentsOf(store: Store, scope: Scope): Promise<StoreContents> {
  const conversations: Conversation[] = [];
  await store.conversations.scan((c) => conversations.push(c));
  const applications: Application[] = [];
  for (const cycle of scope.cycles) applications.push(...(await store.applications.listByCycle(cycle)));
  return {
    conversations: byKey(conversations),
    applications,
    addresses: await each(scope.addresses, (k) => store.addresses.get(k)),
    alerts: await each(scope.alerts, (k) => store.alerts.get(k)),
    audit: await store.audit.list(),
  };
}

/**
 * Everything the embedded store under `dir` holds, read the way it serves it (older versions migrated, a
 * record under a legacy name only when today's is not there). Refuses a store with a damaged record: a copy
 * is all or nothing.
 */
export async function readEmbeddedStore(dir: string): Promise<StoreContents> {
  const problems = await verifyStore(dir);
  if (problems.length) throw new StoreReadError(problems);
  const shards = (await folderRecords(dir, 'applications')) as { applications: Application[] }[];
  const cycles = [...new Set(shards.flatMap((s) => s.applications.map((a) => a.cycle)))].sort();
  const scope = { cycles, addresses: await keysIn(dir, 'addresses'), alerts: await keysIn(dir, 'alerts') };
  const store = createLowdbStore(dir);
  try {
    return await contentsOf(store, scope);
  } finally {
    await store.close();
  }
}

/** The calls and keys that `contents` holds: what to read back after a copy. */
const scopeOf = (contents: StoreContents): Scope => ({
  cycles: [...new Set(contents.applications.map((a) => a.cycle))].sort(),
  addresses: contents.addresses.map((a) => a.key),
  alerts: contents.alerts.map((a) => a.key),
});

/** How many records of each kind a copy wrote. */
export type CopyCounts = { [K in keyof StoreContents]: number };

/**
 * Writes `contents` into an empty PostgreSQL store in one transaction, each record validated before it is
 * written, then reads every record back through the store and compares it with the source; any difference
 * rolls the whole copy back. The database's schema must be current (`migrate` first).
 */
export async function copyIntoDatabase(contents: StoreContents, target: PostgresStore): Promise<CopyCounts> {
  return target.db.transaction(['copy'], async () => {
    const held = await target.db.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM conversations) + (SELECT count(*) FROM applications)
            + (SELECT count(*) FROM addresses) + (SELECT count(*) FROM alerts) + (SELECT count(*) FROM audit) AS n`,
    );
    if (Number(held.rows[0]!.n) > 0)
      throw new CopyError('the database already holds records: copy only into an empty database');
    for (const c of contents.conversations) await target.conversations.save(c);
    for (const a of contents.applications) await target.insertApplication(a);
    for (const a of contents.addresses) await target.addresses.put(a);
    for (const a of contents.alerts) await target.alerts.put(a);
    for (const e of contents.audit) await target.audit.append(e);
    const back = await contentsOf(target, scopeOf(contents));
    for (const kind of Object.keys(contents) as (keyof StoreContents)[]) {
      const source = contents[kind] as unknown[];
      const copied = back[kind] as unknown[];
      const i = source.findIndex((r, n) => !isDeepStrictEqual(JSON.parse(JSON.stringify(r)), copied[n]));
      if (i >= 0 || source.length !== copied.length)
        throw new CopyError(
          `${kind}: record ${i >= 0 ? i + 1 : copied.length + 1} reads back otherwise; nothing copied`,
        );
    }
    return Object.fromEntries(Object.entries(contents).map(([k, v]) => [k, v.length])) as CopyCounts;
  });
}
