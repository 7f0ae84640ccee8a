import { createMemoryStore } from '../src/store/memory.ts';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../src/core/clock.ts';
import { createCore } from '../src/core/create.ts';
import { LANGS } from '../src/core/lang.ts';
import { EXPECTED_RECORD, command, validAnswers } from './conversation.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Wrong first answers, one per validated field kind. */
const WRONG: Record<string, string> = {
  country: 'Atlantis',
  url: 'no website',
  email: 'nobody@',
  phone: '12345',
  number: 'lots',
  date: '31/02/2025',
  year: '99',
  rating: '9',
  choice: 'zzz',
  confirm: 'perhaps',
};

describe('a scripted applicant drives gnlc chat --json', () => {
  it('gives a wrong value first for every validated field, then completes and submits', async () => {
    // The language is picked at random; the seed is printed so a failure can be replayed with GNLC_TEST_LANG.
    const lang =
      (process.env.GNLC_TEST_LANG as (typeof LANGS)[number]) ?? LANGS[Math.floor(Math.random() * LANGS.length)]!;
    console.log(`scripted applicant language: ${lang}`);
    const { i18n } = createCore({ clock: fixedClock(new Date('2025-06-01T10:00:00Z')), store: createMemoryStore() });
    const t = i18n.t;
    const answers = validAnswers(lang, t);
    const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-chat-'));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'chat', '--json', '--now', '2025-06-01T10:00:00Z', '--data', dir],
      {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const send = (event: object) => child.stdin!.write(`${JSON.stringify(event)}\n`);
    /** Reads output lines until one expects input (or carries the given text). */
    const until = async (done: (m: any) => boolean) => {
      const seen: any[] = [];
      for (;;) {
        const { value, done: end } = await lines.next();
        if (end) throw new Error(`output ended; seen ${JSON.stringify(seen)}`);
        const m = JSON.parse(value);
        seen.push(m);
        if (done(m)) return { last: m, seen };
      }
    };
    const user = 'scripted';
    send({ user, text: t(lang, 'form:commands.apply_phrases').split('|')[0], locale: `${lang}-XX` });
    let { last } = await until((m) => m.expects);
    let reasked = 0;
    const wrongTried = new Set<string>();
    for (let i = 0; i < 100 && last.expects?.field !== 'confirm'; i++) {
      const { field, kind } = last.expects;
      expect(last.lang).toBe(lang);
      expect(last.room).toBe(`dm:${user}`);
      if (WRONG[kind] && !wrongTried.has(field)) {
        wrongTried.add(field);
        send({ user, text: WRONG[kind] });
        ({ last } = await until((m) => m.expects));
        expect(last.expects.field, `wrong ${kind} for ${field} must be re-asked`).toBe(field);
        expect(last.lang).toBe(lang);
        reasked++;
      }
      send({ user, text: answers[field] });
      ({ last } = await until((m) => m.expects || m.card));
      if (last.expects?.field === 'interests' && field === 'interests') {
        send({ user, action: { id: 'pick_done' } });
        ({ last } = await until((m) => m.expects || m.card));
      }
      if (last.card) {
        send({ user, action: { id: 'submit', value: 'submit' } });
        ({ last } = await until((m) => m.expects));
      }
    }
    expect(reasked).toBeGreaterThanOrEqual(20);
    send({ user, text: command(t, lang, 'yes') });
    const { last: done } = await until((m) => /GNLC-2025-KE-\d{3}/.test(m.text));
    expect(done.lang).toBe(lang);
    child.stdin!.end();
    await new Promise((r) => child.on('exit', r));
    const shard = JSON.parse(readFileSync(path.join(dir, 'applications', '2025', 'KE.json'), 'utf8'));
    expect(shard.applications[0]).toMatchObject({
      status: 'submitted',
      lang,
      answers: { ...EXPECTED_RECORD, 'city.name': `Testville ${lang}`, motivation: answers.motivation },
    });
  });
});
