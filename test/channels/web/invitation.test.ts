/**
 * A National Commission on the web chat: a coordinator's signed, expiring invitation link (`gnlc invite`) makes
 * the first browser that opens it an endorser of that commission; a second browser, a forged or expired link,
 * or a visitor's own token used as a link are refused with nothing changed. The endorser decides on the card
 * with its buttons, and the applicant, whose page is closed, finds the notice when they come back, across
 * restarts of the server.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.ts';
import { ENDORSE_ACTIONS } from '../../../src/core/actions.ts';
import { memoryRouting } from '../../../src/core/endorsement/routing.ts';
import { createMemoryStore } from '../../../src/store/memory.ts';
import { submitApplication } from '../../endorsement-world.ts';
import { cli } from '../../helpers.ts';
import { movableClock, startWeb, textOf, Visitor } from './harness.ts';

const SECRET = 'a-web-secret-for-these-tests-only-0123456789';
let running: App | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** `gnlc invite` as a coordinator runs it, with the server's secret; resolves to the link's token. */
async function invite(args: string[]): Promise<{ token: string; stdout: string }> {
  const before = process.env.GNLC_WEB_SECRET;
  process.env.GNLC_WEB_SECRET = SECRET;
  try {
    const r = await cli(['invite', ...args]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const token = /\/chat#invite=([A-Za-z0-9_.-]+)/.exec(r.stdout)?.[1];
    expect(token).toBeTruthy();
    return { token: token!, stdout: r.stdout };
  } finally {
    if (before === undefined) delete process.env.GNLC_WEB_SECRET;
    else process.env.GNLC_WEB_SECRET = before;
  }
}

/** The Action.Submit data of a button of the cards in `activities`, found by its action id. */
function button(activities: any[], action: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  const walk = (v: any) => {
    if (found || !v || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(walk);
    if (v.type === 'Action.Submit' && v.data?.action === action) found = v.data;
    for (const k of Object.keys(v)) walk(v[k]);
  };
  walk(activities);
  return found;
}

describe('web chat: a commission through a signed invitation link', () => {
  it("admits the first browser only, decides with the card, keeps the applicant's notice across restarts", async () => {
    const clock = movableClock('2025-06-01T10:00:00Z');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gnlc-web-invite-'));
    const env = { GNLC_WEB_SECRET: SECRET, GNLC_DATA_DIR: dataDir };
    const store = createMemoryStore();
    const routing = memoryRouting();
    let { app, base } = await startWeb({ clock, env, store, routing });
    running = app;
    const t = app.core.i18n.t;

    const { token, stdout } = await invite([
      ...['--country', 'ke', '--name', 'Amina Diallo', '--email', 'amina@natcom.example.org', '--days', '10'],
      ...['--url', base],
    ]);
    expect(stdout).toContain(`${base}/chat#invite=`);
    expect(stdout).toContain('Amina Diallo');

    // The endorser opens the link in a French browser: admitted, and told so in French.
    const endorser = new Visitor(base, 'fr-FR');
    const welcome = textOf(await endorser.open(token));
    expect(endorser.invitation).toBe('added');
    expect(endorser.endorser).toBe(true);
    expect(welcome).toContain(t('fr', 'endorse:invitation.added', { name: 'Amina Diallo' }).slice(0, 30));
    // Nothing waits for a decision yet, and the endorser is told so.
    expect(welcome).toContain(t('fr', 'endorse:none_waiting'));
    const ke = routing.snapshot().commissions.KE!;
    expect(ke.room).toEqual({ channel: 'web', id: 'commission-KE' });
    // A commission with no language of its own gets its first endorser's: its cards are in French.
    expect(ke.lang).toBe('fr');
    expect(ke.endorsers).toEqual([
      expect.objectContaining({ channel: 'web', user: endorser.user, name: 'Amina Diallo' }),
    ]);
    // The same browser with the same link again (a reload before the page took it out of the address).
    await endorser.open(token);
    expect(endorser.invitation).toBe('already');

    // Another browser with the same link, a forged link, a visitor's token as a link: refused, nothing changed.
    const configured = routing.snapshot();
    const thief = new Visitor(base, 'en-GB');
    expect(textOf(await thief.open(token))).toContain(t('en', 'endorse:invitation.used', { email: '' }).slice(0, 40));
    expect(thief.invitation).toBe('used');
    expect(thief.endorser).toBe(false);
    const [payload, signature] = token.split('.');
    const forged = Buffer.from(Buffer.from(payload!, 'base64url').toString('utf8').replace('"KE"', '"FR"')).toString(
      'base64url',
    );
    await new Visitor(base).open(`${forged}.${signature}`);
    const stranger = new Visitor(base);
    await stranger.open();
    const visitorToken = stranger.token;
    await stranger.open(visitorToken);
    expect(stranger.invitation).toBe('invalid');
    expect(routing.snapshot()).toEqual(configured);
    // Every use of the genuine link is audited; the made-up ones name nobody and are not.
    const refused = (await store.audit.list()).filter((e) => e.action === 'add_endorser').map((e) => e.outcome);
    expect(refused).toEqual(['done', 'invitation_already', 'invitation_used']);

    // An applicant on the web submits for Kenya: the card reaches the endorser's open page.
    const applicant = new Visitor(base, 'en-GB');
    await applicant.open();
    const id = await submitApplication(app.core, applicant.user, 'Kisumu', 'KE', 'web');
    const card = await endorser.read();
    expect(textOf(card)).toContain(id);
    expect(JSON.stringify(card)).toContain(t('fr', 'endorse:buttons.endorse'));
    const endorse = button(card, ENDORSE_ACTIONS.endorse);
    expect(endorse).toBeDefined();

    // The thief posts the card's button as a press in their own chat: no such card there, nothing decided.
    expect(await thief.press(endorse!)).toEqual([]);
    expect((await store.applications.get(id))?.status).toBe('submitted');

    // The server restarts; the applicant's page is closed. The endorser comes back and endorses.
    await app.stop();
    ({ app, base } = await startWeb({ clock, env, store, routing }));
    running = app;
    // Their page keeps no history: the application waiting for their decision is shown again as they open it.
    const waiting = await endorser.at(base).open();
    expect(textOf(waiting)).toContain(id);
    expect(button(waiting, ENDORSE_ACTIONS.endorse)).toEqual(endorse);
    const decided = textOf(await endorser.press(endorse!));
    expect(decided.length).toBeGreaterThan(0);
    // The decision is the endorser's, by the name the invitation gave (the web chat has no other).
    expect((await store.applications.get(id))?.decision?.by.name).toBe('Amina Diallo');
    expect((await store.applications.get(id))?.status).toMatch(/endorsed|forwarded/);
    const keptFile = path.join(dataDir, 'web-kept', `${applicant.user}.jsonl`);
    expect(existsSync(keptFile)).toBe(true);

    // Another restart; the applicant opens the page: the welcome, then the notice kept for them.
    await app.stop();
    ({ app, base } = await startWeb({ clock, env, store, routing }));
    running = app;
    const back = textOf(await applicant.at(base).open());
    expect(back).toContain(id);
    expect(back).toContain(t('en', 'endorse:applicant.endorsed_forwarded', { id }).slice(0, 10));
    expect(readdirSync(path.join(dataDir, 'web-kept'))).toEqual([]);
    // Delivered once: once the page has read it (its next poll), opening again brings the welcome only.
    await applicant.read();
    expect(textOf(await applicant.open())).not.toContain(
      t('en', 'endorse:applicant.endorsed_forwarded', { id }).slice(0, 10),
    );
  }, 60_000);

  it('refuses an expired link, and gnlc invite refuses to make links the server could not check', async () => {
    const clock = movableClock('2025-06-01T10:00:00Z');
    const { app, base } = await startWeb({ clock, env: { GNLC_WEB_SECRET: SECRET } });
    running = app;
    const { token } = app.platforms.web.invitations.issue({ country: 'DE', name: 'Ben Weber' }, 1);
    clock.advance(25 * 3_600_000);
    const late = new Visitor(base, 'es-ES');
    const text = textOf(await late.open(token));
    expect(late.invitation).toBe('expired');
    expect(text).toContain(app.core.i18n.t('es', 'endorse:invitation.expired', { email: '' }).slice(0, 30));
    expect(app.core.routing.snapshot().commissions.DE).toBeUndefined();

    const before = process.env.GNLC_WEB_SECRET;
    delete process.env.GNLC_WEB_SECRET;
    try {
      const none = await cli(['invite', '--country', 'KE', '--name', 'Amina Diallo']);
      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/GNLC_WEB_SECRET/);
    } finally {
      if (before !== undefined) process.env.GNLC_WEB_SECRET = before;
    }
    for (const bad of [
      ['--country', 'XX', '--name', 'A'],
      ['--country', 'KE'],
      ['--country', 'KE', '--name', 'A', '--days', '400'],
      ['--country', 'KE', '--name', 'A', '--email', 'not-an-address'],
    ]) {
      const r = await cli(['invite', ...bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^gnlc: invite: /);
    }
  });
});
