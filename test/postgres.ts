import { inject } from 'vitest';
import { freshSchema } from './embedded-postgres.ts';

/**
 * A database of the tests' PostgreSQL server (test/postgres-setup.ts) of one's own: a fresh schema, named in
 * the URL's search_path, so test files running at once never see each other's tables or locks. `drop()`
 * removes it.
 */
export function freshDatabase(): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  return freshSchema(inject('postgresUrl'));
}
