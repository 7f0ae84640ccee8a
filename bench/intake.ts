/**
 * Intake turn latency on an empty store and on a store holding 10,000 applications and 50,000
 * conversations (the ratio is the figure: cost must not grow with the store), and peak memory.
 */
import { SIZE } from './size.ts';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import countries from 'i18n-iso-countries';
import { fixedClock } from '../src/core/clock.ts';
import { createCore } from '../src/core/create.ts';
import { createLowdbStore } from '../src/store/lowdb.ts';
import { keyedPaths, SHARD_VERSION } from '../src/store/files.ts';
import { CONVERSATION_VERSION, applicationId, type Application, type Conversation } from '../src/core/records.ts';
import { answerAll, Chat, validAnswers } from '../test/conversation.ts';
import { INTAKE_ACTIONS } from '../src/core/actions.ts';
import { createMemoryStore } from '../src/store/memory.ts';

const NOW = '2025-06-01T10:00:00Z';

/** A whole application through the dialog, submitted: "I want to apply", every answer, submit, confirm. */
async function applyAndSubmit(chat: Chat, answers: Record<string, string>): Promise<void> {
  await chat.say('I want to apply');
  await answerAll(chat, answers);
  await chat.press(INTAKE_ACTIONS.submit);
  await chat.press(INTAKE_ACTIONS.yes);
}

/** A Chat that records how long each turn takes. */
class TimedChat extends Chat {
  readonly times: number[] = [];
  private async time<R>(fn: () => Promise<R>): Promise<R> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.times.push(performance.now() - t0);
    }
  }
  override say(text: string) {
    return this.time(() => super.say(text));
  }
  override press(id: string, value?: string) {
    return this.time(() => super.press(id, value));
  }
}

/** One real submitted application (made through the dialog), to clone into a large store. */
async function sampleApplication(): Promise<Application> {
  const store = createMemoryStore();
  const core = createCore({ clock: fixedClock(new Date(NOW)), store });
  await applyAndSubmit(new Chat(core.assistant, 'sample'), validAnswers('en', core.i18n.t));
  return (await store.applications.get('GNLC-2025-KE-001'))!;
}

/** Writes 50,000 conversations and 10,000 applications in the embedded store's file layout. */
function populate(
  dir: string,
  sample: Application,
  conversations = SIZE.storeConversations,
  applications = SIZE.storeApplications,
): void {
  for (let i = 0; i < conversations; i++) {
    const key = `local:filler-${i}`;
    const conv: Conversation = {
      version: CONVERSATION_VERSION,
      key,
      lang: { last: 'en' },
      applications: [],
      updatedAt: NOW,
      intake: {
        mode: 'filling',
        field: 'city.website',
        answers: { 'city.name': `City ${i}`, 'city.country': 'DE' },
        skipped: [],
        history: ['city.name', 'city.country'],
        returnToReview: false,
        startedAt: NOW,
      },
    };
    const { file } = keyedPaths(dir, 'conversations', key);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(conv));
  }
  const codes = Object.keys(countries.getAlpha2Codes());
  const perCountry = new Map<string, Application[]>();
  for (let i = 0; i < applications; i++) {
    const country = codes[i % codes.length]!;
    const list = perCountry.get(country) ?? [];
    list.push({
      ...sample,
      id: applicationId('2025', country, list.length + 1),
      country,
      cityKey: `city${i}`,
      answers: { ...sample.answers, 'city.name': `City ${i}`, 'city.country': country },
    });
    perCountry.set(country, list);
  }
  mkdirSync(path.join(dir, 'applications', '2025'), { recursive: true });
  for (const [country, list] of perCountry) {
    writeFileSync(
      path.join(dir, 'applications', '2025', `${country}.json`),
      JSON.stringify({ version: SHARD_VERSION, applications: list }),
    );
  }
}

/** Runs `users` applicants through the whole form (and a submission) and times every turn. */
async function timeTurns(dir: string, users: number, first = 0): Promise<number[]> {
  const core = createCore({ clock: fixedClock(new Date(NOW)), store: createLowdbStore(dir) });
  const times: number[] = [];
  for (let u = first; u < first + users; u++) {
    const chat = new TimedChat(core.assistant, `bench-${u}`);
    await applyAndSubmit(chat, { ...validAnswers('en', core.i18n.t), 'city.name': `Bench City ${u}` });
    times.push(...chat.times);
  }
  return times;
}

const pct = (s: number[], p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;

/** The intake figures, for bench/run.ts. */
export async function benchIntake(users = SIZE.users) {
  const sample = await sampleApplication();
  const empty = mkdtempSync(path.join(tmpdir(), 'gnlc-bench-empty-'));
  const full = mkdtempSync(path.join(tmpdir(), 'gnlc-bench-full-'));
  const t0 = performance.now();
  populate(full, sample);
  const populateMs = performance.now() - t0;
  await timeTurns(empty, 5, 1_000_000); // warm-up (JIT, caches)
  // Alternate the two stores over several rounds so machine noise (disk, other load) hits both alike.
  const a: number[] = [];
  const b: number[] = [];
  const rounds = 4;
  for (let r = 0; r < rounds; r++) {
    const order =
      r % 2 === 0
        ? ([
            [empty, a],
            [full, b],
          ] as const)
        : ([
            [full, b],
            [empty, a],
          ] as const);
    for (const [dir, out] of order) out.push(...(await timeTurns(dir, Math.ceil(users / rounds), r * users)));
  }
  a.sort((x, y) => x - y);
  b.sort((x, y) => x - y);
  return {
    turns: a.length,
    empty: { p50: pct(a, 50), p99: pct(a, 99) },
    full: { p50: pct(b, 50), p99: pct(b, 99) },
    ratioP50: pct(b, 50) / pct(a, 50),
    ratioMean: b.reduce((s, x) => s + x, 0) / b.length / (a.reduce((s, x) => s + x, 0) / a.length),
    populateMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}
