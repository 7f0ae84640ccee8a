import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHALLENGES, loadChallenges } from '../../../src/core/application/challenges.ts';
import { CHALLENGE_AREAS, FIELDS } from '../../../src/core/application/form.ts';
import { DataFileError } from '../../../src/core/data-file.ts';
import { DATA_DIR } from '../../../src/core/faq/schema.ts';

/** data/challenges.json changed by `edit`, in a temporary file. */
function edited(edit: (json: any) => unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'gnlc-challenges-')), 'challenges.json');
  writeFileSync(file, JSON.stringify(edit(JSON.parse(readFileSync(path.join(DATA_DIR, 'challenges.json'), 'utf8')))));
  return file;
}

describe('the challenges rated 1 to 5 (data/challenges.json)', () => {
  it("are the form's rating questions, one per area of the list, marked provisional", () => {
    expect(CHALLENGES.provisional).toBe(true);
    expect(CHALLENGE_AREAS).toEqual(CHALLENGES.areas.map((a) => a.id));
    expect(FIELDS.filter((f) => f.kind === 'rating').map((f) => f.key)).toEqual(
      CHALLENGE_AREAS.map((a) => `challenges.${a}`),
    );
  });

  it('a replacement list is read as it is, without a change of code', () => {
    const file = edited((j) => ({
      ...j,
      provisional: false,
      areas: [
        {
          id: 'digital-skills',
          label: {
            en: 'digital skills',
            fr: 'compétences numériques',
            es: 'competencias digitales',
            ar: 'المهارات الرقمية',
            zh: '数字技能',
            ru: 'цифровые навыки',
          },
        },
      ],
    }));
    expect(loadChallenges(file).areas.map((a) => a.id)).toEqual(['digital-skills']);
  });

  it.each([
    [
      'a label missing in one language',
      (j: any) => {
        delete j.areas[0].label.zh;
        return j;
      },
      'zh',
    ],
    [
      'a duplicate id',
      (j: any) => {
        j.areas[1].id = j.areas[0].id;
        return j;
      },
      'duplicate id',
    ],
    ['an empty list', (j: any) => ({ ...j, areas: [] }), 'at least one challenge'],
    [
      'an id with spaces',
      (j: any) => {
        j.areas[0].id = 'Big Area';
        return j;
      },
      'lowercase',
    ],
  ])('%s is refused with a precise message', (_name, edit, says) => {
    const file = edited(edit);
    expect(() => loadChallenges(file)).toThrow(DataFileError);
    expect(() => loadChallenges(file)).toThrow(says);
  });
});
