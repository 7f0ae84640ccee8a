import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Database } from './db.ts';
import { sourceFile } from '../../paths.ts';

const FOLDER = sourceFile('store', 'postgres', 'migrations');

/** One schema step: `migrations/<nnn>-<name>.sql`, applied once, in order, never changed once released. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The steps in `folder`, by number; a file that does not follow the naming is an error, not skipped. */
export function migrations(folder = FOLDER): Migration[] {
  const steps = readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const m = /^(\d{3})-([a-z0-9-]+)\.sql$/.exec(file);
      if (!m) throw new Error(`${path.join(folder, file)}: a migration is named <nnn>-<name>.sql`);
      return { version: Number(m[1]), name: m[2]!, sql: readFileSync(path.join(folder, file), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  steps.forEach((s, i) => {
    if (s.version !== i + 1) throw new Error(`${folder}: migration ${i + 1} is missing (found ${s.version})`);
  });
  return steps;
}

/** What `migrate` did: the versions applied now, and the schema's version after it. */
export interface MigrateResult {
  applied: Migration[];
  version: number;
}

/**
 * Brings the database's schema to the program's version: the steps not yet recorded in `gnlc_migrations` run
 * with their records in one transaction (all of them or none). Instances starting together wait for
 * each other (an advisory lock), so a step runs once. A database whose schema is newer than the program is
 * refused, untouched.
 */
export async function migrate(db: Database, steps = migrations()): Promise<MigrateResult> {
  return db.transaction(['migrate'], async () => {
    await db.query(
      `CREATE TABLE IF NOT EXISTS gnlc_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = await db.query<{ version: number }>('SELECT version FROM gnlc_migrations ORDER BY version');
    const have = done.rows.map((r) => r.version);
    const newest = have.at(-1) ?? 0;
    if (newest > steps.length) {
      throw new Error(
        `the database's schema is at version ${newest}, newer than this program's ${steps.length}` +
          ' (written by a later release): upgrade the program',
      );
    }
    const applied: Migration[] = [];
    for (const step of steps) {
      if (have.includes(step.version)) continue;
      await db.query(step.sql);
      await db.query('INSERT INTO gnlc_migrations (version, name) VALUES ($1, $2)', [step.version, step.name]);
      applied.push(step);
    }
    return { applied, version: steps.length };
  });
}
