import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeProblem, StoreReadError, type RecordProblem } from '../core/store-errors.ts';
import { SHARD_VERSION, readRecordFile, recordCodec, shardCodec, unlinkIfThere, type FileCodec } from './files.ts';
import { readAudit } from './audit-log.ts';
import { ADDRESS, ALERT, CONVERSATION } from './records.ts';

/** The record folders of the embedded store: `<folder>/<sub>/<file>.json`, and the codec of their files. */
const FOLDERS: [string, FileCodec<unknown>][] = [
  ['conversations', recordCodec(CONVERSATION) as FileCodec<unknown>],
  ['addresses', recordCodec(ADDRESS) as FileCodec<unknown>],
  ['alerts', recordCodec(ALERT) as FileCodec<unknown>],
  ['applications', shardCodec as FileCodec<unknown>],
];
const AUDIT = path.join('audit', 'audit.jsonl');

/** Whether a file name is one the store reads (not a temporary file of a write, not a file set aside). */
const isRecordFile = (name: string) => name.endsWith('.json') && !name.startsWith('.');

/**
 * Reads every record of the store under `dir` the way the store reads it, changing nothing, and lists what
 * cannot be read: not JSON, not valid at its version after migration, of a newer version than this program,
 * an application in the wrong shard, an audit line that does not parse. Records of an older version that
 * migrate are fine. The server refuses to start on any problem; `gnlc verify` prints them.
 */
export async function verifyStore(dir: string): Promise<RecordProblem[]> {
  const problems: RecordProblem[] = [];
  for (const [folder] of FOLDERS) problems.push(...(await readFolder(dir, folder)).problems);
  const audit = await readFile(path.join(dir, AUDIT), 'utf8').catch(() => '');
  problems.push(...readAudit(audit, AUDIT).problems);
  return problems;
}

/**
 * The records of one folder of the store under `dir` as read from its files (applications: their shards), in
 * file order; StoreReadError for any that cannot be read. Keyed records may appear twice (today's file name
 * and the one an earlier version gave): read a key through the store to get the one it serves.
 */
export async function folderRecords(dir: string, folder: string): Promise<unknown[]> {
  const { values, problems } = await readFolder(dir, folder);
  if (problems.length) throw new StoreReadError(problems);
  return values;
}

/** Every record file of a folder read as the store reads it: the records, and the problems of those that fail. */
async function readFolder(dir: string, folder: string): Promise<{ values: unknown[]; problems: RecordProblem[] }> {
  const codec = FOLDERS.find(([f]) => f === folder)![1];
  const values: unknown[] = [];
  const problems: RecordProblem[] = [];
  for (const sub of await subfolders(path.join(dir, folder))) {
    for (const name of await names(path.join(dir, folder, sub))) {
      if (!isRecordFile(name)) continue;
      const rel = path.join(folder, sub, name);
      const read = await readRecordFile(path.join(dir, rel), rel, codec);
      if ('problems' in read) problems.push(...read.problems);
      else if (read.value !== undefined) values.push(read.value);
    }
  }
  return { values, problems };
}

/** What `gnlc repair` did to one file. */
export interface RepairOutcome {
  /** The file, relative to the data folder. */
  file: string;
  problems: RecordProblem[];
  /** Where the file as it was is kept (relative to the data folder); none when nothing was changed. */
  backup?: string;
  /** Records (or audit lines) kept in the file; 0 when the file was removed. */
  kept: number;
  /** The records taken out (their ids, keys or line numbers). */
  removed: string[];
}

/**
 * Sets a damaged file aside, only when an operator asks (`gnlc repair --file F`): the file as it was is
 * copied to `repair/<time>/<path>` under the data folder, then the records that read are kept (an
 * applications shard, the audit log) and the file is written without the others, or removed when it holds
 * one record. A file without a problem is left as it is. Stop the server first: it may hold the file open.
 */
export async function repairFile(dir: string, file: string, now: Date): Promise<RepairOutcome> {
  const abs = path.resolve(dir, file);
  const rel = path.relative(dir, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel))
    throw new RepairError(`${file} is not inside the data folder ${dir}`);
  const folder = rel.split(path.sep)[0]!;
  const isAudit = rel === AUDIT;
  const codec = FOLDERS.find(([f]) => f === folder)?.[1];
  if (!isAudit && (!codec || rel.split(path.sep).length !== 3 || !isRecordFile(path.basename(rel)))) {
    throw new RepairError(
      `${rel} is not a record file of the store (conversations, addresses, alerts, applications or ${AUDIT})`,
    );
  }
  const text = await readFile(abs, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new RepairError(`${rel} cannot be read (${err.code ?? 'error'})`);
  });
  const problems = isAudit ? readAudit(text, rel).problems : await fileProblems(abs, rel, codec!);
  if (!problems.length) return { file: rel, problems, kept: -1, removed: [] };

  const backup = path.join('repair', now.toISOString().replace(/[:.]/g, '-'), rel);
  await mkdir(path.dirname(path.join(dir, backup)), { recursive: true, mode: 0o700 });
  await copyFile(abs, path.join(dir, backup));

  if (isAudit) {
    const { entries } = readAudit(text, rel);
    await writeFile(abs, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    return { file: rel, problems, backup, kept: entries.length, removed: [...new Set(problems.map((p) => p.record!))] };
  }
  if (folder === 'applications') {
    const salvaged = salvageShard(text, rel);
    if (salvaged?.kept.length) {
      const { text: out } = shardCodec.encode({ version: SHARD_VERSION, applications: salvaged.kept as never[] }, rel);
      await writeFile(abs, out);
      return {
        file: rel,
        problems,
        backup,
        kept: salvaged.kept.length,
        removed: [...new Set(problems.map((p) => p.record ?? '(file)'))],
      };
    }
  }
  await unlinkIfThere(abs);
  return { file: rel, problems, backup, kept: 0, removed: [problems[0]?.record ?? rel] };
}

/** A repair that cannot be done as asked (the file is not the store's, or not there). */
export class RepairError extends Error {}

async function fileProblems(abs: string, rel: string, codec: FileCodec<unknown>): Promise<RecordProblem[]> {
  const read = await readRecordFile(abs, rel, codec);
  return 'problems' in read ? read.problems : [];
}

/** The applications of a damaged shard that read on their own (at the current version), when its list is readable. */
function salvageShard(text: string, rel: string): { kept: unknown[] } | undefined {
  let raw: { version?: unknown; applications?: unknown };
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (raw?.version !== SHARD_VERSION || !Array.isArray(raw.applications)) return undefined;
  const ids = new Set<string>();
  const kept = raw.applications.flatMap((app) => {
    const one = shardCodec.decode({ version: SHARD_VERSION, applications: [app] }, rel);
    if ('problems' in one || ids.has(one.value.applications[0]!.id)) return [];
    ids.add(one.value.applications[0]!.id);
    return one.value.applications;
  });
  return { kept };
}

async function subfolders(folder: string): Promise<string[]> {
  return (await readdir(folder, { withFileTypes: true }).catch(() => []))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

async function names(folder: string): Promise<string[]> {
  return (await readdir(folder, { withFileTypes: true }).catch(() => []))
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
}

export { describeProblem };
