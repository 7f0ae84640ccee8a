import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELD, FIELDS, missingFields, type FieldDef } from '../../src/core/application/form.ts';
import { INTAKE_ACTIONS } from '../../src/core/actions.ts';
import { actionValue, ENDORSE_ACTIONS } from '../../src/core/endorsement/decisions.ts';
import { createLowdbStore, verifyStore } from '../../src/store/lowdb.ts';
import type { Answer } from '../../src/core/records.ts';
import { Chat, command, validAnswers } from '../conversation.ts';
import { inRoom, world, type World } from '../endorsement-world.ts';
import { describeProblem } from '../../src/core/store-errors.ts';

/**
 * The whole workflow against a model: random sequences of answers, skips, edits, cancels, submissions,
 * returns, resubmissions, endorsements and declines, for applicants of two countries (one of which can reach
 * its quota), through the embedded store on disk. After every step the store verifies, and what is on disk
 * (read by a fresh store) equals the model: every draft's answers, every application's status, revision,
 * answers and changes. The model knows what each answer stores from the form's own field parsers; what it
 * checks is that nothing is lost, poisoned, mixed up between people or written that does not read.
 */

const USERS = [
  { id: 'a0', city: 'Hamburg', country: 'DE' },
  { id: 'a1', city: 'Bremen', country: 'DE' },
  { id: 'a2', city: 'Leipzig', country: 'DE' },
  { id: 'a3', city: 'Dresden', country: 'DE' },
  { id: 'a4', city: 'Lyon', country: 'FR' },
];
const ENDORSER: Record<string, string> = { DE: 'anna', FR: 'claire' };
const CONFIG = {
  coordinators: {
    room: { channel: 'local' as const, id: 'coordinators' },
    members: [{ channel: 'local' as const, user: 'coord1' }],
  },
  commissions: {
    DE: {
      name: 'German Commission for UNESCO',
      room: { channel: 'local' as const, id: 'commission-DE' },
      endorsers: [{ channel: 'local' as const, user: 'anna' }],
    },
    FR: {
      room: { channel: 'local' as const, id: 'commission-FR' },
      endorsers: [{ channel: 'local' as const, user: 'claire' }],
    },
  },
};

/** A second valid answer for the typed fields (the first is the suite's usual complete application). */
const OTHER: Record<string, string> = {
  'city.website': 'https://learning.example.org/city',
  'mayor.lastName': 'Kamau',
  'mayor.firstName': 'Amina',
  'mayor.title': 'Mayor',
  'contact.lastName': 'Njeri',
  'contact.firstName': 'Mary',
  'contact.title': 'Head of Learning',
  'contact.organization': 'City Council',
  'contact.address': 'PO Box 1, Main Street',
  'contact.postcode': '20095',
  'contact.phone': '+49 40 428 280',
  'contact.email': 'learning@example.org',
  'profile.year': '2023',
  'profile.population': '1,000,000',
  'profile.area': '250.5',
  'profile.gdpCity': '48,000',
  'profile.gdpCountry': '2,500',
  'profile.schoolingMen': '9.5',
  'profile.schoolingWomen': '9.8',
  motivation:
    'We want every resident to learn throughout life, and we will open our libraries and schools to all ages.',
  implementation:
    'A learning festival every spring, a council for lifelong learning, and a yearly report on what we achieved.',
};

type Step =
  | { kind: 'start' | 'skip' | 'back' | 'submit'; user: number }
  | { kind: 'reopen'; user: number; fillEmpty: boolean }
  | { kind: 'fill' | 'apply'; user: number; skipOptional: boolean }
  | { kind: 'answer'; user: number; variant: number }
  | { kind: 'edit'; user: number; field: number; variant: number }
  | { kind: 'cancel'; user: number; confirm: boolean }
  | { kind: 'decide'; user: number; action: 'endorse' | 'return' | 'decline' };

/** Whom a step is about: an index into the people it can apply to (with a draft, with an application waiting …). */
const user = fc.nat({ max: 99 });
const variant = fc.integer({ min: 0, max: 2 });
const OPTIONAL = FIELDS.flatMap((f, i) => (f.optional ? [i] : []));
/**
 * Any field, the optional ones more often
 * (skipped, then given at a resubmission: the path that once poisoned the store).
 */
const field = fc.oneof(fc.integer({ min: 0, max: FIELDS.length - 1 }), fc.constantFrom(...OPTIONAL));
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('start' as const), user }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('fill' as const), user, skipOptional: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('apply' as const), user, skipOptional: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('answer' as const), user, variant }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('skip' as const), user }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('back' as const), user }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('edit' as const), user, field, variant }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), user, confirm: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('submit' as const), user }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('decide' as const),
      user,
      action: fc.oneof(
        { weight: 4, arbitrary: fc.constant('endorse' as const) },
        { weight: 2, arbitrary: fc.constant('return' as const) },
        { weight: 1, arbitrary: fc.constant('decline' as const) },
      ),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('reopen' as const), user, fillEmpty: fc.boolean() }) },
);

