import { createHash } from 'node:crypto';
import { mkdir, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { TextFile } from 'lowdb/node';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { KeyedQueue } from '../lib/keyed-queue.ts';
import type { Logger } from '../log.ts';
import { StoreReadError, StoreWriteError, type RecordProblem } from '../core/store-errors.ts';
import { APPLICATION, decode, issueOf, roundTrip, type RecordKind } from './records.ts';
import { shardOf, type Application } from '../core/records.ts';

/**
 * How one kind of record file is read and written: `decode` turns what JSON.parse gave into the record at the
 * current version (migrating an older one) or lists what is wrong; `encode` gives the exact text to write,
 * after checking that `decode` would accept it. The store's reads, `gnlc verify` and `gnlc repair` all go
 * through these, so what is written is what is read back and what verifies.
 */
export interface FileCodec<T> {
  decode(raw: unknown, file: string): { value: T; migrated: boolean } | { problems: RecordProblem[] };
  /** The text to write and the record as it will read back; throws a StoreWriteError when it would not read. */
  encode(value: T, file: string): { text: string; value: T };
}

/** A file holding one record with a `key` (a conversation, an address, an alert), of the given kind. */
export function recordCodec<T extends { key: string }>(kind: RecordKind<T>): FileCodec<T> {
  return {
    decode(raw, file) {
      const d = decode(kind, raw);
      if (d.ok) return { value: d.value, migrated: d.migrated };
      return { problems: [{ file, record: labelOf(raw, 'key'), field: d.field, rule: d.rule }] };
    },
    encode(value, file) {
      const back = roundTrip(kind, value);
      if (!back.ok) throw new StoreWriteError({ file, record: value.key, field: back.field, rule: back.rule });
      return { text: JSON.stringify(back.value, null, 2), value: back.value };
    },
  };
}

/** The version of the shard file's own shape (its list of applications); each application has its own. */
export const SHARD_VERSION = 1;
const ShardShape = z.object({ version: z.literal(SHARD_VERSION), applications: z.array(z.unknown()) });
export interface ApplicationShard {
  version: typeof SHARD_VERSION;
  applications: Application[];
}

/**
 * The applications of one call and country (`applications/<cycle>/<CC>.json`). Each application is decoded
 * on its own, so a problem names the application; it must also belong to the file's call and country, and an
 * id may appear once.
 */
export const shardCodec: FileCodec<ApplicationShard> = {
  decode(raw, file) {
    const shape = ShardShape.safeParse(raw);
    if (!shape.success) return { problems: [{ file, ...issueOf(shape.error) }] };
    const expected = /(\d{4})[\\/]([A-Z]{2})\.json$/.exec(file);
    const problems: RecordProblem[] = [];
    const applications: Application[] = [];
    const seen = new Set<string>();
    let migrated = false;
    shape.data.applications.forEach((rawApp, i) => {
      const record = labelOf(rawApp, 'id') ?? `#${i + 1}`;
      const d = decode(APPLICATION, rawApp);
      if (!d.ok) {
        problems.push({ file, record, field: `applications.${i}.${d.field}`, rule: d.rule });
        return;
      }
      const shard = shardOf(d.value.id);
      if (
        expected &&
        (shard?.cycle !== expected[1] ||
          shard?.country !== expected[2] ||
          d.value.cycle !== expected[1] ||
          d.value.country !== expected[2])
      ) {
        const rule = `does not belong to call ${expected[1]} and country ${expected[2]}`;
        problems.push({ file, record, field: `applications.${i}.id`, rule });
        return;
      }
      if (seen.has(d.value.id)) {
        problems.push({ file, record, field: `applications.${i}.id`, rule: 'appears twice' });
        return;
      }
      seen.add(d.value.id);
      migrated ||= d.migrated;
      applications.push(d.value);
    });
    return problems.length ? { problems } : { value: { version: SHARD_VERSION, applications }, migrated };
  },
  encode(value, file) {
    let raw: unknown;
    try {
      raw = JSON.parse(JSON.stringify(value));
    } catch (err) {
      throw new StoreWriteError({ file, field: '(record)', rule: `not serializable as JSON (${(err as Error).name})` });
    }
    const back = shardCodec.decode(raw, file);
    if ('problems' in back) throw new StoreWriteError(back.problems[0]!);
    if (back.migrated)
      throw new StoreWriteError({ file, field: 'applications', rule: 'holds an application of an older version' });
    return { text: JSON.stringify(back.value, null, 2), value: back.value };
  },
};

/** A record's own id or key, when it has a short printable one (to name it in a problem). */
function labelOf(raw: unknown, field: string): string | undefined {
  const v = (raw as Record<string, unknown> | null)?.[field];
  return typeof v === 'string' && v.length <= 200 ? v : undefined;
}

/** What a file gave: its record (or none: no such file), or the problems that keep it from being read. */
export type FileRead<T> = { value: T | undefined; migrated: boolean } | { problems: RecordProblem[] };

/** Reads and decodes one file, without changing anything; `rel` is its name in problems. */
export async function readRecordFile<T>(file: string, rel: string, codec: FileCodec<T>): Promise<FileRead<T>> {
  let text: string | null;
  try {
    text = await new TextFile(file).read();
  } catch (err) {
    return {
      problems: [
        { file: rel, field: '(file)', rule: `not readable (${(err as NodeJS.ErrnoException).code ?? 'error'})` },
      ],
    };
  }
  if (text === null) return { value: undefined, migrated: false };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    // JSON.parse's message quotes the text around the error: only its position is kept.
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    return {
      problems: [
        {
          file: rel,
          field: '(file)',
          rule: `not valid JSON${at ? ` (at character ${at})` : text.trim() ? '' : ' (empty)'}`,
        },
      ],
    };
  }
  const d = codec.decode(raw, rel);
  return 'problems' in d ? d : { value: d.value, migrated: d.migrated };
}

