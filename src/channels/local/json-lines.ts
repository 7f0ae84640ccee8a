import { createInterface } from 'node:readline';
import type { z } from 'zod';

/**
 * Reads JSON lines from `input` in order, validates each with `schema` and hands it to `handle`.
 * A malformed line is answered with an `{"error"}` line (with its `id` when it has one) and the rest
 * of the input goes on.
 */
export async function forEachJsonLine<S extends z.ZodType>(
  input: NodeJS.ReadableStream,
  schema: S,
  write: (line: string) => void,
  handle: (value: z.output<S>) => Promise<void> | void,
  opts: { withId?: boolean } = {},
): Promise<void> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (err) {
      write(JSON.stringify({ ...(opts.withId ? { id: null } : {}), error: `invalid JSON: ${(err as Error).message}` }));
      continue;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const id = raw && typeof raw === 'object' && 'id' in raw ? (raw as { id: unknown }).id : null;
      write(
        JSON.stringify({
          ...(opts.withId ? { id } : {}),
          error: `${issue.path.join('.') || 'line'}: ${issue.message}`,
        }),
      );
      continue;
    }
    await handle(parsed.data);
  }
}
