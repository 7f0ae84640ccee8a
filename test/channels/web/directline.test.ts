/**
 * The web chat's Direct Line endpoint over HTTP on 127.0.0.1, as createApp wires it: sessions, conversations,
 * activities by watermark, the bot's answers and cards; and what a stranger cannot do with it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.ts';
import { MAX_TEXT } from '../../../src/core/assistant.ts';
import { call, movableClock, startWeb, textOf, Visitor } from './harness.ts';

const OPEN = '2025-06-01T10:00:00Z';
let running: App | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(env: Record<string, string> = {}) {
  const clock = movableClock(OPEN);
  const { app, base } = await startWeb({ clock, env });
  running = app;
  return { app, base, clock };
}

describe('web chat: Direct Line endpoint', () => {
  it('greets a visitor in their language and answers questions in French and Arabic', async () => {
    const { app, base } = await start();
    const fr = new Visitor(base, 'fr-FR');
    const greeting = await fr.open();
    expect(textOf(greeting)).toContain(app.core.i18n.t('fr', 'common:greeting').slice(0, 30));
    const answer = await fr.say('Quelle est la date limite pour les villes ?');
    expect(answer.length).toBeGreaterThan(0);
    expect(textOf(answer)).toMatch(/2025/);
    const ar = new Visitor(base, 'ar');
    await ar.open();
    const arabic = await ar.say('من يمكنه التقدم بطلب للانضمام إلى الشبكة؟');
    expect(textOf(arabic)).toMatch(/[\u0600-\u06FF]/);
    expect(arabic[0].from.role).toBe('bot');
  });

  it("echoes the visitor's own messages with the page's clientActivityID, as Direct Line does", async () => {
    const { base } = await start();
    const v = new Visitor(base);
    await v.open();
    await v.post({ type: 'message', text: 'hello', channelData: { clientActivityID: 'page-1' } });
    const all = await call(base, 'GET', `/v3/directline/conversations/${v.conversation}/activities`, v.token);
    const echo = all.body.activities.find((a: any) => a.channelData?.clientActivityID === 'page-1');
    expect(echo).toMatchObject({ text: 'hello', from: { id: v.user, role: 'user' } });
    expect(Number(all.body.watermark)).toBe(all.body.activities.length);
  });

  it('serves the page with a Content-Security-Policy, framed only by GNLC_WEB_ORIGINS, and no icon', async () => {
    const { base } = await start({ GNLC_WEB_ORIGINS: 'https://www.example.org, https://city.example.net' });
    const page = await fetch(`${base}/chat`, { headers: { 'accept-language': 'ar-EG,ar;q=0.9' } });
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'self' https://www.example.org https://city.example.net");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    expect(html).toContain('<script src="/chat/app.js"></script>');
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    expect((await fetch(`${base}/chat/app.js`)).headers.get('content-type')).toBe('text/javascript');
    expect((await fetch(`${base}/favicon.ico`)).status).toBe(204);
    await expect(start({ GNLC_WEB_ORIGINS: 'www.example.org' })).rejects.toThrow(/GNLC_WEB_ORIGINS/);
  });

  it('shows a notice that reached a page closed before it read it on the next page, once', async () => {
    const { app, base } = await start();
    const v = new Visitor(base);
    await v.open();
    const notice = { lang: 'en' as const, text: 'Good news: your application was endorsed.' };
    // Written into the page that is open (it read a moment ago); the visitor closes it before its next read.
    await app.platforms.web.notifier.send(`web:user:${v.user}`, [notice]);
    const next = textOf(await v.open());
    expect(next).toContain(notice.text);
    // Closed as quickly, before its next read: the next page shows it again.
    expect(textOf(await v.open())).toContain(notice.text);
    // This page reads it: the page after it does not get it again.
    await v.read();
    expect(textOf(await v.open())).not.toContain(notice.text);
  });

  it('redraws a pressed card without its buttons, where it was, and drops a second press of it', async () => {
    const { base } = await start();
    const v = new Visitor(base);
    await v.open();
    await v.say('I want to apply');
    // The next question comes as a card with a "Back" button (one-shot: a question waiting for its answer).
    const asked = await v.say('Lübeck');
    const card = [...asked].reverse().find((a) => JSON.stringify(a.attachments ?? []).includes('Action.Submit'));
    expect(card).toBeDefined();
    const data = JSON.stringify(card.attachments).match(/"type":"Action.Submit","title":"[^"]*","data":(\{[^}]*\})/);
    expect(data).not.toBeNull();
    const pressed = JSON.parse(data![1]!);
    const answered = await v.press(pressed);
    const redrawn = answered.filter((a) => a.id === card.id);
    expect(redrawn).toHaveLength(1);
    expect(JSON.stringify(redrawn[0].attachments)).not.toContain('Action.Submit');
    expect(redrawn[0].timestamp).toBe(card.timestamp);
    expect(answered.filter((a) => a.id !== card.id).length).toBeGreaterThan(0);
    // The same button again (a double click): nothing happens.
    expect(await v.press(pressed)).toEqual([]);
  });

  it('keeps the visitor: a new page with the same secret continues the application where it was', async () => {
    const { app, base } = await start();
    const v = new Visitor(base);
    await v.open();
    await v.say('I want to apply');
    const question = textOf(await v.say('Lübeck'));
    const before = await app.store.conversations.get(`web:${v.user}`);
    expect(before?.intake?.answers['city.name']).toBe('Lübeck');
    const asked = before!.intake!.field;
    const firstConversation = v.conversation;
    const welcome = textOf(await v.open());
    expect(v.conversation).not.toBe(firstConversation);
    // The welcome back shows the draft in progress, with the city typed before.
    expect(welcome).toContain('Lübeck');
    const resumed = textOf(await v.say('continue'));
    expect(question.length).toBeGreaterThan(10);
    expect(resumed).toContain(question);
    const after = await app.store.conversations.get(`web:${v.user}`);
    expect(after?.intake?.field).toBe(asked);
    expect(after?.intake?.answers['city.name']).toBe('Lübeck');
    // Another browser (no secret) is another visitor, with nothing of the first one's.
    const other = new Visitor(base);
    await other.open();
    expect(other.user).not.toBe(v.user);
    expect(await app.store.conversations.get(`web:${other.user}`)).toBeUndefined();
  });

  it('refuses a forged, stolen or expired token and another visitor’s conversation, and changes nothing', async () => {
    const { app, base, clock } = await start();
    const a = new Visitor(base);
    const b = new Visitor(base);
    await a.open();
    await b.open();
    const path = (c: string) => `/v3/directline/conversations/${c}/activities`;
    const written = JSON.stringify(await app.store.conversations.get(`web:${a.user}`));
    // b's valid token on a's conversation.
    expect((await call(base, 'GET', path(a.conversation), b.token)).status).toBe(403);
    expect(
      (await call(base, 'POST', path(a.conversation), b.token, { type: 'message', text: 'I want to apply' })).status,
    ).toBe(403);
    // a's token with its payload changed to name b's conversation (the signature no longer matches).
    const [payload, sig] = a.token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...claims, c: b.conversation })).toString('base64url')}.${sig}`;
    expect((await call(base, 'GET', path(b.conversation), forged)).status).toBe(403);
    expect((await call(base, 'GET', path(a.conversation), 'not-a-token')).status).toBe(403);
    expect((await call(base, 'GET', path(a.conversation))).status).toBe(403);
    // A user-only token (from /chat/session) does not open someone's conversation either.
    const session = await call(base, 'POST', '/chat/session', undefined, {});
    expect((await call(base, 'GET', path(a.conversation), session.body.token)).status).toBe(403);
    // Expired: 31 minutes later, a's token is refused; a refreshed token (before it expired) still works.
    const refreshed = await call(base, 'POST', '/v3/directline/tokens/refresh', a.token);
    expect(refreshed.status).toBe(200);
    clock.advance(31 * 60_000);
    expect((await call(base, 'GET', path(a.conversation), a.token)).status).toBe(403);
    clock.advance(-2 * 60_000);
    expect((await call(base, 'GET', path(a.conversation), refreshed.body.token)).status).toBe(200);
    expect(JSON.stringify(await app.store.conversations.get(`web:${a.user}`))).toBe(written);
    expect(await app.store.conversations.get(`web:${b.user}`)).toBeUndefined();
  });

  it('refuses a flood from one address (429 with Retry-After) and an oversized body (413)', async () => {
    const { app, base } = await start({ GNLC_LIMIT_ADDRESS: '20/60s' });
    const v = new Visitor(base);
    await v.open();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await call(base, 'POST', `/v3/directline/conversations/${v.conversation}/activities`, v.token, {
        type: 'message',
        text: 'I want to apply',
      });
      statuses.push(r.status);
      if (r.status === 429) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(5);
    expect(statuses.at(-1)).toBe(429);
    const big = await call(base, 'POST', `/v3/directline/conversations/${v.conversation}/activities`, v.token, {
      type: 'message',
      text: 'x'.repeat(100_000),
    });
    expect(big.status).toBe(413);
    expect(app.platforms.web.transcripts.get(v.conversation)!.activities.length).toBeLessThan(60);
  });

  it('refuses malformed activities with a 400 that names the problem', async () => {
    const { app, base } = await start();
    const v = new Visitor(base);
    await v.open();
    const path = `/v3/directline/conversations/${v.conversation}/activities`;
    expect((await call(base, 'POST', path, v.token, '{"type":')).body.error.code).toBe('malformed_json');
    expect((await call(base, 'POST', path, v.token, { type: 'message', text: 5 })).body.error.code).toBe('bad_text');
    // A text longer than the bot takes is not refused by the endpoint (Web Chat would say "send failed"): the bot
    // answers it, in the visitor's language, as on Slack and Teams.
    const long = textOf(await v.say('a very long message '.repeat(1200)));
    expect(long).toContain(app.core.i18n.t('en', 'common:too_long', { count: 24_000, max: MAX_TEXT }).slice(0, 30));
    expect((await call(base, 'POST', path, v.token, { text: 'no type' })).status).toBe(400);
  });
});
