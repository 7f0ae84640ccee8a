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
