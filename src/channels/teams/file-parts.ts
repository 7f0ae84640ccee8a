/** Files in Teams messages: their lines packed into activities under the size limit, nothing dropped. */
import type { Reply } from '../../core/reply.ts';

type Json = Record<string, unknown>;

/**
 * Teams refuses a message over its size limit (413 MessageSizeTooBig; documented as 40 KB counted in UTF-16,
 * long observed at about 28 KB). A rendered activity is kept within this many bytes, counted both in UTF-16
 * and in UTF-8, leaving room for the envelope (from, recipient, conversation …) the connector adds.
 */
export const MAX_ACTIVITY_BYTES = 26_000;

/** The size of an activity (or any part of one) as JSON: the larger of its UTF-16 and UTF-8 byte counts. */
export function activitySize(x: unknown): number {
  const s = JSON.stringify(x) ?? '';
  return Math.max(s.length * 2, Buffer.byteLength(s, 'utf8'));
}

/** Marks a line piece that carries on the last line of the previous message (a line longer than a whole message). */
export const LINE_CONTINUED = '↪';
/** Room kept in a file part's heading for the " (12/34)" added once the parts are counted. */
const HEADING_SLACK = 24;

type FileSpec = NonNullable<Reply['files']>[number];

/** The bold name over a file's content. TextRuns are literal: no Markdown, so names like a_b_c.csv stay as they are. */
export function fileHeading(text: string): Json {
  return { type: 'RichTextBlock', spacing: 'Medium', inlines: [{ type: 'TextRun', text, weight: 'Bolder' }] };
}

/**
 * The shaded, left-to-right box holding a file's lines (left-to-right in an Arabic card too: CSV and JSON read that
 * way).
 */
export function fileBox(items: Json[]): Json {
  return { type: 'Container', style: 'emphasis', rtl: false, spacing: 'Small', items };
}

/**
 * One line of a file, verbatim, in a monospace TextRun (literal text: no Markdown, no entity decoding);
 * `continued` when it carries on the previous message's last line.
 */
function fileLine(text: string, continued: boolean): Json {
  const run = { type: 'TextRun', text, fontType: 'Monospace' };
  return {
    type: 'RichTextBlock',
    spacing: 'None',
    inlines: continued ? [{ type: 'TextRun', text: LINE_CONTINUED, isSubtle: true }, run] : [run],
  };
}

/** The longest prefix of `text` (whole code points) whose line block costs at most `room`; 0 when none. */
function longestPrefix(text: string, continued: boolean, room: number): number {
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (activitySize(fileLine(text.slice(0, mid), continued)) + 1 <= room) lo = mid;
    else hi = mid - 1;
  }
  // Never split a surrogate pair.
  if (lo > 0 && lo < text.length && /[\uD800-\uDBFF]/.test(text[lo - 1]!)) lo--;
  return lo;
}

/** A run of one file's lines that goes in one message. */
export interface FilePart {
  file: number;
  lines: Json[];
}

/**
 * Packs the files' lines into messages of at most MAX_ACTIVITY_BYTES: `firstRoom` bytes are left in the
 * message of the reply itself, `emptyRoom` in each further one. Every line is kept whole where it fits in a
 * message; a longer one is cut and goes on (marked) in the next. Nothing is dropped.
 */
export function packFiles(files: FileSpec[], firstRoom: number, emptyRoom: number): FilePart[][] {
  const messages: FilePart[][] = [[]];
  let room = firstRoom;
  files.forEach((f, i) => {
    const partCost = activitySize(fileHeading(f.name + 'x'.repeat(HEADING_SLACK))) + activitySize(fileBox([])) + 2;
    const open = (): FilePart => {
      const part: FilePart = { file: i, lines: [] };
      messages.at(-1)!.push(part);
      room -= partCost;
      return part;
    };
    const next = (): FilePart => {
      messages.push([]);
      room = emptyRoom;
      return open();
    };
    let part = partCost < room ? open() : next();
    for (const line of f.content.split('\n')) {
      let rest = line;
      let continued = false;
      for (;;) {
        const block = fileLine(rest, continued);
        const cost = activitySize(block) + 1;
        if (cost <= room) {
          part.lines.push(block);
          room -= cost;
          break;
        }
        if (cost > emptyRoom - partCost) {
          // Longer than any message: what fits here stays here, the rest goes on in the next message.
          let n = longestPrefix(rest, continued, room);
          if (n === 0 && !part.lines.length) n = rest.codePointAt(0)! > 0xffff ? 2 : 1;
          if (n > 0) {
            part.lines.push(fileLine(rest.slice(0, n), continued));
            room -= activitySize(part.lines.at(-1)) + 1;
            rest = rest.slice(n);
            continued = true;
          }
        }
        part = next();
      }
    }
  });
  return messages.map((m) => m.filter((p) => p.lines.length));
}
