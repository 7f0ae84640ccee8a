import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/**
 * A database of the tests' PostgreSQL server (test/postgres-setup.ts) of one's own: a fresh schema, named in
 * the URL's search_path, so test files running at once never see each other's tables or locks. `drop()`
 * removes it.
 */
export async function freshDatabase(): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const base = inject('postgresUrl');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    schema,
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}
