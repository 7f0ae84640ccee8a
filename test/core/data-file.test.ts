import { createMemoryStore } from '../../src/store/memory.ts';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/create.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { DataFileError } from '../../src/core/data-file.ts';
import { DATA_DIR } from '../../src/core/faq/schema.ts';

/** A copy of data/ in a temporary folder, with one file changed by `edit`. */
function brokenData(file: string, edit: (json: any) => unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-data-'));
  cpSync(DATA_DIR, dir, { recursive: true });
  const f = path.join(dir, file);
  const edited = edit(JSON.parse(readFileSync(f, 'utf8')));
  writeFileSync(f, typeof edited === 'string' ? edited : JSON.stringify(edited));
  return dir;
}

function loadError(dir: string): DataFileError {
  try {
    createCore({ clock: fixedClock(new Date('2025-06-01T00:00:00Z')), dataDir: dir, store: createMemoryStore() });
  } catch (err) {
    if (err instanceof DataFileError) return err;
    throw err;
  }
  throw new Error('expected the data to be refused');
}

describe('bad data files stop start-up with the file, the entry and the field', () => {
  it.each([
    [
      'faq/fr.json',
      (j: any) => {
        j.quota.answer = '';
        return j;
      },
      'quota',
      'answer',
    ],
    [
      'faq/es.json',
      (j: any) => {
        delete j.deadline.questions;
        return j;
      },
      'deadline',
      'questions',
    ],
    [
      'faq/ru.json',
      (j: any) => {
        delete j.award;
        return j;
      },
      'award',
      undefined,
    ],
    [
      'faq/entries.json',
      (j: any) => {
        j.entries[2].sources = ['nowhere'];
        return j;
      },
      'how-to-apply',
      'sources',
    ],
    [
      'faq/entries.json',
      (j: any) => {
        j.entries[0].id = 'Bad Id';
        return j;
      },
      'Bad Id',
      'id',
    ],
    [
      'calls.json',
      (j: any) => {
        j.calls[1].cityWindow.closes = '2025-06-31';
        return j;
      },
      '2025',
      'cityWindow.closes',
    ],
    [
      'calls.json',
      (j: any) => {
        j.calls[1].timeZone = 'Mars/Olympus';
        return j;
      },
      '2025',
      'timeZone',
    ],
    [
      'calls.json',
      (j: any) => {
        j.calls[1].commissionDeadline = '2025-06-01';
        return j;
      },
      '2025',
      'commissionDeadline',
    ],
    [
      'contact.json',
      (j: any) => {
        j.email = 'not-an-email';
        return j;
      },
      undefined,
      'email',
    ],
    [
      'faq/phrasings/ru.json',
      (j: any) => {
        j['no-such-entry'] = ['как подать заявку'];
        return j;
      },
      'no-such-entry',
      undefined,
    ],
    [
      'not-in-sources.json',
      (j: any) => {
        j.topics[0].questions.ar = [];
        return j;
      },
      'evaluation',
      'questions.ar',
    ],
  ] as const)('%s', (file, edit, entry, field) => {
    const err = loadError(brokenData(file, edit));
    expect(err.file.endsWith(file)).toBe(true);
    expect(err.entry).toBe(entry);
    expect(err.field).toBe(field);
    expect(err.message).toContain(file);
    if (entry) expect(err.message).toContain(`entry "${entry}"`);
  });

  it('reports a file that is not JSON', () => {
    const err = loadError(brokenData('faq/zh.json', () => '{ "eligibility": '));
    expect(err.message).toMatch(/faq\/zh\.json: not valid JSON/);
  });
});
