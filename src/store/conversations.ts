import path from 'node:path';
import type { KeyedQueue } from '../lib/keyed-queue.ts';
import type { Logger } from '../log.ts';
import { StoreReadError, type RecordProblem } from '../core/store-errors.ts';
import { RecordFiles, fileName, listNames, readRecordFile, recordCodec } from './files.ts';
import { KeyedRecords } from './keyed.ts';
import { CONVERSATION } from './records.ts';
import type { Conversation, ConversationRepo } from '../core/records.ts';

const conversationCodec = recordCodec(CONVERSATION);

/**
 * The conversations under `dir`: one file each (`conversations/<2 hex>/<key>.json`), through the shared
 * queue; the 2000 last read or written are kept in memory (the active users).
 */
export function createConversationRepo(dir: string, queue: KeyedQueue, log?: Logger): ConversationRepo {
  const files = new KeyedRecords(new RecordFiles(dir, conversationCodec, queue, 2000, log), 'conversations');
  return {
    get: (key) => files.get(key),
    save: (c) => files.put(c),
    delete: (key) => files.delete(key),
    // Straight from disk (not through the cache, which keeps the active users); every record or none.
    async scan(visit) {
      const found = new Map<string, { record: Conversation; current: boolean }>();
      const problems: RecordProblem[] = [];
      const root = path.join(dir, 'conversations');
      for (const folder of await listNames(root)) {
        for (const name of await listNames(path.join(root, folder))) {
          if (!name.endsWith('.json')) continue;
          const file = path.join(root, folder, name);
          const read = await readRecordFile(file, path.relative(dir, file), conversationCodec);
          if ('problems' in read) problems.push(...read.problems);
          else if (read.value) {
            // A record under its legacy name and today's (a crash between the write and the clean-up): today's wins.
            const current = name === `${fileName(read.value.key)}.json`;
            if (current || !found.has(read.value.key)) found.set(read.value.key, { record: read.value, current });
          }
        }
      }
      if (problems.length) throw new StoreReadError(problems);
      for (const { record } of found.values()) visit(record);
    },
  };
}
