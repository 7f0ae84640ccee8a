import { readFresh, readRecordFile, unlinkIfThere, keyedPaths, type FileCodec, type RecordFiles } from './files.ts';

/**
 * Records with a key, one file each (conversations, addresses), under today's file name; a record still
 * under the name an earlier version gave is read from there, and moves to today's name at its next write.
 */
export class KeyedRecords<T extends { key: string }> {
  /** Files whose record was read under the legacy name: removed once written under today's. */
  private readonly legacyRead = new Map<string, string>();

  constructor(
    readonly files: RecordFiles<T>,
    private readonly folder: string,
  ) {}

  paths(key: string): { file: string; legacy: string } {
    return keyedPaths(this.files.dir, this.folder, key);
  }

  get(key: string): Promise<T | undefined> {
    const { file } = this.paths(key);
    return this.files.get(file, () => this.load(key));
  }

  /** The record of `key` (in its file's queue). */
  async load(key: string): Promise<T | undefined> {
    const { file, legacy } = this.paths(key);
    const value = await this.files.load(file);
    if (value !== undefined || legacy === file) return value;
    const old = await readFresh(legacy, this.files.rel(legacy), this.codec);
    // On a file system that ignores case, the legacy name may be another key's: the record says whose it is.
    if (old?.key !== key) return undefined;
    this.files.prime(file, old);
    this.legacyRead.set(file, legacy);
    return old;
  }

  put(record: T): Promise<void> {
    const { file } = this.paths(record.key);
    return this.files.queue.run(file, async () => {
      await this.files.save(file, record);
      const legacy = this.legacyRead.get(file);
      if (legacy) {
        await unlinkIfThere(legacy);
        this.legacyRead.delete(file);
      }
    });
  }

  delete(key: string): Promise<void> {
    const { file, legacy } = this.paths(key);
    return this.files.queue.run(file, async () => {
      await this.files.remove(file);
      // Only the key's own record: on a file system that ignores case, the legacy name may be another key's.
      if (legacy !== file) {
        const old = await readRecordFile(legacy, this.files.rel(legacy), this.codec);
        if (!('problems' in old) && old.value?.key === key) await unlinkIfThere(legacy);
      }
      this.legacyRead.delete(file);
    });
  }

  private get codec(): FileCodec<T> {
    return this.files.codec;
  }
}
