/**
 * How much work each bench section does. `BENCH_SMOKE=1` (what `npm test` runs) makes every section tiny: it
 * checks that the bench still runs end to end and prints its figures, not the figures themselves. The other
 * variables size one section each for a real run.
 */
const SMOKE = process.env.BENCH_SMOKE === '1';
const n = (name: string, full: number, smoke: number) => Number(process.env[name] ?? (SMOKE ? smoke : full));

/** `BENCH_PROFILE=<dir>`: each app under test writes a CPU profile there (`--cpu-prof`), for a flame graph. */
export const PROFILE_FLAGS = process.env.BENCH_PROFILE
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
  : [];

export const SIZE = {
  smoke: SMOKE,
  questions: n('BENCH_QUESTIONS', 20_000, 200),
  startRuns: n('BENCH_START_RUNS', 5, 1),
  users: n('BENCH_USERS', 40, 4),
  storeConversations: n('BENCH_STORE_CONVERSATIONS', 50_000, 50),
  storeApplications: n('BENCH_STORE_APPLICATIONS', 10_000, 20),
  conversations: n('BENCH_CONVERSATIONS', 50, 2),
  slackTurns: n('BENCH_SLACK_TURNS', 20, 1),
  teamsTurns: n('BENCH_TEAMS_TURNS', 20, 1),
  rounds: n('BENCH_ROUNDS', 3, 1),
  floodRequests: n('BENCH_FLOOD_REQUESTS', 40, 4),
};
