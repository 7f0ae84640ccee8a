/**
 * What the simulated people do: applicants fill in and submit a whole application; endorsers decide the
 * cards that reach their commission's room; askers ask FAQ questions. In the crash run a lost turn (the
 * server was killed) is recovered from as a person would: ask for the status, continue, press again.
 */
import { INTAKE_ACTIONS } from '../../src/core/actions.ts';
import { command } from '../../test/conversation.ts';
import { literal, FormReader, formState, hasAction, pause, think, type FormState, type Person } from './people.ts';
import type { Seen } from './platforms.ts';

const isFormState = (reader: FormReader) => (s: Seen) => formState(reader, s).kind !== 'other';

/** An applicant: fills in the form from an answer sheet, field by field as asked, then submits. */
export class Applicant {
  readonly reader: FormReader;
  /** The fields asked, in order (each once, the interests twice: typed, then Done). */
  readonly asked: string[] = [];
  /** Fields asked again after a later one, when a restart lost nothing it should not have. */
  readonly wentBack: string[] = [];
  id?: string;
  recoveries = 0;
  constructor(
    readonly person: Person,
    readonly answers: Record<string, string>,
  ) {
    this.reader = new FormReader(person.stage.t, person.lang);
  }

  private word(kind: string): string {
    return command(this.person.stage.t, this.person.lang, kind);
  }

  private read(s: Seen | undefined): FormState {
    return formState(this.reader, s);
  }

  /** Fills in the form and submits it; with `until: 'review'`, stops at the review (a draft is left). */
  async run(opts: { until?: 'review' } = {}): Promise<void> {
    const { person } = this;
    const { stage } = person;
    const ends = isFormState(this.reader);
    let state = this.read(await person.say(this.word('apply_exact'), { ends }));
    let pressedDone = false;
    // 200 steps of the form, and four more for each turn lost to a kill (the answer lost, the question asked
    // again after the status, and the interests or the confirmation again); recoveries are bounded only so that a
    // bot that never answers ends the run.
    for (let step = 0; step < 200 + 4 * this.recoveries; ) {
      if (state.kind === 'lost' || state.kind === 'other') {
        if (!stage.crashes) {
          stage.problems.push(
            `${person.inbox}: the form stopped ` +
              `(${state.kind === 'other' ? state.seen.content.slice(0, 200) : 'no answer'})`,
          );
          return;
        }
        if (this.recoveries >= MAX_RECOVERIES) break;
        state = await this.recover();
        continue;
      }
      step++;
      if (state.kind === 'submitted') {
        this.id = state.id;
        return;
      }
      if (state.kind === 'review' && opts.until === 'review') return;
      await think(stage);
      if (state.kind === 'review')
        state = this.read(await person.press(state.seen, INTAKE_ACTIONS.submit, undefined, { ends }));
      else if (state.kind === 'confirm')
        state = this.read(await person.press(state.seen, INTAKE_ACTIONS.yes, undefined, { ends }));
      else if (state.kind === 'field') {
        const { field } = state;
        const last = this.asked.at(-1);
        if (last && last !== field && this.asked.includes(field) && field !== 'interests') this.wentBack.push(field);
        this.asked.push(field);
        // The interests are picked by typing them, then confirmed with Done (typed again if a restart lost them).
        // (Done only when the card offers it: a kill may have lost the typed interests, which are then typed again.)
        if (
          field === 'interests' &&
          this.asked.filter((f) => f === 'interests').length > 1 &&
          !pressedDone &&
          hasAction(state.seen, INTAKE_ACTIONS.done)
        ) {
          pressedDone = true;
          state = this.read(await person.press(state.seen, INTAKE_ACTIONS.done, undefined, { ends }));
        } else {
          pressedDone = false;
          state = this.read(await person.say(this.answers[field] ?? '', { ends }));
        }
      }
    }
    stage.problems.push(`${person.inbox}: not submitted after 200 steps and ${this.recoveries} recoveries`);
  }

  /** After a lost turn: wait for the server, ask for the status, then continue the draft or start one. */
  private async recover(): Promise<FormState> {
    const { person } = this;
    this.recoveries++;
    await person.stage.server.up;
    const status = await person.say(this.word('status'));
    if (!status) return { kind: 'lost' };
    const ref = /GNLC-\d{4}-[A-Z]{2}-\d{3}/.exec(status.content);
    if (ref) return { kind: 'submitted', id: ref[0], seen: status };
    const ends = isFormState(this.reader);
    if (hasAction(status, INTAKE_ACTIONS.start))
      return this.read(await person.press(status, INTAKE_ACTIONS.start, undefined, { ends }));
    return this.read(await person.say(this.word('apply_exact'), { ends }));
  }
}

/** Lost turns an applicant recovers from at most (a crash run with 100 kills costs each about 100). */
const MAX_RECOVERIES = 2000;

/** What an endorser does with the n-th card of their country: endorse three, return one, decline the rest. */
export function policy(n: number): 'endorse' | 'return' | 'decline' {
  return n < 3 ? 'endorse' : n === 3 ? 'return' : 'decline';
}

/** What the bot answers an endorser privately about a card, read from its text. */
type PrivateReply = 'done' | 'already' | 'prompt' | 'quota' | 'stale' | 'other';
const PRIVATE_KEYS: [PrivateReply, string[]][] = [
  ['done', ['done.endorsed', 'done.returned', 'done.declined']],
  ['already', ['refused.already_decided', 'refused.already_status']],
  ['prompt', ['reason_prompt.return', 'reason_prompt.decline']],
  ['quota', ['refused.quota_reached']],
  ['stale', ['refused.stale']],
];

