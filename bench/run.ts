/**
 * npm run bench — speed figures on this machine (targets: FAQ p99 <= 0.5 ms per question, cold start to first
 * answer <= 1 s median on 2 cores, Slack and Teams turns p50 <= 1.2× and p99 <= 1.5× their bare framework's echo).
 * Prints a table and the command to reproduce it. `BENCH_SMOKE=1` runs every section tiny (npm test does).
 */
import { createMemoryStore } from '../src/store/memory.ts';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fixedClock } from '../src/core/clock.ts';
import { createCore } from '../src/core/create.ts';
import { LANGS } from '../src/core/lang.ts';
import { benchIntake } from './intake.ts';
import { benchRefusals } from './refusals.ts';
import { benchSlack } from './slack.ts';
import { benchTeams } from './teams.ts';
import { SIZE } from './size.ts';
import { isBuilt } from '../bin/launch.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const N = SIZE.questions;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const ms = (n: number) => `${n.toFixed(3)} ms`;

/** Questions: the held-out set, the FAQ's own variants and out-of-scope questions, in all six languages. */
function questions(): string[] {
  const set = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/paraphrases.json'), 'utf8'));
  const out: string[] = [...set.inScope, ...set.outOfScope].map((q: { text: string }) => q.text);
  for (const lang of LANGS) {
    const faq = JSON.parse(readFileSync(path.join(ROOT, `data/faq/${lang}.json`), 'utf8')) as Record<
      string,
      { questions: string[] }
    >;
    for (const e of Object.values(faq)) out.push(...e.questions);
  }
  return out;
}

function benchFaq() {
  const core = createCore({ clock: fixedClock(new Date('2025-06-10T12:00:00Z')), store: createMemoryStore() });
  const qs = questions();
  for (let i = 0; i < Math.min(2000, N); i++) core.assistant.ask(qs[i % qs.length]!); // warm-up (JIT)
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const q = qs[i % qs.length]!;
    const t0 = performance.now();
    core.assistant.ask(q);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return {
    n: N,
    distinct: qs.length,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: times[times.length - 1]!,
  };
}

/**
 * Cold start: a new process of the `gnlc` command that loads data, locales and indexes and prints its first answer.
 * The command runs the built program when it is current (bin/launch.mjs); the bench builds it first if it is not
 * (not in the smoke run, where other tests may be running the command).
 */
function benchStart(runs = SIZE.startRuns) {
  const built = isBuilt();
  if (!built && !SIZE.smoke) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`npm run build failed: ${b.stderr}`);
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['bin/gnlc.mjs', 'ask', 'When is the deadline?', '--now', '2025-06-10'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    times.push(performance.now() - t0);
    if (r.status !== 0 || !r.stdout.includes('2025')) throw new Error(`first answer failed: ${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  const from = isBuilt() ? 'the built program' : 'the sources through tsx';
  return { runs, median: percentile(times, 50), max: times[times.length - 1]!, from };
}

/** The CPU each app under test used per turn (the closed loop's latency ratio follows it). */
function cpuLine(r: { ours: { cpu: number }; echo: { cpu: number } }): string {
  const ratio = (r.ours.cpu / r.echo.cpu).toFixed(2);
  return `  CPU per turn:    ours ${ms(r.ours.cpu)}, echo ${ms(r.echo.cpu)}   ratio ${ratio}`;
}

const faq = benchFaq();
const start = benchStart();
console.log(`GNLC bench — node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
console.log(
  `FAQ answer latency over ${faq.n} questions (${faq.distinct} distinct, 6 languages): ` +
    `p50 ${ms(faq.p50)}, p99 ${ms(faq.p99)}, max ${ms(faq.max)}  [target p99 <= 0.5 ms]`,
);
console.log(
  `Cold start to first answer (gnlc ask, ${start.from}, ${start.runs} runs): ` +
    `median ${ms(start.median)}, max ${ms(start.max)}  [target median <= 1000 ms]`,
);
const intake = await benchIntake();
console.log(`Intake turn latency (${intake.turns} turns of whole applications, lowdb store on disk):`);
console.log(`  empty store:                                 p50 ${ms(intake.empty.p50)}, p99 ${ms(intake.empty.p99)}`);
console.log(
  `  ${SIZE.storeApplications} applications + ${SIZE.storeConversations} conversations:  ` +
    `p50 ${ms(intake.full.p50)}, p99 ${ms(intake.full.p99)}`,
);
console.log(
  `  ratio full/empty: p50 ${intake.ratioP50.toFixed(2)}, mean ${intake.ratioMean.toFixed(2)}  [target <= 1.2]  ` +
    `(store populated in ${(intake.populateMs / 1000).toFixed(1)} s)`,
);
console.log(`Peak memory (max RSS of the bench process): ${intake.peakRssMb.toFixed(0)} MB`);
const slack = await benchSlack();
console.log(
  'Slack turn latency (signed event in → chat.postMessage at a fake Web API), ' +
    `${slack.conversations} concurrent conversations, ${slack.turns} turns:`,
);
console.log(
  `  GNLC app:        p50 ${ms(slack.ours.p50)}, p99 ${ms(slack.ours.p99)}  ` +
    '[target p50 <= 1.2× echo, p99 <= 1.5× echo]',
);
console.log(
  `  bare Bolt echo:  p50 ${ms(slack.echo.p50)}, p99 ${ms(slack.echo.p99)}   ` +
    `ratio p50 ${(slack.ours.p50 / slack.echo.p50).toFixed(2)}`,
);
console.log(cpuLine(slack));
const teams = await benchTeams();
console.log(
  'Teams turn latency (activity in → reply at a fake Bot Connector), ' +
    `${teams.conversations} concurrent conversations, ${teams.turns} turns:`,
);
console.log(
  `  GNLC bot:           p50 ${ms(teams.ours.p50)}, p99 ${ms(teams.ours.p99)}  ` +
    '[target p50 <= 1.2× echo, p99 <= 1.5× echo]',
);
console.log(
  `  bare botbuilder echo: p50 ${ms(teams.echo.p50)}, p99 ${ms(teams.echo.p99)}   ` +
    `ratio p50 ${(teams.ours.p50 / teams.echo.p50).toFixed(2)}`,
);
console.log(cpuLine(teams));
const refusals = await benchRefusals();
console.log(
  `Unauthenticated flood (${refusals.requests} activities of ${refusals.kb} kB, ` +
    '100,000 keys, no token, at once, MicrosoftAppId set):',
);
console.log(
  `  all 401 in ${ms(refusals.ms)} (${ms(refusals.ms / refusals.requests)} each); ` +
    `/healthz meanwhile: max ${ms(refusals.healthMax)}  [target: /healthz max < 500 ms]`,
);
console.log(
  'Reproduce: npm run bench   (sizes in bench/size.ts: BENCH_QUESTIONS, BENCH_USERS, BENCH_SLACK_TURNS, ' +
    'BENCH_TEAMS_TURNS, BENCH_CONVERSATIONS, BENCH_ROUNDS …; BENCH_SMOKE=1 for a quick check)',
);
