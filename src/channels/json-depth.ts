/**
 * How deeply an inbound payload may nest. Slack's deepest (a rich-text block in a pressed message) and Teams'
 * (an Adaptive Card in an attachment) stay well under 20 levels. JSON.parse reads any depth, but everything
 * after it that walks a value recursively (JSON.stringify in an HTTP client, structuredClone, a logger) overflows
 * the stack on a "JSON bomb" of 100,000 nested arrays, so such a payload is refused at the door.
 */
export const MAX_JSON_DEPTH = 64;

/** True when `value` nests arrays or objects more than `max` levels deep. Iterative: safe on any depth. */
export function deeperThan(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}
