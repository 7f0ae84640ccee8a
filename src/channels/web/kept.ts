/**
 * Notices for web chat visitors who have no page open (a commission's decision, an application card, an alert),
 * kept on disk until they open one: `<data dir>/web-kept/<visitor>.jsonl`, one JSON line per notice, appended
 * (so the server and `gnlc alerts` can both add to a file) and validated before it is written. Opening a page
 * takes the file (renamed first, so a notice added meanwhile goes to a new file and waits for the next page).
 * A line that does not read (torn by a crash) is skipped; notices older than 30 days are dropped.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ReplyValue, type Reply } from '../../core/reply.ts';
import { issueOf, StoreWriteError } from '../../core/store-errors.ts';

const MAX_AGE_MS = 30 * 86_400_000;
/** A visitor id (the hash of their secret) or an endorser's: safe as a file name. */
const VISITOR = /^[A-Za-z0-9_-]{1,64}$/;

export const KeptLineSchema = z.object({ at: z.string().datetime(), replies: z.array(ReplyValue).min(1) });

export class KeptNotices {
  constructor(
    /** The folder the files are in (`<data dir>/web-kept`). */
    private readonly dir: string,
    private readonly now: () => Date,
    /** Where lines that could not be read (and so were not delivered) are reported. */
    private readonly warn?: (obj: Record<string, unknown>, msg: string) => void,
  ) {}

  /** Keeps `replies` for `visitor`; resolves once the line is on disk. */
  async keep(visitor: string, replies: Reply[]): Promise<void> {
    const line = { at: this.now().toISOString(), replies };
    const back = KeptLineSchema.safeParse(JSON.parse(JSON.stringify(line)));
    if (!VISITOR.test(visitor) || !back.success)
      throw new StoreWriteError({
        file: 'web-kept',
        record: visitor.slice(0, 64),
        ...(back.success ? { field: 'visitor', rule: 'not a visitor id' } : issueOf(back.error)),
      });
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await appendFile(this.file(visitor), `${JSON.stringify(back.data)}\n`, { mode: 0o600 });
  }

  /**
   * Takes what is kept for `visitor`, oldest first, and gives it to `deliver`; what `deliver` could not take
   * (it threw) is kept again.
   */
  async take(visitor: string, deliver: (replies: Reply[]) => Promise<void>): Promise<void> {
    if (!VISITOR.test(visitor)) return;
    const taking = `${this.file(visitor)}.${randomUUID()}.taking`;
    try {
      await rename(this.file(visitor), taking);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const notices = this.lines(await readFile(taking, 'utf8'), visitor);
    let done = 0;
    try {
      for (const replies of notices) {
        await deliver(replies);
        done++;
      }
    } finally {
      for (const replies of notices.slice(done)) await this.keep(visitor, replies);
      await unlink(taking);
    }
  }

  private lines(text: string, visitor: string): Reply[][] {
    const oldest = this.now().getTime() - MAX_AGE_MS;
    const out: Reply[][] = [];
    let unreadable = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let parsed: z.infer<typeof KeptLineSchema> | undefined;
      try {
        parsed = KeptLineSchema.parse(JSON.parse(line));
      } catch {
        unreadable++;
        continue;
      }
      if (new Date(parsed.at).getTime() >= oldest) out.push(parsed.replies as Reply[]);
    }
    if (unreadable)
      this.warn?.({ visitor, lines: unreadable }, 'web: kept notices that could not be read were dropped');
    return out;
  }

  private file(visitor: string): string {
    return path.join(this.dir, `${visitor}.jsonl`);
  }
}
