import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runTerminalChat } from '../../../src/channels/local/terminal.ts';
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
