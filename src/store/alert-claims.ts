import { randomUUID } from 'node:crypto';
import { link, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { KeyedQueue } from '../lib/keyed-queue.ts';
import { keyedPaths, readFresh, readRecordFile, recordCodec, unlinkIfThere } from './files.ts';
import { ALERT } from './records.ts';
import type { AlertRecord, AlertRepo } from '../core/records.ts';

const alertCodec = recordCodec(ALERT);

/**
 * The alerts under `dir`: one file per alert key (`alerts/<2 hex>/<key>.json`). A claim links a complete
 * temporary file to the key's name: link() fails when the name exists, so two processes (the server and
 * `gnlc alerts`) can never both claim one alert, and a crash never leaves a half-written record. Reads bypass
 * any cache for the same reason. Not lowdb files: a record is written whole to a temporary file, then linked
 * (a claim) or renamed (a later state) over the key's name.
 */
export function createAlertClaims(dir: string, queue: KeyedQueue): AlertRepo {
  const paths = (key: string) => keyedPaths(dir, 'alerts', key);
  const writeTemp = async (file: string, record: AlertRecord) => {
    const { text } = alertCodec.encode(record, path.relative(dir, file));
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${randomUUID()}.tmp`;
    await writeFile(temp, text);
    return temp;
  };
  const read = async (key: string): Promise<AlertRecord | undefined> => {
    const { file, legacy } = paths(key);
    const record = await readFresh(file, path.relative(dir, file), alertCodec);
    if (record || legacy === file) return record;
    const old = await readFresh(legacy, path.relative(dir, legacy), alertCodec);
    return old?.key === key ? old : undefined;
  };
  return {
    get: read,
    async claim(record) {
      const { file, legacy } = paths(record.key);
      // Claimed under the name an earlier version gave: claimed.
      if (legacy !== file && (await read(record.key))) return false;
      const temp = await writeTemp(file, record);
      try {
        await link(temp, file);
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw err;
      } finally {
        await unlinkIfThere(temp).catch(() => undefined);
      }
    },
    put: (record) =>
      queue.run(paths(record.key).file, async () => {
        const { file, legacy } = paths(record.key);
        await rename(await writeTemp(file, record), file);
        if (legacy !== file) {
          const old = await readRecordFile(legacy, path.relative(dir, legacy), alertCodec);
          if (!('problems' in old) && old.value?.key === record.key) await unlinkIfThere(legacy);
        }
      }),
  };
}
