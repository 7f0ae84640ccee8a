import path from 'node:path';
import { z } from 'zod';
import { DataFileError, loadData } from '../data-file.ts';
import { LANGS, type Lang } from '../lang.ts';
import { DATA_DIR } from '../../paths.ts';

/**
 * The challenges the form has the city rate from 1 to 5 (data/challenges.json). The official list is not in the
 * sources, so it is data, marked provisional: a coordinator replaces it (ids and labels in the six languages)
 * without a change of code, and the prompt says it is provisional while `provisional` is true.
 */
const Labels = z.object(
  Object.fromEntries(LANGS.map((l) => [l, z.string().trim().min(1)])) as Record<Lang, z.ZodString>,
);

export const ChallengesSchema = z.object({
  provisional: z.boolean(),
  note: z.string().optional(),
  areas: z
    .array(z.object({ id: z.string().regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and hyphens'), label: Labels }))
    .min(1, 'at least one challenge'),
});
export type Challenges = z.infer<typeof ChallengesSchema>;

/** Reads and checks the list (ids unique); throws a DataFileError naming the file, the entry and the field. */
export function loadChallenges(file: string): Challenges {
  const data = loadData(file, ChallengesSchema);
  const seen = new Set<string>();
  for (const a of data.areas) {
    if (seen.has(a.id)) throw new DataFileError(path.relative(process.cwd(), file), a.id, 'id', 'duplicate id');
    seen.add(a.id);
  }
  return data;
}

/** The project's list (data/challenges.json), read once when the form's fields are defined. */
export const CHALLENGES = loadChallenges(path.join(DATA_DIR, 'challenges.json'));