interface ModelApp {
  id: string;
  user: number;
  status: 'submitted' | 'forwarded' | 'returned' | 'declined';
  revision: number;
  answers: Record<string, Answer>;
  changes: { field: string; before: Answer | null; after: Answer | null }[];
}
interface ModelDraft {
  answers: Record<string, Answer>;
  resubmit?: string;
}

/** The system under test and the model, side by side. */
class Run {
  /** What the run did, over all its sequences (the test requires each to have happened). */
  static seen = {
    submitted: 0,
    resubmitted: 0,
    filledAfterSkip: 0,
    endorsed: 0,
    refusedByQuota: 0,
    returned: 0,
    declined: 0,
    cancelled: 0,
    duplicate: 0,
  };
  readonly drafts = new Map<number, ModelDraft>();
  readonly apps: ModelApp[] = [];
  readonly chats: Chat[];
  readonly typed: [Record<string, string>, Record<string, string>];

  constructor(readonly w: World) {
    this.chats = USERS.map((u) => new Chat(w.core.assistant, u.id, 'en-GB'));
    const t = w.core.i18n.t;
    this.typed = [validAnswers('en', t), { ...validAnswers('en', t), ...OTHER }];
  }

  /** What the store holds for a user's draft right now (the field asked, the mode). */
  private async intake(u: number) {
    return (await this.w.store.conversations.get(`local:${USERS[u]!.id}`))?.intake;
  }

  /** Gives the field asked now an answer of `variant` (2: one it refuses); updates the model with what it stores. */
  private async answer(u: number, variant: number): Promise<void> {
    const intake = await this.intake(u);
    const field = FIELD.get(intake?.field ?? '');
    const draft = this.drafts.get(u);
    if (intake?.mode !== 'filling' || !field || !draft) return;
    const chat = this.chats[u]!;
    const value = await this.give(chat, field, variant, u, draft);
    if (value !== undefined) draft.answers[field.key] = value;
  }

  private async give(
    chat: Chat,
    field: FieldDef,
    variant: number,
    u: number,
    draft: ModelDraft,
  ): Promise<Answer | undefined> {
    const choose = (c: string) => chat.press(INTAKE_ACTIONS.choose, `${field.key}=${c}`);
    if (field.kind === 'confirm') {
      await choose(variant === 2 ? 'no' : 'yes');
      return variant === 2 ? undefined : true;
    }
    if (field.choices) {
      if (variant === 2) {
        await choose('not-a-choice');
        return undefined;
      }
      if (field.multiple) {
        const picked = variant === 0 ? [field.choices[0]!] : [field.choices[1]!, field.choices[3]!];
        for (const c of picked) await choose(c);
        await chat.press(INTAKE_ACTIONS.done);
        // Asked again (an edit), the current choices are ticked: a press toggles one of them.
        const ticked = new Set((draft.answers[field.key] as string[] | undefined) ?? []);
        for (const c of picked)
          if (ticked.has(c)) ticked.delete(c);
          else ticked.add(c);
        // None left: "pick at least one", and the answer stays as it was.
        return ticked.size ? field.choices.filter((c) => ticked.has(c)) : undefined;
      }
      const c = field.choices[variant % field.choices.length]!;
      await choose(c);
      return field.kind === 'rating' ? Number(c) : c;
    }
    const own = USERS[u]!;
    const text =
      field.key === 'city.name'
        ? variant === 1
          ? `${own.city}`
          : own.city
        : field.key === 'city.country'
          ? own.country
          : variant === 2
            ? '!'
            : this.typed[variant]![field.key]!;
    await chat.say(text);
    const parsed = field.parse(text, { lang: 'en', answers: draft.answers, today: '2025-06-01', currentYear: 2025 });
    return parsed.ok ? (parsed.value as Answer) : undefined;
  }

  private async start(u: number): Promise<void> {
    await this.chats[u]!.press(INTAKE_ACTIONS.start);
    if (!this.drafts.has(u)) this.drafts.set(u, { answers: {} });
  }

  private async skip(u: number): Promise<void> {
    const intake = await this.intake(u);
    const draft = this.drafts.get(u);
    if (!intake || !draft) return;
    await this.chats[u]!.say(command(this.w.core.i18n.t, 'en', 'skip'));
    if (intake.mode === 'filling' && FIELD.get(intake.field ?? '')?.optional) delete draft.answers[intake.field!];
  }