/** Reads the endorser's private replies in one language: each template, its variables as wildcards. */
class ReplyReader {
  private readonly patterns: [PrivateReply, RegExp][];
  constructor(person: Person) {
    const v = 'QQVQQ';
    const vars = Object.fromEntries(
      ['id', 'city', 'counter', 'status', 'name', 'date', 'commission', 'limit', 'list', 'revision', 'email'].map(
        (k) => [k, v],
      ),
    );
    this.patterns = PRIVATE_KEYS.flatMap(([kind, keys]) =>
      keys.map((k): [PrivateReply, RegExp] => {
        const text = JSON.stringify(person.stage.t(person.lang, `endorse:${k}`, vars)).slice(1, -1);
        return [kind, new RegExp(text.split(v).map(literal).join('.*?'))];
      }),
    );
  }

  /** What a private message says about application `id`. */
  kind(s: Seen, id: string): PrivateReply {
    if (!s.content.includes(id)) return 'other';
    return this.patterns.find(([, re]) => re.test(s.content))?.[0] ?? 'other';
  }
}

/** An endorser watching their commission's room; decides each new card in turn. */
export class Endorser {
  /** Application id → the decision made on it (seen on the card, or answered). */
  readonly decided = new Map<string, 'endorse' | 'return' | 'decline'>();
  /** Applications this endorser could not decide in all its attempts (a problem of the run). */
  readonly gaveUp = new Set<string>();
  private handled = new Set<string>();
  private stopped = false;
  private done!: Promise<void>;
  private readonly replies: ReplyReader;
  constructor(
    readonly person: Person,
    readonly room: string,
  ) {
    this.replies = new ReplyReader(person);
  }

  start(): void {
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  /** Messages of the room already looked at (each new one is read once). */
  private read = 0;
  private queue: Seen[] = [];

  private cards(): Seen[] {
    const box = this.person.stage.inboxes.of(this.room);
    for (; this.read < box.length; this.read++)
      if (hasAction(box[this.read]!, 'endorse')) this.queue.push(box[this.read]!);
    this.queue = this.queue.filter((s) => !this.handled.has(s.id));
    return this.queue;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const next = this.cards()[0];
      if (!next) {
        await pause(50);
        continue;
      }
      this.handled.add(next.id);
      const id = /GNLC-\d{4}-[A-Z]{2}-\d{3}(@\d+)?/.exec(next.content)?.[0]?.split('@')[0];
      // One decision per application: a second card of it (posted again after a restart) is not decided again.
      if (!id || this.decided.has(id) || this.gaveUp.has(id)) continue;
      await think(this.person.stage);
      // The n-th application of the country, counting those given up on (else one after them would be endorsed
      // past the quota).
      await this.decide(next, id, policy(this.decided.size + this.gaveUp.size));
    }
  }

  /**
   * Presses the decision on the card (and types the reason privately); retried after a restart. A turn ends
   * with the card redrawn, or with the bot's private answer: the reason asked for, "done", or "already
   * decided" (an earlier press went through though its answer was lost to a kill).
   */
  private async decide(card: Seen, id: string, decision: 'endorse' | 'return' | 'decline'): Promise<void> {
    const { person } = this;
    const { stage } = person;
    const value = (s: Seen) => new RegExp(`"${id}(@\\d+)?"`).exec(s.content)?.[0]?.slice(1, -1);
    // The card redrawn without the button: the decision went through, though its answer was lost to a kill.
    const stillOpen = () => {
      const last = card.updates.at(-1);
      return !last || hasAction({ ...card, content: JSON.stringify(last) }, decision);
    };
    const privately = { where: person.inbox, ends: (s: Seen) => this.replies.kind(s, id) !== 'other' };
    const outcome = (s: Seen | undefined): 'confirmed' | 'prompt' | 'refused' | 'lost' => {
      if (!s) return 'lost';
      if (s.id === card.id) return stillOpen() ? 'lost' : 'confirmed';
      const kind = this.replies.kind(s, id);
      if (kind === 'done' || kind === 'already') return 'confirmed';
      if (kind === 'prompt') return 'prompt';
      stage.problems.push(`${this.room}: ${id} (${decision}) refused: ${s.content.slice(0, 200)}`);
      return 'refused';
    };
    let result: ReturnType<typeof outcome> = 'lost';
    for (
      let attempt = 0;
      attempt < (stage.crashes ? 40 : 6) && result !== 'confirmed' && result !== 'refused';
      attempt++
    ) {
      if (attempt) {
        await stage.server.up;
        if (!stillOpen()) {
          result = 'confirmed';
          break;
        }
      }
      const updates = card.updates.length;
      const onCard = {
        kind: 'decision' as const,
        where: this.room,
        from: 0,
        ends: (s: Seen) => s.id === card.id && s.updates.length > updates,
        also: privately,
      };
      result = outcome(await person.press(card, decision, value(card), { ...onCard, room: this.room }));
      if (result !== 'prompt') continue;
      await think(stage);
      result = outcome(await person.say(`Load test: please revise section ${id}.`, onCard));
      // Asked for the reason again (the first one was lost to a kill): the next attempt presses again.
      if (result === 'prompt') result = 'lost';
    }
    if (result === 'confirmed') this.decided.set(id, decision);
    else {
      this.gaveUp.add(id);
      if (result !== 'refused') stage.problems.push(`${this.room}: ${id} could not be decided in all attempts`);
    }
  }
}

/** Someone asking FAQ questions of their language, one after the other. */
export class Asker {
  constructor(
    readonly person: Person,
    readonly questions: string[],
  ) {}

  async run(): Promise<void> {
    const { person } = this;
    for (const q of this.questions) {
      await think(person.stage);
      const answered = await person.say(q, { kind: 'faq' });
      if (!answered && person.stage.crashes) await person.stage.server.up;
    }
  }
}
