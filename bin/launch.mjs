// Loads one program of src/ (cli or main): the built JavaScript in dist/ when it was built after the last change
// to src/ (npm run build, which npm install runs), else the TypeScript sources through tsx. The built program
// starts faster (one bundle, no compiler hooks in the way of every module); the sources are always current.
// GNLC_FROM_SOURCES=1 always runs the sources.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The newest modification time in a folder tree, folders included (deleting a file changes its folder's). */
export function newest(dir) {
  let top = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const at = statSync(path.join(entry.parentPath, entry.name)).mtimeMs;
    if (at > top) top = at;
  }
  return top;
}

/** Whether `root`/dist was built after the last change to `root`/src (its stamp carries the build's start). */
export function isBuilt(root = ROOT) {
  let stamp;
  try {
    stamp = statSync(path.join(root, 'dist', '.built')).mtimeMs;
  } catch {
    return false;
  }
  return newest(path.join(root, 'src')) <= stamp;
}

/** The program's module, loaded (main.ts runs on load; cli.ts exports runCli). */
export async function load(name) {
  if (process.env.GNLC_FROM_SOURCES !== '1' && isBuilt()) {
    return import(pathToFileURL(path.join(ROOT, 'dist', `${name}.js`)).href);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(path.join(ROOT, 'src', `${name}.ts`)).href);
}
