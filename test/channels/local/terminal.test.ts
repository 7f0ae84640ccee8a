import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LocalNotifier } from '../../../src/channels/local/notifier.ts';
import { runTerminalChat } from '../../../src/channels/local/terminal.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import { createCore } from '../../../src/core/create.ts';
import { createMemoryStore } from '../../../src/store/memory.ts';
import { submitApplication } from '../../endorsement-world.ts';
import { coreAt } from '../../helpers.ts';

describe('terminal chat', () => {
  it('greets, answers, and presses a button when its number is typed', async () => {
    const core = coreAt('2025-06-10T12:00:00Z');
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = '';
    output.on('data', (d) => (screen += d));
    const done = runTerminalChat({
      assistant: core.assistant,
      input,
      output,
      user: { id: 'me', locale: 'es_ES.UTF-8' },
    });
    // Pressing a button of the greeting: its second topic is the benefits.
    input.write('2\n');
    input.write('¿Hay que pagar alguna cuota?\n');
    input.write('ayuda\n');
    input.end('6\n');
    await done;
    expect(screen).toContain(core.i18n.t('es', 'common:greeting'));
    expect(screen).toContain(core.assistant.ask('fee', { lang: 'es' }).answer);
    expect(screen).toContain(core.assistant.ask('benefits', { lang: 'es' }).answer);
    // The sixth topic of the help menu is the contact.
    expect(screen).toMatch(/\[6\] /);
    expect(screen.split('learningcities@unesco.org').length).toBeGreaterThan(2);
  });
});

describe('terminal chat: numbers, "#n", other rooms and files', () => {
  async function session(lines: string[], at = '2025-06-01T10:00:00Z') {
    const core = coreAt(at);
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = '';
    output.on('data', (d) => (screen += d));
    const filesDir = mkdtempSync(path.join(tmpdir(), 'gnlc-files-'));
    const done = runTerminalChat({
      assistant: core.assistant,
      t: core.i18n.t,
      input,
      output,
      filesDir,
      user: { id: 'me' },
    });
    for (const l of lines) input.write(`${l}\n`);
    input.end();
    await done;
    return { screen, filesDir, core };
  }

  it('a number is an answer where one is awaited; "#n" always presses the n-th button', async () => {
    // "#1" presses the first topic of the greeting (a bare "1" would too: nothing typed is awaited there).
    const { screen, core } = await session(['#1']);
    expect(screen).toContain(core.assistant.ask('eligibility', { lang: 'en' }).answer);
    // At the form's first question a bare "2" is the city's name, not a press of the second button.
    const form = await session(['I want to apply', '2']);
    expect(form.screen).toContain(form.core.i18n.t('en', 'form:errors.too_short', { count: 2 }));
  });

  it('export writes the CSV and JSON files and prints their paths', async () => {
    const { screen, filesDir } = await session(['/as coord coordinators', 'export 2025']);
    const files = readdirSync(filesDir).sort();
    expect(files).toEqual(['gnlc-2025.csv', 'gnlc-2025.json']);
    for (const f of files) expect(screen).toContain(path.join(filesDir, f));
    expect(JSON.parse(readFileSync(path.join(filesDir, 'gnlc-2025.json'), 'utf8'))).toBeTypeOf('object');
  });
});

describe("terminal chat: the commission's room", () => {
  it("shows the commission's card to the applicant without its buttons, and with them to its endorser", async () => {
    const store = createMemoryStore();
    const core = createCore({ clock: fixedClock(new Date('2025-06-01T10:00:00Z')), store });
    const local = new LocalNotifier();
    core.outbox.add(local);
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = '';
    output.on('data', (d) => (screen += d));
    const done = runTerminalChat({
      assistant: core.assistant,
      t: core.i18n.t,
      local,
      input,
      output,
      user: { id: 'me' },
    });
    const id = await submitApplication(core, 'me', 'Kassel');
    await new Promise((r) => setTimeout(r, 50));
    const card = screen.slice(screen.indexOf('[commission-DE]'));
    expect(card).toContain(id);
    expect(card).not.toMatch(/\[1\] /);
    // Typing "1" as the applicant presses nothing of the commission's.
    input.write('1\n');
    input.write('/as anna commission-DE\n');
    input.end('#1\n');
    await done;
    const app = await store.applications.get(id);
    expect(app!.decision?.by.key).toBe('local:anna');
  });
});
