import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

/** A data file that cannot be used; the message names the file, the entry and the field. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly entry: string | undefined,
    readonly field: string | undefined,
    readonly reason: string,
  ) {
    const where = [entry && `entry "${entry}"`, field && `field "${field}"`].filter(Boolean).join(', ');
    super(`${file}: ${where ? `${where}: ` : ''}${reason}`);
    this.name = 'DataFileError';
  }
}

type PathKey = PropertyKey;

/**
 * Names the entry a zod issue path points into: the first array element (by its `id` when it has one)
 * or, in a file keyed by entry id, the first key. The rest of the path is the field.
 */
export function locateIssue(raw: unknown, issuePath: readonly PathKey[]): { entry?: string; field?: string } {
  let node: unknown = raw;
  for (let i = 0; i < issuePath.length; i++) {
    const key = issuePath[i];
    if (Array.isArray(node) && typeof key === 'number') {
      const el: unknown = node[key];
      const id = el && typeof el === 'object' && 'id' in el ? String((el as { id: unknown }).id) : `#${key + 1}`;
      const rest = issuePath
        .slice(i + 1)
        .map(String)
        .join('.');
      return { entry: id, field: rest || undefined };
    }
    node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key as string] : undefined;
  }
  if (issuePath.length >= 2) return { entry: String(issuePath[0]), field: issuePath.slice(1).map(String).join('.') };
  return { field: issuePath.length ? String(issuePath[0]) : undefined };
}

/** Parses already-read JSON text against a schema, or throws a DataFileError naming the place. */
export function parseData<S extends z.ZodType>(file: string, text: string, schema: S): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new DataFileError(file, undefined, undefined, `not valid JSON (${(err as Error).message})`);
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const { entry, field } = locateIssue(raw, issue.path);
  throw new DataFileError(file, entry, field, issue.message);
}

/** Reads and validates a JSON data file; `file` is shown relative to the working directory. */
export function loadData<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  const shown = path.relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DataFileError(
      shown,
      undefined,
      undefined,
      `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  return parseData(shown, text, schema);
}
