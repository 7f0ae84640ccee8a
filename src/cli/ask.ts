import { parseArgs } from 'node:util';
import { z } from 'zod';
import { forEachJsonLine } from '../channels/local/json-lines.ts';
import { parseInstant } from '../core/clock.ts';
import { createCore, type Core } from '../core/create.ts';
import { isLang, LANGS, type Lang } from '../core/lang.ts';
import { createMemoryStore } from '../store/memory.ts';
import { type CliIo, clockFrom, langFrom, UsageError } from './args.ts';

/** One line of `gnlc ask --json` input. */
const AskLine = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  text: z.string().min(1, 'text must not be empty'),
  locale: z.string().optional(),
  lang: z
    .string()
    .refine(isLang, `must be one of ${LANGS.join(', ')}`)
    .optional(),
  now: z
    .string()
    .refine((s) => parseInstant(s) !== undefined, 'must be an ISO date or instant')
    .optional(),
  timeZone: z.string().optional(),
});

/** Answers JSON lines from `input`, writing one JSON line per input line, in order. */
export async function askJsonLines(
  core: Core,
  input: NodeJS.ReadableStream,
  write: (line: string) => void,
): Promise<void> {
  await forEachJsonLine(
    input,
    AskLine,
    write,
    (q) => {
      const r = core.assistant.ask(q.text, {
        locale: q.locale,
        lang: q.lang as Lang | undefined,
        now: q.now ? parseInstant(q.now) : undefined,
        timeZone: q.timeZone,
      });
      const out: Record<string, unknown> = {
        id: q.id ?? null,
        faqId: r.faqId,
        lang: r.lang,
        score: r.score,
        answer: r.answer,
      };
      if (r.facts) out.facts = r.facts;
      if (!r.faqId) out.suggestions = r.suggestions;
      if (r.scope) out.scope = r.scope;
      write(JSON.stringify(out));
    },
    { withId: true },
  );
}

/** `gnlc ask`: one question from the command line, or JSON lines from stdin; over the content only, no store. */
export async function runAsk(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      lang: { type: 'string' },
      locale: { type: 'string' },
      now: { type: 'string' },
      tz: { type: 'string' },
      data: { type: 'string' },
    },
  });
  const core = createCore({ clock: clockFrom(values.now), dataDir: values.data, store: createMemoryStore() });
  if (values.json) {
    await askJsonLines(core, io.stdin, (line) => io.stdout.write(`${line}\n`));
    return 0;
  }
  const text = positionals.join(' ').trim();
  if (!text) throw new UsageError('ask: give a question, e.g. gnlc ask "When is the deadline?"');
  const r = core.assistant.ask(text, { lang: langFrom(values.lang), locale: values.locale, timeZone: values.tz });
  io.stdout.write(`${r.answer}\n`);
  return 0;
}
