/**
 * Ids of requests already handled (Slack's event ids and request signatures, Teams' activity ids), kept for
 * the platforms' retry window across restarts: a replayed or redelivered request is dropped even when the
 * process that handled the first one has since stopped.
 *
 * On disk: JSON lines appended to `seen/<window>-<process>.jsonl`, one file per ten-minute window and
 * process (so two processes, or a line torn by a crash, never mix in one file). Lines are validated before
 * they are written; a line that does not read (a torn last line) is skipped: these are not records of anyone,
 * only a memory of what was seen. Files whose window ended an hour ago are removed by the next claim.
 */
import { createHash, randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { issueOf, StoreWriteError } from '../core/store-errors.ts';
import { unlinkIfThere } from './files.ts';
import type { SeenRepo } from '../core/records.ts';

const WINDOW_MS = 10 * 60_000;
/** The longest a claim is kept; longer ones are cut to this. */
export const MAX_SEEN_MS = 60 * 60_000;
const MAX_IDS = 200_000;

export const SeenLineSchema = z.object({
  key: z
    .string()
    .min(1)
    .max(512)
    .regex(/^[\x20-\x7e]+$/, 'not printable ASCII'),
  /** Until when (ms since the epoch) a repeat is dropped. */
  until: z.number().int().positive(),
});

/** Ids in memory, each until its time (the memory store's, and the cache of the file store's). */
export class SeenIds implements SeenRepo {
  /** Key → until when (ms since the epoch) a repeat is dropped; the least recently seen go first past MAX_IDS. */
  protected readonly ids = new LRUCache<string, number>({ max: MAX_IDS });

  constructor(protected readonly now: () => number = Date.now) {}

  protected check(id: string, ttlMs: number): { key: string; first: boolean; until: number } {
    // Any id is kept: one that is not short printable ASCII as its hash.
    const key = /^[\x20-\x7e]{1,200}$/.test(id) ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`;
    const line = { key, until: this.now() + Math.min(ttlMs, MAX_SEEN_MS) };
    const back = SeenLineSchema.safeParse(line);
    if (!back.success) throw new StoreWriteError({ file: 'seen', record: key.slice(0, 80), ...issueOf(back.error) });
    if ((this.ids.get(key) ?? 0) > this.now()) return { key, first: false, until: line.until };
    this.ids.set(key, line.until);
    return { key, first: true, until: line.until };
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    return this.check(key, ttlMs).first;
  }
}

/** The file store's: what was seen in the last hour is loaded at the first claim, each new id appended. */
export class SeenFiles extends SeenIds {
  private loaded?: Promise<void>;
  private readonly process = randomUUID().slice(0, 8);
  private window = -1;

  constructor(
    private readonly dir: string,
    now: () => number = Date.now,
  ) {
    super(now);
  }

  private get folder(): string {
    return path.join(this.dir, 'seen');
  }

  /** The window files: each with its window number. */
  private async files(): Promise<{ file: string; window: number }[]> {
    const names = await readdir(this.folder).catch(() => [] as string[]);
    return names.flatMap((name) => {
      const window = Number(/^(\d+)-[0-9a-f]+\.jsonl$/.exec(name)?.[1]);
      return Number.isFinite(window) ? [{ file: path.join(this.folder, name), window }] : [];
    });
  }

  /** Removes the files of windows that ended more than MAX_SEEN_MS ago (nothing in them still counts). */
  private async prune(): Promise<void> {
    for (const { file, window } of await this.files())
      if ((window + 1) * WINDOW_MS + MAX_SEEN_MS < this.now()) await unlinkIfThere(file);
  }

  private async load(): Promise<void> {
    await this.prune();
    const now = this.now();
    for (const { file } of await this.files()) {
      const text = await readFile(file, 'utf8').catch(() => '');
      for (const raw of text.split('\n')) {
        let parsed: ReturnType<typeof SeenLineSchema.safeParse>;
        try {
          parsed = SeenLineSchema.safeParse(JSON.parse(raw));
        } catch {
          continue;
        }
        if (parsed.success && parsed.data.until > now)
          this.ids.set(parsed.data.key, Math.max(parsed.data.until, this.ids.get(parsed.data.key) ?? 0));
      }
    }
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
  }

  override async claim(key: string, ttlMs: number): Promise<boolean> {
    this.loaded ??= this.load();
    await this.loaded;
    const { key: kept, first, until } = this.check(key, ttlMs);
    if (!first) return false;
    const window = Math.floor(this.now() / WINDOW_MS);
    if (window !== this.window) {
      if (this.window >= 0) void this.prune().catch(() => undefined);
      this.window = window;
    }
    await this.append(window, `${JSON.stringify({ key: kept, until })}\n`);
    return true;
  }

  /** The lines claimed in one tick of the event loop, written together by one write on the window's open file. */
  private batch?: { window: number; lines: string[]; written: Promise<void> };
  private writes: Promise<void> = Promise.resolve();
  private file?: { window: number; handle: Promise<FileHandle> };

  private append(window: number, line: string): Promise<void> {
    if (this.batch?.window === window) {
      this.batch.lines.push(line);
      return this.batch.written;
    }
    const lines = [line];
    const written = this.writes
      .catch(() => undefined)
      .then(async () => {
        if (this.batch?.lines === lines) this.batch = undefined; // later claims start the next write
        await (await this.handle(window)).write(lines.join(''));
      });
    this.batch = { window, lines, written };
    this.writes = written;
    return written;
  }

  /** The window's file, opened for appending once (one write per batch, not open, write and close per id). */
  private handle(window: number): Promise<FileHandle> {
    if (this.file?.window !== window) {
      const old = this.file?.handle;
      if (old) void old.then((h) => h.close()).catch(() => undefined);
      const handle = open(path.join(this.folder, `${window}-${this.process}.jsonl`), 'a', 0o600);
      // A file that could not be opened is opened again by the next write.
      handle.catch(() => {
        if (this.file?.handle === handle) this.file = undefined;
      });
      this.file = { window, handle };
    }
    return this.file.handle;
  }

  /** Waits for the writes under way and closes the open file. */
  async close(): Promise<void> {
    await this.writes.catch(() => undefined);
    const handle = this.file?.handle;
    this.file = undefined;
    if (handle) await (await handle.catch(() => undefined))?.close();
  }
}
