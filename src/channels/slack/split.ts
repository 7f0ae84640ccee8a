/** Cutting text into Slack's block limits without losing a character, and keeping code fences closed. */

/** Splits text into pieces of at most `max` characters at paragraph, line, sentence or word boundaries. */
export function splitText(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const cut = [/\n\n(?=[^\n]*$)/, /\n(?=[^\n]*$)/, /[.!?。！？؟]\s(?=[^.!?。！？؟]*$)/u, /\s(?=\S*$)/]
      .map((re) => re.exec(window))
      .find((m) => m && m.index > max / 3);
    const at = cut ? cut.index + cut[0].length : max;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

/** The code fence around preformatted text (the newline keeps the first line clear of the opening fence). */
export const FENCE = { open: '```\n', close: '```', length: 7 } as const;
export const ZWSP = '\u200b';

/**
 * Three backticks in a row would end the code block early: a zero-width space goes after every backtick
 * that another follows (and after a final one, which would touch the closing fence). Invisible; the
 * only change made to the content.
 */
export function fenceSafe(text: string): string {
  return text.replace(/`(?=`|$)/g, `\`${ZWSP}`);
}

/**
 * Splits (already escaped) preformatted text into pieces of at most `max(i)` characters without losing
 * or trimming anything: `pieces.join('') === text`. Cuts follow the last line end that fits (kept with
 * the earlier piece); a longer line is cut at the limit, moved back so that no `&amp;`-style entity or
 * UTF-16 surrogate pair is split, and so that a piece never ends with a bare backtick.
 */
export function splitPreformatted(text: string, max: (i: number) => number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest) {
    const limit = max(out.length);
    if (rest.length <= limit) {
      out.push(rest);
      break;
    }
    const nl = rest.lastIndexOf('\n', limit - 1);
    let at = nl > 0 ? nl + 1 : limit;
    if (nl <= 0) {
      // No line end fits: cut inside the line, never inside an entity, a surrogate pair or before a fence.
      const amp = rest.lastIndexOf('&', at - 1);
      if (amp >= 0 && amp > at - 5 && /^&(amp|lt|gt);/.test(rest.slice(amp))) at = amp;
      if (/[\ud800-\udbff]/.test(rest[at - 1]!)) at--;
      // A piece ending in a backtick would merge with the closing fence (fenceSafe never leaves two in a row).
      if (rest[at - 1] === '`') at--;
      at = Math.max(at, 1);
    }
    out.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  return out;
}
