import path from 'node:path';
import type { KeyedQueue } from '../lib/keyed-queue.ts';
import type { Logger } from '../log.ts';
import { RecordFiles, SHARD_VERSION, listNames, shardCodec, type ApplicationShard } from './files.ts';
import { applicationId, shardOf, type Application, type ApplicationRepo } from '../core/records.ts';

/**
 * The applications under `dir`, sharded by call and country (`applications/<cycle>/<CC>.json`, a few dozen
 * at most): a change reads and writes one shard in that shard's queue, so changes of one shard never
 * interleave and a first read can never undo a write queued before it.
 */
export function createApplicationRepo(dir: string, queue: KeyedQueue, log?: Logger): ApplicationRepo {
  const shards = new RecordFiles<ApplicationShard>(dir, shardCodec, queue, 500, log);
  const shardPath = (cycle: string, country: string) => path.join(dir, 'applications', cycle, `${country}.json`);

  const listByCountry = async (cycle: string, country: string): Promise<Application[]> =>
    (await shards.get(shardPath(cycle, country)))?.applications ?? [];

  return {
    listByCountry,
    async listByCycle(cycle) {
      const names = await listNames(path.join(dir, 'applications', cycle));
      const countries = names
        .filter((n) => /^[A-Z]{2}\.json$/.test(n))
        .map((n) => n.slice(0, 2))
        .sort();
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
        if (next) {
          const applications = shard.applications.map((a) => (a.id === id ? next : a));
          await shards.save(file, { ...shard, applications });
        }
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
}
