/**
 * The web chat in a real browser: Debian's Chromium driven by playwright-core opens /chat on the server as
 * createApp wires it, asks in French and in Arabic, fills a whole application by typing and by clicking the
 * cards' buttons, reloads the page in the middle and goes on, submits, keeps a screenshot in artifacts/, and
 * lets a commission's endorser in through an invitation link to endorse it.
 * `.ci/run` installs the chromium package when it is missing; elsewhere the test is skipped, and says so.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.ts';
import { FIELDS } from '../../../src/core/application/form.ts';
import { validAnswers } from '../../conversation.ts';
import { movableClock, startWeb } from './harness.ts';

const CHROMIUM = process.env.GNLC_CHROMIUM ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) console.warn(`web chat browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
const ARTIFACTS = path.resolve(import.meta.dirname, '../../../artifacts');
const KIND = new Map(FIELDS.map((f) => [f.key, f.kind]));

let browser: Browser;
let app: App;
let base: string;

describe.skipIf(!present)('web chat in Chromium', () => {
  beforeAll(async () => {
    ({ app, base } = await startWeb({ clock: movableClock('2025-06-01T10:00:00Z') }));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  /** Opens /chat in a browser of `locale`; resolves once the greeting is shown. */
  async function open(locale: string): Promise<Page> {
    const context = await browser.newContext({ locale, timezoneId: 'Europe/Berlin' });
    const page = await context.newPage();
    await page.goto(`${base}/chat`);
    await page.locator('.webchat__basic-transcript__activity').first().waitFor({ timeout: 20_000 });
    return page;
  }

  const input = (page: Page) => page.locator('[data-id="webchat-sendbox-input"]');
  const activities = (page: Page) => page.locator('.webchat__basic-transcript__activity');

  /** Sends a message and waits for the bot's answer to show (more activities on the page, then no change). */
  async function send(page: Page, act: () => Promise<void>, shown = 1): Promise<string> {
    const before = await activities(page).count();
    await act();
    // A typed message shows itself and the answer; a press (a card's postBack) only the answer.
    await expect.poll(() => activities(page).count(), { timeout: 15_000 }).toBeGreaterThan(before + shown);
    // Then until nothing more arrives (the page polls every second).
    for (let n = -1, now = await activities(page).count(); n !== now; now = await activities(page).count()) {
      n = now;
      await page.waitForTimeout(1200);
    }
    return ((await activities(page).last().textContent()) ?? '').trim();
  }
  const say = (page: Page, text: string) =>
    send(
      page,
      async () => {
        await input(page).fill(text);
        await input(page).press('Enter');
      },
      1,
    );
  const click = (page: Page, label: string) =>
    send(page, () => activities(page).last().getByRole('button', { name: label, exact: true }).click(), 0);

  it('answers a question in French and one in Arabic, right to left', async () => {
    const fr = await open('fr-FR');
    expect(await fr.locator('html').getAttribute('lang')).toBe('fr');
    const answer = await say(fr, 'Quelle est la date limite pour les villes ?');
    expect(answer).toContain(app.core.assistant.answers.callSummary('fr', app.core.clock.now()).slice(0, 40));
    const ar = await open('ar-EG');
    expect(await ar.locator('html').getAttribute('dir')).toBe('rtl');
    const arabic = await say(ar, 'ما هو الموعد النهائي لتقديم الطلب؟');
    expect(arabic).toContain(app.core.assistant.answers.callSummary('ar', app.core.clock.now()).slice(0, 30));
    await fr.context().close();
    await ar.context().close();
  }, 90_000);

  it('fills a whole application by typing and clicking, survives a reload, and submits it', async () => {
    const t = app.core.i18n.t;
    const answers = validAnswers('en', t);
    const page = await open('en-GB');
    const secret = await page.evaluate<string | null>('localStorage.getItem("gnlc.visitor")');
    expect(secret).toBeTruthy();
    await say(page, 'I want to apply');
    const key = async () => {
      const user = await page.evaluate<string | null>('localStorage.getItem("gnlc.visitor")');
      const { createHash } = await import('node:crypto');
      return `web:${createHash('sha256').update(user!).digest('hex').slice(0, 32)}`;
    };
    const field = async () => (await app.store.conversations.get(await key()))?.intake;
    let reloaded = false;
    for (let i = 0; i < 60; i++) {
      const intake = await field();
      if (intake?.mode !== 'filling' || !intake.field) break;
      const name = intake.field;
      if (name === 'contact.lastName' && !reloaded) {
        reloaded = true;
        await page.reload();
        await activities(page).first().waitFor({ timeout: 20_000 });
        expect(await page.evaluate<string | null>('localStorage.getItem("gnlc.visitor")')).toBe(secret);
        await say(page, 'continue');
        expect((await field())?.field).toBe(name);
      }
      const kind = KIND.get(name);
      if (kind === 'choice' && name !== 'interests') await click(page, answers[name]!);
      else if (kind === 'confirm') await click(page, t('en', 'form:buttons.yes'));
      else await say(page, answers[name] ?? '');
      if ((await field())?.field === 'interests' && name === 'interests')
        await click(page, t('en', 'form:buttons.done'));
    }
    expect(reloaded).toBe(true);
    expect((await field())?.mode).toBe('review');
    await click(page, t('en', 'form:buttons.submit'));
    await click(page, t('en', 'form:buttons.yes'));
    const submitted = await app.store.applications.listByCycle('2025');
    expect(submitted).toHaveLength(1);
    expect(submitted[0]).toMatchObject({ status: 'submitted', applicant: { platform: 'web', key: await key() } });
    expect(submitted[0]!.answers['city.name']).toBe(answers['city.name']);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-chat.png') });
    await page.context().close();
  }, 240_000);

  it("admits a commission's endorser from an invitation link, shows the application, takes the decision", async () => {
    const [submitted] = await app.store.applications.listByCycle('2025');
    expect(submitted).toBeDefined();
    const { token } = app.platforms.web.invitations.issue({ country: submitted!.country, name: 'Anna Berg' }, 7);
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Berlin' });
    const page = await context.newPage();
    await page.goto(`${base}/chat#invite=${token}`);
    // The page takes the invitation out of its address at once (no reload, bookmark or screen share carries it).
    await expect.poll(() => page.url()).toBe(`${base}/chat`);
    const t = app.core.i18n.t;
    await expect
      .poll(() => page.locator('#webchat').textContent(), { timeout: 20_000 })
      .toContain(t('en', 'endorse:invitation.added', { name: 'Anna Berg' }).slice(0, 30));
    await expect.poll(() => page.locator('#webchat').textContent(), { timeout: 20_000 }).toContain(submitted!.id);
    await click(page, t('en', 'endorse:buttons.endorse'));
    await expect
      .poll(async () => (await app.store.applications.get(submitted!.id))?.status, { timeout: 15_000 })
      .toMatch(/endorsed|forwarded/);
    await context.close();
  }, 90_000);
});
