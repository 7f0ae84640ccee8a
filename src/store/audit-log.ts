import { appendFile, mkdir, readFile, truncate } from 'node:fs/promises';
import path from 'node:path';
import type { KeyedQueue } from '../lib/keyed-queue.ts';
import { issueOf, StoreReadError, StoreWriteError, type RecordProblem } from '../core/store-errors.ts';
import { AuditEntrySchema, type AuditEntry, type AuditRepo } from '../core/records.ts';

/**
 * The audit log under `dir`: JSON lines appended in order (O_APPEND), a line once written is never rewritten.
 * Not a lowdb file: it is never read whole to be written back. Appends go through the file's queue.
 */
export function createAuditLog(dir: string, queue: KeyedQueue): AuditRepo {
  const file = path.join(dir, 'audit', 'audit.jsonl');
  let checked = false;
  return {
    append: (entry) =>
      queue.run(file, async () => {
        const line = auditLine(entry, 'audit/audit.jsonl');
        await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
        // Once per process: an append cut short by a crash left a line without its newline; it is cut off.
        if (!checked) {
          await cutTornTail(file);
          checked = true;
        }
        await appendFile(file, line);
      }),
    async list() {
      const { entries, problems } = readAudit(await readFile(file, 'utf8').catch(() => ''), 'audit/audit.jsonl');
      if (problems.length) throw new StoreReadError(problems);
      return entries;
    },
  };
}

/** One audit line, validated as it will be read; throws a StoreWriteError (nothing appended) otherwise. */
export function auditLine(entry: AuditEntry, file: string): string {
  const line = JSON.stringify(entry);
  const back = AuditEntrySchema.safeParse(JSON.parse(line));
  if (!back.success) throw new StoreWriteError({ file, record: entry.action, ...issueOf(back.error) });
  return `${line}\n`;
}

/** Truncates a JSON-lines file after its last newline (what a crash in the middle of an append leaves). */
export async function cutTornTail(file: string): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => '');
  if (!text || text.endsWith('\n')) return;
  await truncate(file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
}

/** The entries of the audit log's text, and the lines that cannot be read (named by their line number). */
export function readAudit(text: string, file: string): { entries: AuditEntry[]; problems: RecordProblem[] } {
  const entries: AuditEntry[] = [];
  const problems: RecordProblem[] = [];
  // A last line without its newline is an append cut short by a crash (never acknowledged, like a temporary
  // file): not part of the log. The next append removes it.
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  complete.split('\n').forEach((line, i) => {
    if (!line) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      problems.push({ file, record: `line ${i + 1}`, field: '(line)', rule: 'not valid JSON' });
      return;
    }
    const parsed = AuditEntrySchema.safeParse(raw);
    if (parsed.success) entries.push(parsed.data);
    else problems.push({ file, record: `line ${i + 1}`, ...issueOf(parsed.error) });
  });
  return { entries, problems };
}
