import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEmbeddedStore } from '../../src/store/copy.ts';
import { migrate, migrations } from '../../src/store/postgres/migrate.ts';
import { createPostgresStore } from '../../src/store/postgres/index.ts';
import { StoreReadError } from '../../src/core/store-errors.ts';
import { APPLICATION_VERSION } from '../../src/core/records.ts';
import { copyToTemp, cli } from '../helpers.ts';
import { freshDatabase } from '../postgres.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/store-v1');
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const d of drops) await d();
});
async function database() {
  const db = await freshDatabase();
  drops.push(db.drop);
  return db;
}

describe('the PostgreSQL schema', () => {
  it('is created by numbered migrations once, also by instances starting together, and then left alone', async () => {
    const { url } = await database();
    const stores = [1, 2, 3].map(() => createPostgresStore({ url, pool: 2 }));
    const results = await Promise.all(stores.map((s) => migrate(s.db)));
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, migrations().length]);
    const rows = await stores[0]!.db.query('SELECT version, name FROM gnlc_migrations ORDER BY version');
    expect(rows.rows).toEqual(migrations().map((m) => ({ version: m.version, name: m.name })));
    for (const s of stores) await s.close();
  });

  it('refuses a database whose schema is newer than the program, and changes nothing', async () => {
    const { url } = await database();
    const store = createPostgresStore({ url, pool: 2 });
    await store.migrate();
    const later = migrations().length + 1;
    await store.db.query("INSERT INTO gnlc_migrations (version, name) VALUES ($1, 'later')", [later]);
    await expect(store.migrate()).rejects.toThrow(`schema is at version ${later}, newer than this program's`);
    await store.close();
  });

  it('migrates a record of an older version on read, as the embedded store does', async () => {
    const { url } = await database();
    const store = createPostgresStore({ url, pool: 2 });
    await store.migrate();
    const [old] = (await readEmbeddedStore(copyToTemp(FIXTURE))).applications;
    // Stored as version 1 wrote it: no `before` on a change, no pledge date among the answers.
    const v1 = { ...old, version: 1, changes: [{ field: 'city.name', after: 'x' }], answers: { ...old!.answers } };
    delete (v1.answers as Record<string, unknown>)['pledge.date'];
    await store.db.query('INSERT INTO applications (id, cycle, country, n, record) VALUES ($1, $2, $3, 1, $4)', [
      old!.id,
      old!.cycle,
      old!.country,
      JSON.stringify(v1),
    ]);
    const read = await store.applications.get(old!.id);
    expect(read).toMatchObject({ version: APPLICATION_VERSION, changes: [{ before: null, after: 'x' }] });
    expect(read!.answers['pledge.date']).toBe(old!.pledgeDate);
    await store.db.query('UPDATE applications SET record = record || \'{"version": 99}\'');
    await expect(store.applications.get(old!.id)).rejects.toBeInstanceOf(StoreReadError);
    await store.close();
  });
});

describe('gnlc migrate and gnlc copy', () => {
  it('copies an embedded store into an empty database, every record equal, and refuses a second copy', async () => {
    const { url } = await database();
    const dir = copyToTemp(FIXTURE);
    const source = await readEmbeddedStore(dir);
    expect(source.applications.length).toBeGreaterThan(0);
    expect(await cli(['migrate', '--to', url])).toMatchObject({ code: 0 });
    const copied = await cli(['copy', '--from', dir, '--to', url]);
    expect(copied.stderr).toContain('every record read back equal');
    expect(copied.code).toBe(0);
    expect(copied.stdout).toContain(`conversations\t${source.conversations.length}\n`);
    expect(copied.stdout).toContain(`applications\t${source.applications.length}\n`);
    expect(copied.stdout).toContain(`audit\t${source.audit.length}\n`);

    const store = createPostgresStore({ url, pool: 2 });
    const convs: unknown[] = [];
    await store.conversations.scan((c) => convs.push(c));
    expect(convs.length).toBe(source.conversations.length);
    expect(await store.applications.listByCycle('2025')).toEqual(source.applications);
    expect(await store.audit.list()).toEqual(source.audit);
    for (const a of source.alerts) expect(await store.alerts.get(a.key)).toEqual(a);
    for (const a of source.addresses) expect(await store.addresses.get(a.key)).toEqual(a);
    // A new submission numbers after the copied ones.
    const added = await store.applications.add(
      '2025',
      'DE',
      (id) => ({ ...source.applications.find((a) => a.country === 'DE')!, id, cityKey: 'new' }),
      () => false,
    );
    expect(Number(added.application.id.slice(-3))).toBe(
      source.applications.filter((a) => a.country === 'DE').length + 1,
    );
    await store.close();

    const again = await cli(['copy', '--from', dir, '--to', url]);
    expect(again).toMatchObject({ code: 1 });
    expect(again.stderr).toContain('already holds records');
  });

  it('gnlc verify reads every row of the database and names the one that does not read', async () => {
    const { url } = await database();
    expect(await cli(['copy', '--from', copyToTemp(FIXTURE), '--to', url])).toMatchObject({ code: 0 });
    const before = process.env.GNLC_DATABASE_URL;
    process.env.GNLC_DATABASE_URL = url;
    try {
      expect(await cli(['verify'])).toMatchObject({ code: 0, stderr: expect.stringContaining('every record') });
      const store = createPostgresStore({ url, pool: 2 });
      await store.db.query(
        "UPDATE applications SET record = jsonb_set(record, '{status}', '\"lost\"') WHERE id = 'GNLC-2025-KE-001'",
      );
      await store.close();
      const damaged = await cli(['verify']);
      expect(damaged.code).toBe(1);
      expect(damaged.stdout).toContain('postgres:applications: GNLC-2025-KE-001: status');
    } finally {
      if (before === undefined) delete process.env.GNLC_DATABASE_URL;
      else process.env.GNLC_DATABASE_URL = before;
    }
  });

  it('says what is wrong with a missing or wrong target', async () => {
    expect((await cli(['copy', '--to', 'postgres://x@127.0.0.1/x'])).stderr).toContain('--from DIR');
    const wrong = await cli(['migrate', '--to', 'mysql://x']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('GNLC_DATABASE_URL');
  });
});
