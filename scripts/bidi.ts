/**
 * A message as a right-to-left reader sees it: `gnlc ask "ما هو رقم الهاتف؟" --lang ar | npm run -s bidi` prints
 * each line in visual order (left to right, as the characters stand on screen), after the Unicode bidirectional
 * algorithm (bidi-js) has laid it out with its direction taken from its first strong letter, as chat clients do.
 * A telephone number that reads "+49 40 44 80 41 62" there reads in order on screen. The tests use the same
 * functions (test/i18n/bidi*.test.ts).
 */
import { realpathSync } from 'node:fs';
import bidiModule, { type Bidi } from 'bidi-js';

/**
 * The algorithm from bidi-js (a conformant implementation of UAX #9). Its types declare an ES default export on a
 * CommonJS file: Node hands the factory over as the module itself.
 */
export function createBidi(): Bidi {
  const m = bidiModule as unknown as { default?: () => Bidi } & (() => Bidi);
  return (m.default ?? m)();
}

/** The isolates and marks that steer the algorithm: not shown, so left out of what is compared. */
const CONTROLS = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;

/** Each line of `text` as a chat client shows it: its direction from its first strong letter, in visual order. */
export function visualLines(
  bidi: Bidi,
  text: string,
): { raw: string; logical: string; visual: string; rtl: boolean }[] {
  return text.split('\n').map((line) => {
    const levels = bidi.getEmbeddingLevels(line);
    const chars = [...line];
    // bidi-js counts UTF-16 units; the messages have no characters outside the basic plane to split.
    for (const [start = 0, end = -1] of bidi.getReorderSegments(line, levels)) {
      const part = chars.slice(start, end + 1).reverse();
      chars.splice(start, part.length, ...part);
    }
    const rtl = (levels.paragraphs[0]?.level ?? 0) % 2 === 1;
    return { raw: line, logical: line.replace(CONTROLS, ''), visual: chars.join('').replace(CONTROLS, ''), rtl };
  });
}

/**
 * The left-to-right runs of a line: Latin words, numbers, telephone numbers, addresses, ids, with the spaces and
 * punctuation inside them ("+49 40 44 80 41 62", "GNLC-2025-DE-0001", "Europe/Berlin").
 */
export function ltrRuns(line: string): string[] {
  // An isolate's edge ends a run: two values side by side are two runs, laid out right to left between them.
  const runs = line
    .split(CONTROLS)
    .flatMap(
      (part) => part.match(/[\p{Script=Latin}0-9+@][\p{Script=Latin}0-9+@.,:/\-_ ()']*[\p{Script=Latin}0-9]/gu) ?? [],
    );
  return runs.map((r) => r.trim()).filter((r) => /\s|[-/.:@]/.test(r));
}

// Run directly: stdin's lines in visual order, each marked with its direction.
if (process.argv[1] && realpathSync(process.argv[1]) === import.meta.filename) {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const bidi = createBidi();
  for (const line of visualLines(bidi, Buffer.concat(chunks).toString('utf8').replace(/\n$/, '')))
    process.stdout.write(`${line.rtl ? 'RTL' : 'LTR'} | ${line.visual}\n`);
}
