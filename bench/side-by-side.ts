/**
 * The procedure shared by the Slack and Teams endpoint benches: the held-out questions grouped by
 * language (each user asks in one language, as people do), a warm-up, then rounds alternating the
 * echo app and ours so noise on the machine hits both, and p50/p99 of each.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Latency of every turn of one load run (ms). */
export type Load<T> = (target: T, questions: string[][], turns: number) => Promise<number[]>;

/** The held-out in-scope questions, one list per language. */
export function questionsByLanguage(): string[][] {
  const set = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/paraphrases.json'), 'utf8'));
  const byLang = new Map<string, string[]>();
  for (const q of set.inScope as { lang: string; text: string }[])
    byLang.set(q.lang, [...(byLang.get(q.lang) ?? []), q.text]);
  return [...byLang.values()];
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
function stats(times: number[]) {
  const s = [...times].sort((a, b) => a - b);
  return { p50: pct(s, 50), p99: pct(s, 99) };
}

/**
 * Runs `load` against both targets: two warm-up turns each, then `rounds` alternating rounds of `turns`. `cpu` is a
 * target's CPU time so far (ms): the CPU per turn of each, over the timed rounds, is what the ratio of latencies
 * under this closed loop comes from, and it is steadier than latency on a busy machine.
 */
export async function sideBySide<T>(
  targets: { ours: T; echo: T },
  load: Load<T>,
  cpu: (target: T) => Promise<number>,
  conversations: number,
  turns: number,
  rounds: number,
) {
  const questions = questionsByLanguage();
  await load(targets.ours, questions, 2); // warm-up: JIT, caches, files
  await load(targets.echo, questions, 2);
  const all = { ours: [] as number[], echo: [] as number[] };
  const used = { ours: 0, echo: 0 };
  const timed = async (which: 'ours' | 'echo') => {
    const before = await cpu(targets[which]);
    all[which].push(...(await load(targets[which], questions, turns)));
    used[which] += (await cpu(targets[which])) - before;
  };
  for (let r = 0; r < rounds; r++) {
    await timed('echo');
    await timed('ours');
  }
  const perTurn = (which: 'ours' | 'echo') => used[which] / all[which].length;
  return {
    conversations,
    turns: all.ours.length,
    ours: { ...stats(all.ours), cpu: perTurn('ours') },
    echo: { ...stats(all.echo), cpu: perTurn('echo') },
  };
}
