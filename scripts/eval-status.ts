/**
 * How the bot recognises a question about one's own application's status in people's words (the status command
 * without its word): test/fixtures/status/test.json, written by a helper who saw none of the data, only measured,
 * never trained or tuned on. Each message is the first of a new person on 1 June 2025; "status" messages should get
 * the status reply (a new person has no application), "other" ones (the same words, another question) should not.
 * `npm run -s eval:status [--misses]`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { fixedClock } from '../src/core/clock.ts';
import { createCore } from '../src/core/create.ts';
import { LANGS } from '../src/core/lang.ts';
import { createMemoryStore } from '../src/store/memory.ts';

const { values } = parseArgs({ options: { misses: { type: 'boolean', default: false } } });
const file = path.join(import.meta.dirname, '../test/fixtures/status/test.json');
const StatusSet = z.strictObject(
  Object.fromEntries(
    LANGS.map((l) => [l, z.strictObject({ status: z.array(z.string().min(2)), other: z.array(z.string().min(2)) })]),
  ),
);
const set = StatusSet.parse(JSON.parse(readFileSync(file, 'utf8')));
const core = createCore({ store: createMemoryStore(), clock: fixedClock(new Date('2025-06-01T10:00:00Z')) });
let n = 0;
const total = { status: [0, 0], other: [0, 0] };
for (const lang of LANGS) {
  const line: string[] = [];
  for (const kind of ['status', 'other'] as const) {
    let hit = 0;
    for (const text of set[lang]![kind]) {
      const user = { id: `status-eval-${n++}`, locale: lang };
      const [reply] = await core.assistant.handle({
        platform: 'local',
        user,
        room: { id: user.id, direct: true },
        text,
      });
      const asStatus = reply?.text === core.i18n.t(lang, 'form:status_none');
      if (asStatus) hit++;
      if (values.misses && asStatus !== (kind === 'status')) console.log(`MISS ${lang} ${kind}  ${text}`);
    }
    total[kind][0]! += hit;
    total[kind][1]! += set[lang]![kind].length;
    line.push(
      `${kind === 'status' ? 'status recognised' : 'others taken for status'} ${hit}/${set[lang]![kind].length}`,
    );
  }
  console.log(`  ${lang}: ${line.join(', ')}`);
}
const pct = ([a, b]: number[]) => `${((100 * a!) / b!).toFixed(1)}% (${a}/${b})`;
console.log(`  all: status recognised ${pct(total.status)}, others taken for status ${pct(total.other)}`);