/**
 * The record files of one kind under the data folder: every read and write of a file goes through the file's
 * queue (so a first read can never undo a write queued before it finishes), the records last read or written
 * are kept in memory (bounded), and a write is checked by the codec before anything touches the disk.
 * A write goes to a temporary file renamed over the old one (lowdb's TextFile, steno), so a crash never leaves
 * a torn file. A read never changes a file: a record that cannot be read throws a StoreReadError.
 */
export class RecordFiles<T> {
  private readonly cache: LRUCache<string, { value: T | undefined }>;
  /** Folders known to exist, so a write costs no mkdir once its folder is made. */
  private readonly folders = new Set<string>();

  constructor(
    readonly dir: string,
    readonly codec: FileCodec<T>,
    readonly queue: KeyedQueue,
    maxOpen = 2000,
    private readonly log?: Logger,
  ) {
    this.cache = new LRUCache({ max: maxOpen });
  }

  rel(file: string): string {
    return path.relative(this.dir, file);
  }

  /** The record in `file` (a copy), read in the file's queue (by `load`) unless it is in memory. */
  async get(file: string, load: () => Promise<T | undefined> = () => this.load(file)): Promise<T | undefined> {
    const hit = this.cache.get(file);
    if (hit) return hit.value === undefined ? undefined : structuredClone(hit.value);
    const value = await this.queue.run(file, load);
    return value === undefined ? undefined : structuredClone(value);
  }

  /**
   * The record in `file`, to be called only in the file's queue (by `get`, or by a change that reads and
   * writes under it). The value returned is the cached one: a caller that changes it must write it back.
   */
  async load(file: string): Promise<T | undefined> {
    const hit = this.cache.get(file);
    if (hit) return hit.value;
    const read = await readRecordFile(file, this.rel(file), this.codec);
    if ('problems' in read) throw new StoreReadError(read.problems);
    if (read.migrated)
      this.log?.info(
        { file: this.rel(file) },
        'record of an older version migrated on read; written at the current version at its next write',
      );
    this.cache.set(file, { value: read.value });
    return read.value;
  }

  /** Takes `value` as what `file` holds (read from elsewhere, to be called in the file's queue). */
  prime(file: string, value: T): void {
    this.cache.set(file, { value });
  }

  /** Writes `value` (to be called in the file's queue); nothing is written when the codec refuses it. */
  async save(file: string, value: T): Promise<void> {
    const { text, value: written } = this.codec.encode(value, this.rel(file));
    const folder = path.dirname(file);
    if (!this.folders.has(folder)) {
      await mkdir(folder, { recursive: true, mode: 0o700 });
      this.folders.add(folder);
    }
    // What the file holds after a failed write is not known: the next read goes to the disk.
    this.cache.delete(file);
    try {
      await new TextFile(file).write(text);
    } catch (err) {
      // The folder was removed behind our back: make it again, once.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await mkdir(folder, { recursive: true, mode: 0o700 });
      await new TextFile(file).write(text);
    }
    this.cache.set(file, { value: written });
  }

  /** Deletes a file (to be called in the file's queue); a missing file is fine. */
  async remove(file: string): Promise<void> {
    this.cache.delete(file);
    await unlinkIfThere(file);
  }
}

/** Deletes a file; a missing one is fine. */
export async function unlinkIfThere(file: string): Promise<void> {
  await unlink(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

/**
 * A record's file name: its key in lowercase hexadecimal, so two keys never share a name on a file system
 * that ignores case (macOS, Windows); for a key too long for that (a name has at most 255 bytes, and the
 * atomic write adds a prefix and suffix) a SHA-256 of the key. The record holds its key, so the name never
 * needs reading back.
 */
export function fileName(key: string): string {
  const name = Buffer.from(key).toString('hex');
  return name.length <= MAX_NAME ? name : `sha256-${createHash('sha256').update(key).digest('hex')}`;
}

/** The name earlier versions gave (base64url, which differs only in case for some keys); still read. */
export function legacyFileName(key: string): string {
  const name = Buffer.from(key).toString('base64url');
  return name.length <= MAX_NAME ? name : `sha256-${createHash('sha256').update(key).digest('hex')}`;
}
const MAX_NAME = 200;

/**
 * `<folder>/<2 hex of SHA-1>/<name>.json` under `dir`: the place of a keyed record, by today's name and the legacy
 * one.
 */
export function keyedPaths(dir: string, folder: string, key: string): { file: string; legacy: string } {
  const sub = path.join(dir, folder, createHash('sha1').update(key).digest('hex').slice(0, 2));
  return { file: path.join(sub, `${fileName(key)}.json`), legacy: path.join(sub, `${legacyFileName(key)}.json`) };
}

/** Reads a file straight from disk (no cache: another process may write it), throwing on a damaged record. */
export async function readFresh<T>(file: string, rel: string, codec: FileCodec<T>): Promise<T | undefined> {
  const read = await readRecordFile(file, rel, codec);
  if ('problems' in read) throw new StoreReadError(read.problems);
  return read.value;
}

/** The names in a folder; none when it does not exist. */
export async function listNames(folder: string): Promise<string[]> {
  return readdir(folder).catch(() => [] as string[]);
}