  /** Submits the draft and confirms; the model takes the application (or the resubmission) when nothing is missing. */
  private async submit(u: number): Promise<void> {
    const chat = this.chats[u]!;
    const draft = this.drafts.get(u);
    const mine = this.apps.find((a) => a.user === u);
    const intake = await this.intake(u);
    if (!intake || !draft || intake.mode === 'confirm_cancel') return;
    await chat.press(INTAKE_ACTIONS.submit);
    await chat.press(INTAKE_ACTIONS.yes);
    if (missingFields(draft.answers).length) return;
    if (draft.resubmit) {
      const app = this.apps.find((a) => a.id === draft.resubmit)!;
      const keys = [...new Set([...Object.keys(app.answers), ...Object.keys(draft.answers)])];
      app.changes = keys
        .filter((k) => JSON.stringify(app.answers[k]) !== JSON.stringify(draft.answers[k]))
        .map((field) => ({ field, before: app.answers[field] ?? null, after: draft.answers[field] ?? null }));
      Run.seen.resubmitted++;
      if (app.changes.some((c) => c.before === null)) Run.seen.filledAfterSkip++;
      Object.assign(app, { status: 'submitted', revision: app.revision + 1, answers: structuredClone(draft.answers) });
    } else {
      if (mine) {
        Run.seen.duplicate++;
        return; // the city has applied in this call: refused as a duplicate, the draft stays
      }
      Run.seen.submitted++;
      const id = /GNLC-2025-[A-Z]{2}-\d{3}/.exec(chat.text)?.[0];
      expect(id, `submitted: ${chat.text}`).toBeDefined();
      this.apps.push({
        id: id!,
        user: u,
        status: 'submitted',
        revision: 1,
        answers: structuredClone(draft.answers),
        changes: [],
      });
    }
    this.drafts.delete(u);
    return;
  }

  /** Starts a draft when there is none, then answers every question asked (skipping the optional ones, or not). */
  private async fill(u: number, skipOptional: boolean): Promise<void> {
    if (!this.drafts.has(u)) await this.start(u);
    for (let i = 0; i < FIELDS.length + 5; i++) {
      const intake = await this.intake(u);
      if (intake?.mode !== 'filling') return;
      if (skipOptional && FIELD.get(intake.field ?? '')?.optional) await this.skip(u);
      else await this.answer(u, 0);
    }
  }

  /** The applicant a step is about: `pick` among those it can apply to, when there are any. */
  private who(s: Step): number {
    const all = USERS.map((_, i) => i);
    const waiting = this.apps.filter((a) => a.status === 'submitted').map((a) => a.user);
    const returned = this.apps.filter((a) => a.status === 'returned' && !this.drafts.has(a.user)).map((a) => a.user);
    const drafting = [...this.drafts.keys()];
    // Mostly people who have not applied yet start a form (when everyone has, someone tries again: a duplicate).
    const fresh = all.filter((u) => !this.apps.some((a) => a.user === u) || this.drafts.get(u)?.resubmit);
    const candidates =
      s.kind === 'decide'
        ? waiting
        : s.kind === 'reopen'
          ? returned
          : ['start', 'fill', 'apply'].includes(s.kind)
            ? fresh
            : drafting;
    const from = candidates.length ? candidates : all;
    return from[s.user % from.length]!;
  }

