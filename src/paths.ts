import path from 'node:path';

/**
 * The project's folder, where data/, locales/ and src/ are. This file is src/paths.ts, and the built program
 * (npm run build) is one folder too, dist/: both sit at the top of the project, so one step up is the project
 * from either (a module of src/core/faq would be three steps up in the sources and one in dist/).
 */
export const ROOT = path.resolve(import.meta.dirname, '..');

/** The project's data files (data/), its locales (locales/), and a file of its sources (src/…). */
export const DATA_DIR = path.join(ROOT, 'data');
export const LOCALES_DIR = path.join(ROOT, 'locales');
export function sourceFile(...parts: string[]): string {
  return path.join(ROOT, 'src', ...parts);
}

/**
 * Where the FAQ classifier keeps the models it learns, for the next process (see core/faq/model-file.ts): in the
 * built program, dist/models, rebuilt with the program; from the sources, nowhere (each process learns them, so
 * a change to the code is never read with models of before).
 */
export const MODELS_DIR =
  path.basename(import.meta.dirname) === 'src' ? undefined : path.join(import.meta.dirname, 'models');
