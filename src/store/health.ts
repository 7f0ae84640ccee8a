import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { unlinkIfThere } from './files.ts';

/**
 * The store's health probe under `dir`: a write and a read of a small file, what every turn needs from the
 * disk. Each probe has a file of its own (`health/probe-<uuid>.json`), so probes at the same moment never
 * disturb each other.
 */
export function createHealthProbe(dir: string): () => Promise<void> {
  return async () => {
    const folder = path.join(dir, 'health');
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const token = randomUUID();
    const probe = path.join(folder, `probe-${token}.json`);
    try {
      await writeFile(probe, JSON.stringify({ token }));
      if (JSON.parse(await readFile(probe, 'utf8')).token !== token) {
        throw new Error('the store read back something else than it wrote');
      }
    } finally {
      await unlinkIfThere(probe).catch(() => undefined);
    }
  };
}