  async apply(s: Step): Promise<void> {
    const u = this.who(s);
    const chat = this.chats[u]!;
    const draft = this.drafts.get(u);
    const mine = this.apps.find((a) => a.user === u);
    switch (s.kind) {
      case 'start':
        return this.start(u);
      case 'answer':
        return this.answer(u, s.variant);
      case 'apply':
        await this.fill(u, s.skipOptional);
        return this.submit(u);
      case 'fill':
        return this.fill(u, s.skipOptional);
      case 'skip':
        return this.skip(u);
      case 'back':
        await chat.say(command(this.w.core.i18n.t, 'en', 'back'));
        return;
      case 'edit': {
        const intake = await this.intake(u);
        if (!intake || !draft || (intake.mode !== 'filling' && intake.mode !== 'review')) return;
        // In a returned application, an optional field left empty is what gets filled in (and once poisoned the store).
        const empty = OPTIONAL.filter((i) => draft.answers[FIELDS[i]!.key] === undefined);
        const field =
          FIELDS[
            (draft.resubmit || OPTIONAL.includes(s.field)) && empty.length ? empty[s.field % empty.length]! : s.field
          ]!;
        await chat.press(INTAKE_ACTIONS.edit, field.key);
        const value = await this.give(chat, field, s.variant, u, draft);
        if (value !== undefined) draft.answers[field.key] = value;
        return;
      }
      case 'cancel': {
        const intake = await this.intake(u);
        await chat.press(INTAKE_ACTIONS.cancel);
        await chat.press(s.confirm ? INTAKE_ACTIONS.yes : INTAKE_ACTIONS.no);
        if (intake && s.confirm && (intake.mode === 'filling' || intake.mode === 'review')) {
          this.drafts.delete(u);
          Run.seen.cancelled++;
        }
        return;
      }
      case 'submit':
        return this.submit(u);
      case 'decide': {
        if (mine?.status !== 'submitted') return;
        const country = USERS[u]!.country;
        const endorser = inRoom(ENDORSER[country]!, `commission-${country}`);
        await this.w.core.assistant.handle(endorser.press(s.action, actionValue(mine)));
        if (s.action === 'endorse') {
          const endorsed = this.apps.filter(
            (a) => USERS[a.user]!.country === country && a.status === 'forwarded',
          ).length;
          if (endorsed < 3) mine.status = 'forwarded';
          Run.seen[endorsed < 3 ? 'endorsed' : 'refusedByQuota']++;
          return;
        }
        await this.w.core.assistant.handle({
          ...endorser.say(`Reason for ${s.action}`),
          room: { id: `dm:${ENDORSER[country]}`, direct: true },
        });
        mine.status = s.action === 'return' ? 'returned' : 'declined';
        Run.seen[mine.status]++;
        return;
      }
      case 'reopen':
        if (mine?.status !== 'returned' || draft) return;
        await chat.press(ENDORSE_ACTIONS.reopen, mine.id);
        this.drafts.set(u, { answers: structuredClone(mine.answers), resubmit: mine.id });
        // What a commission often asks for: an optional answer left empty, given now.
        if (s.fillEmpty) {
          const empty = OPTIONAL.find((i) => mine.answers[FIELDS[i]!.key] === undefined);
          if (empty !== undefined) await this.apply({ kind: 'edit', user: u, field: empty, variant: 0 });
        }
        return;
    }
  }

  /** The store verifies, and what is on disk equals the model. */
  async check(after: Step): Promise<void> {
    const where = JSON.stringify(after);
    expect((await verifyStore(this.w.dir)).map(describeProblem), where).toEqual([]);
    const disk = createLowdbStore(this.w.dir);
    const stored = [
      ...(await disk.applications.listByCountry('2025', 'DE')),
      ...(await disk.applications.listByCountry('2025', 'FR')),
    ];
    expect(stored.map((a) => a.id).sort(), where).toEqual(this.apps.map((a) => a.id).sort());
    for (const app of this.apps) {
      const s = stored.find((a) => a.id === app.id)!;
      // Changes in field order (the order of the draft's answers on disk is not the model's to know).
      const byField = (list: ModelApp['changes']) => [...list].sort((a, b) => a.field.localeCompare(b.field));
      expect(
        { status: s.status, revision: s.revision, answers: s.answers, changes: byField(s.changes) },
        `${app.id} after ${where}`,
      ).toEqual({
        status: app.status,
        revision: app.revision,
        answers: app.answers,
        changes: byField(app.changes),
      });
    }
    for (const [u, { id }] of USERS.entries()) {
      const conv = await disk.conversations.get(`local:${id}`);
      expect(conv?.intake?.answers ?? null, `${id}'s draft after ${where}`).toEqual(
        this.drafts.get(u)?.answers ?? null,
      );
      expect(conv?.applications ?? [], `${id}'s applications after ${where}`).toEqual(
        this.apps.filter((a) => a.user === u).map((a) => a.id),
      );
    }
  }
}

describe('the workflow through the embedded store, against a model', () => {
  it('after every step of random sequences the store verifies and holds exactly what the model holds', async () => {
    const runs = Number(process.env.WORKFLOW_RUNS ?? 16);
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 30, maxLength: 150 }), async (steps) => {
        const run = new Run(world({ config: CONFIG }));
        for (const s of steps) {
          await run.apply(s);
          await run.check(s);
        }
      }),
      // Shrinking replays long sequences for minutes: the suite stops at the first failure (seed and case printed).
      // Its own fixed seed, one whose 16 sequences go through every path counted below (FC_SEED explores others).
      { numRuns: runs, endOnFailure: !process.env.FC_SHRINK, seed: Number(process.env.FC_SEED ?? 3) },
    );
    // The sequences went through every path (fast-check's seed is fixed in the suite: FC_SEED explores others).
    console.info(`workflow: ${runs} sequences: ${JSON.stringify(Run.seen)}`);
    for (const [path, n] of Object.entries(Run.seen)) expect(n, path).toBeGreaterThan(0);
  }, 240_000);
});
