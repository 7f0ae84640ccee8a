import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { appendFile, link, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { z } from 'zod';
import type { Logger } from '../log.ts';
import { KeyedQueue } from '../core/keyed-queue.ts';
import {
  AddressSchema, AlertRecordSchema, ApplicationSchema, AuditEntrySchema, ConversationSchema, STORE_VERSION, applicationId, shardOf,
  type Address, type AddressRepo, type AlertRecord, type AlertRepo, type Application, type ApplicationRepo, type AuditRepo, type Conversation,
  type ConversationRepo, type Store,
} from './types.ts';

/**
 * lowdb rewrites a whole file on every write, so the store never lets a file grow with the data:
 * each conversation is its own file (`conversations/<2 hex>/<key>.json`), and applications are
 * sharded by call and country (`applications/<cycle>/<CC>.json`, a few dozen at most). A turn thus
 * reads and writes one small file whatever the size of the store. Writes go through lowdb's
 * JSONFile (steno): written to a temporary file and renamed, so a crash never leaves a torn file,
 * and concurrent writes to one file are coalesced. Addresses for proactive messages are one file each too.
 */
class ShardFiles<T> {
  private readonly open = new Map<string, Low<T | null>>();
  /** Folders known to exist, so a write costs no mkdir once its folder is made. */
  private readonly folders = new Set<string>();

  constructor(
    private readonly schema: z.ZodType<T>,
    private readonly log: Logger | undefined,
    private readonly maxOpen = 2000,
  ) {}

  private handle(file: string): Low<T | null> {
    let db = this.open.get(file);
    if (db) {
      // Refresh the LRU position.
      this.open.delete(file);
      this.open.set(file, db);
      return db;
    }
    db = new Low<T | null>(new JSONFile<T | null>(file), null);
    this.open.set(file, db);
    if (this.open.size > this.maxOpen) this.open.delete(this.open.keys().next().value!);
    return db;
  }

  /** Reads and validates a file; a file that fails validation is moved aside (kept for inspection) and ignored. */
  async read(file: string): Promise<T | undefined> {
    const db = this.handle(file);
    if (db.data === null) {
      try {
        await db.read();
      } catch (err) {
        return this.quarantine(file, db, `unreadable: ${(err as Error).message}`);
      }
    }
    if (db.data === null) return undefined;
    const parsed = this.schema.safeParse(db.data);
    if (!parsed.success) return this.quarantine(file, db, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return parsed.data;
  }

  async write(file: string, data: T): Promise<void> {
    const db = this.handle(file);
    db.data = data;
    const folder = path.dirname(file);
    if (!this.folders.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.folders.add(folder);
    }
    try {
      await db.write();
    } catch (err) {
      // The folder was removed behind our back: make it again, once.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await mkdir(folder, { recursive: true });
      await db.write();
    }
  }

  /** Deletes a file (and forgets what was read of it); a missing file is fine. */
  async remove(file: string): Promise<void> {
    this.open.delete(file);
    await unlink(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  private async quarantine(file: string, db: Low<T | null>, reason: string): Promise<undefined> {
    db.data = null;
    this.open.delete(file);
    const aside = `${file}.invalid-${Date.now()}`;
    await rename(file, aside).catch(() => undefined);
    this.log?.warn({ file, aside, reason, version: STORE_VERSION }, 'stored record failed validation; moved aside and ignored');
    return undefined;
  }
}

/**
 * A record's file name: its key in base64url, or, for a key too long for that (a file name has at most 255
 * bytes, and the atomic write adds a prefix and suffix), a SHA-256 of the key. The record holds its key, so the
 * name never needs reading back.
 */
function fileKey(key: string): string {
  const name = Buffer.from(key).toString('base64url');
  return name.length <= MAX_NAME ? name : `sha256-${createHash('sha256').update(key).digest('hex')}`;
}
const MAX_NAME = 200;

const ApplicationShard = z.object({ version: z.literal(STORE_VERSION), applications: z.array(ApplicationSchema) });
type ApplicationShard = z.infer<typeof ApplicationShard>;

/** The embedded store under `dir` (GNLC_DATA_DIR). */
export function createLowdbStore(dir: string, log?: Logger): Store {
  // Applicants' data: the folder is the owner's only (when this creates it).
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const convFiles = new ShardFiles<Conversation>(ConversationSchema as z.ZodType<Conversation>, log);
  const appFiles = new ShardFiles<ApplicationShard>(ApplicationShard as z.ZodType<ApplicationShard>, log, 500);
  const addrFiles = new ShardFiles<Address>(AddressSchema as z.ZodType<Address>, log, 500);
  const queue = new KeyedQueue();
  const keyPath = (folder: string, key: string) => {
    const hash = createHash('sha1').update(key).digest('hex').slice(0, 2);
    return path.join(dir, folder, hash, `${fileKey(key)}.json`);
  };
  const convPath = (key: string) => keyPath('conversations', key);
  const addrPath = (key: string) => keyPath('addresses', key);
  const shardPath = (cycle: string, country: string) => path.join(dir, 'applications', cycle, `${country}.json`);

  const conversations: ConversationRepo = {
    get: (key) => convFiles.read(convPath(key)),
    save: (c) => queue.run(convPath(c.key), () => convFiles.write(convPath(c.key), c)),
    delete: (key) => queue.run(convPath(key), () => convFiles.remove(convPath(key))),
    // Read straight from disk (not through the open files, whose cache keeps the active users).
    async scan(visit) {
      const root = path.join(dir, 'conversations');
      for (const folder of await readdir(root).catch(() => [] as string[])) {
        for (const name of await readdir(path.join(root, folder)).catch(() => [] as string[])) {
          if (!name.endsWith('.json')) continue;
          const record = await readJson(path.join(root, folder, name), ConversationSchema);
          if (record) visit(record);
        }
      }
    },
  };

  const applications: ApplicationRepo = {
    async listByCountry(cycle, country) {
      return (await appFiles.read(shardPath(cycle, country)))?.applications ?? [];
    },
    async listByCycle(cycle) {
      const names = await readdir(path.join(dir, 'applications', cycle)).catch(() => [] as string[]);
      const countries = names.filter((n) => /^[A-Z]{2}\.json$/.test(n)).map((n) => n.slice(0, 2)).sort();
      return (await Promise.all(countries.map((c) => this.listByCountry(cycle, c)))).flat();
    },
    async get(id) {
      const m = shardOf(id);
      if (!m) return undefined;
      return (await this.listByCountry(m.cycle, m.country)).find((a) => a.id === id);
    },
    update(id, change) {
      const m = shardOf(id);
      if (!m) return Promise.resolve(undefined);
      const file = shardPath(m.cycle, m.country);
      return queue.run(file, async () => {
        const shard = await appFiles.read(file);
        const app = shard?.applications.find((a) => a.id === id);
        if (!shard || !app) return undefined;
        const { app: next, result } = change(structuredClone(app), structuredClone(shard.applications));
        if (next) {
          const parsed = ApplicationSchema.parse(next);
          await appFiles.write(file, { ...shard, applications: shard.applications.map((a) => (a.id === id ? parsed : a)) });
        }
        return result;
      });
    },
    add(cycle, country, make, duplicateOf) {
      const file = shardPath(cycle, country);
      return queue.run(file, async () => {
        const shard = (await appFiles.read(file)) ?? { version: STORE_VERSION, applications: [] };
        const existing = shard.applications.find(duplicateOf);
        if (existing) return { application: existing, duplicate: true };
        const app = ApplicationSchema.parse(make(applicationId(cycle, country, shard.applications.length + 1)));
        await appFiles.write(file, { ...shard, applications: [...shard.applications, app] });
        return { application: app, duplicate: false };
      });
    },
  };

  const addresses: AddressRepo = {
    get: (key) => addrFiles.read(addrPath(key)),
    put: (a) => queue.run(addrPath(a.key), () => addrFiles.write(addrPath(a.key), AddressSchema.parse(a))),
    delete: (key) => queue.run(addrPath(key), () => addrFiles.remove(addrPath(key))),
  };

  // The audit log is JSON lines appended in order (O_APPEND): a line once written is never rewritten.
  const auditPath = path.join(dir, 'audit', 'audit.jsonl');
  const audit: AuditRepo = {
    append: (entry) =>
      queue.run(auditPath, async () => {
        const line = `${JSON.stringify(AuditEntrySchema.parse(entry))}\n`;
        await mkdir(path.dirname(auditPath), { recursive: true });
        await appendFile(auditPath, line);
      }),
    async list() {
      const text = await readFile(auditPath, 'utf8').catch(() => '');
      return text.split('\n').filter(Boolean).flatMap((line) => {
        try {
          return [AuditEntrySchema.parse(JSON.parse(line))];
        } catch {
          log?.warn({ file: auditPath }, 'audit line unreadable; skipped');
          return [];
        }
      });
    },
  };

  // One file per alert key. A claim links a complete temporary file to the key's name: link() fails when
  // the name exists, so two processes (the server and `gnlc alerts`) can never both claim one alert, and a
  // crash never leaves a half-written record. Reads bypass any cache for the same reason.
  const alertPath = (key: string) => keyPath('alerts', key);
  const tempFor = (file: string) => `${file}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
  const writeTemp = async (file: string, record: AlertRecord) => {
    await mkdir(path.dirname(file), { recursive: true });
    const temp = tempFor(file);
    await writeFile(temp, JSON.stringify(AlertRecordSchema.parse(record)));
    return temp;
  };
  const alerts: AlertRepo = {
    get: (key) => readJson(alertPath(key), AlertRecordSchema),
    async claim(record) {
      const file = alertPath(record.key);
      const temp = await writeTemp(file, record);
      try {
        await link(temp, file);
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw err;
      } finally {
        await unlink(temp).catch(() => undefined);
      }
    },
    put: (record) => queue.run(alertPath(record.key), async () => rename(await writeTemp(alertPath(record.key), record), alertPath(record.key))),
  };

  // A write and a read of a small file: what every turn needs from the disk.
  const probe = path.join(dir, 'health', 'probe.json');
  const health = async () => {
    const token = `${process.pid}-${Date.now()}`;
    await mkdir(path.dirname(probe), { recursive: true });
    const temp = `${probe}.${token}.tmp`;
    await writeFile(temp, JSON.stringify({ token }));
    await rename(temp, probe);
    if (JSON.parse(await readFile(probe, 'utf8')).token !== token) throw new Error('the store read back something else than it wrote');
  };

  return { conversations, applications, addresses, audit, alerts, health, close: () => queue.idle() };
}

/** Reads and validates one JSON file from disk; undefined when it is missing or not a valid record. */
async function readJson<T>(file: string, schema: z.ZodType<T>): Promise<T | undefined> {
  try {
    const parsed = schema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}


/** A record file the store cannot use. */
export interface StoreProblem {
  /** Relative to the data folder. */
  file: string;
  reason: string;
}

/**
 * Reads every record file of the store under `dir` without changing anything, and lists those that are
 * not valid JSON or not a valid record (the server refuses to start on them rather than move them aside).
 * Records of another store version are not problems: they are migrated or dropped when read. Temporary
 * files of an interrupted write and files already moved aside are ignored.
 */
export async function verifyStore(dir: string): Promise<StoreProblem[]> {
  const problems: StoreProblem[] = [];
  const check = async (file: string, schema: z.ZodType<unknown>) => {
    let data: unknown;
    try {
      data = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      problems.push({ file: path.relative(dir, file), reason: `not readable JSON (${(err as Error).message.split('\n')[0]})` });
      return;
    }
    if ((data as { version?: unknown })?.version !== STORE_VERSION) return;
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      problems.push({ file: path.relative(dir, file), reason: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ') });
    }
  };
  const list = async (folder: string) => (await readdir(folder, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory() || e.name.endsWith('.json'));
  for (const [folder, schema] of [['conversations', ConversationSchema], ['addresses', AddressSchema], ['alerts', AlertRecordSchema], ['applications', ApplicationShard]] as const) {
    for (const sub of await list(path.join(dir, folder))) {
      if (!sub.isDirectory()) continue;
      for (const f of await list(path.join(dir, folder, sub.name))) {
        if (f.isFile()) await check(path.join(dir, folder, sub.name, f.name), schema);
      }
    }
  }
  return problems;
}
