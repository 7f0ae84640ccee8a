import { describe, expect, it } from 'vitest';
import { cli } from './helpers.ts';

async function gnlc(args: string[], stdinLines: string[] = []) {
  const { code, stdout: out, stderr: err } = await cli(args, stdinLines);
  return { code, out, err };
}

describe('gnlc ask', () => {
  it('prints the answer for a person, with the simulated clock', async () => {
    const r = await gnlc(['ask', 'When do applications close?', '--now', '2025-06-10T12:00:00Z']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('15 June 2025');
    expect(r.out).toContain('in 5 days');
  });

  it('answers in the language given by --lang', async () => {
    const r = await gnlc(['ask', 'When do applications close?', '--lang', 'fr', '--now', '2025-06-10']);
    expect(r.out).toContain('15 juin 2025');
  });

  it('refuses a bad --now or --lang with a usage message and exit code 2', async () => {
    expect((await gnlc(['ask', 'x', '--now', 'yesterday'])).code).toBe(2);
    const r = await gnlc(['ask', 'x', '--lang', 'de']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--lang: "de" is not one of en, fr, es, ar, zh, ru');
  });

  it('--json answers line by line, in order, with facts, and survives malformed lines', async () => {
    const r = await gnlc(
      ['ask', '--json'],
      [
        JSON.stringify({
          id: 'q1',
          text: 'Quand se termine la période de candidature ?',
          locale: 'fr-FR',
          now: '2025-06-10T12:00:00Z',
        }),
        'this is not json',
        JSON.stringify({ id: 'q3' }),
        JSON.stringify({ id: 'q4', text: 'Сколько городов от одной страны?' }),
        JSON.stringify({ id: 'q5', text: 'Best pizza in Hamburg?' }),
        JSON.stringify({ id: 'q6', text: 'ok', locale: 'es-MX' }),
      ],
    );
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['q1', null, 'q3', 'q4', 'q5', 'q6']);
    expect(lines[0]).toMatchObject({
      faqId: 'deadline',
      lang: 'fr',
      facts: {
        cycle: '2025',
        phase: 'open',
        opens: '2025-05-15',
        closes: '2025-06-15',
        commissionDeadline: '2025-07-15',
      },
    });
    expect(lines[0].score).toBeGreaterThan(0.5);
    expect(lines[0].answer).toContain('dans 5 jours');
    expect(lines[1].error).toMatch(/invalid JSON/);
    expect(lines[2].error).toMatch(/^text:/);
    expect(lines[3]).toMatchObject({ faqId: 'quota', lang: 'ru' });
    expect(lines[3].facts).toBeUndefined();
    expect(lines[4]).toMatchObject({ faqId: null, lang: 'en' });
    expect(lines[4].answer).toContain('learningcities@unesco.org');
    expect(lines[5].lang).toBe('es');
  });
});
