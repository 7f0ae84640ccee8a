/**
 * How deeply an inbound payload may nest. Slack's deepest (a rich-text block in a pressed message) and Teams'
 * (an Adaptive Card in an attachment) stay well under 20 levels. JSON.parse reads any depth, but everything
 * after it that walks a value recursively (JSON.stringify in an HTTP client, structuredClone, a logger) overflows
 * the stack on a "JSON bomb" of 100,000 nested arrays, so such a payload is refused at the door.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * How many values (objects, arrays, strings, numbers…) an inbound payload may hold. Slack's largest (a press on
 * a message of 50 blocks, sent back whole) holds a few thousand; 100,000 keys are not a message but a way to
 * make every check after the parse slow.
 */
export const MAX_JSON_VALUES = 20_000;

/**
 * What makes a parsed payload one no platform sends, or undefined:
 * - `too_deep`: arrays or objects nested more than `maxDepth` levels;
 * - `too_many_values`: more than MAX_JSON_VALUES values in all;
 * - `lone_surrogate`: a key or string holding half of a UTF-16 pair. Slack and the Bot Framework send valid
 *   UTF-8, where none can be; and such a string, echoed back as a form field (Bolt adds the payload's team id
 *   to every Web API call), makes the call throw "URI malformed".
 * Iterative: safe on any depth.
 */
export function jsonProblem(
  value: unknown,
  maxDepth = MAX_JSON_DEPTH,
): 'too_deep' | 'too_many_values' | 'lone_surrogate' | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  let values = 0;
  while (stack.length) {
    if (++values > MAX_JSON_VALUES) return 'too_many_values';
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (!v.isWellFormed()) return 'lone_surrogate';
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth > maxDepth) return 'too_deep';
    for (const [k, child] of Object.entries(v)) {
      if (!k.isWellFormed()) return 'lone_surrogate';
      stack.push([child, depth + 1]);
    }
  }
  return undefined;
}
