import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../src/store/postgres/index.ts';
import { startTeams, TeamsUser, type TeamsApp } from '../channels/teams/harness.ts';
import { freshDatabase } from '../postgres.ts';

/**
 * Teams (like Slack) may deliver one activity again, and behind a load balancer the second delivery can reach
 * another instance: the activity's id is claimed in the database, so it is answered once.
 */
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

describe('one activity delivered to two instances', () => {
  it('is answered once', async () => {
    const db = await freshDatabase();
    closers.push(db.drop);
    const apps: TeamsApp[] = [];
    for (let i = 0; i < 2; i++) {
      const store = createPostgresStore({ url: db.url, pool: 4 });
      await store.migrate();
      const app = await startTeams({ store });
      closers.push(() => app.close());
      apps.push(app);
    }
    const [a, b] = apps as [TeamsApp, TeamsApp];
    const user = new TeamsUser(a, { locale: 'en-US' }); // its activities name a's connector: both answer there
    const activity = user.activity('message', { text: 'Who can apply?' });
    const [ra, rb] = await Promise.all([a.post(activity), b.post(activity)]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    expect((await b.post(activity)).status).toBe(200);
    expect(a.connector.messages).toHaveLength(1);
    expect(b.connector.messages).toHaveLength(0);
    // Another activity of the same person is answered, by either instance.
    await b.post(user.activity('message', { text: 'What are the benefits?' }));
    expect(a.connector.messages).toHaveLength(2);
  });
});
