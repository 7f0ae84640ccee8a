import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INTAKE_ACTIONS } from '../../../src/core/actions.ts';
import { FIELDS } from '../../../src/core/application/form.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import { createCore } from '../../../src/core/create.ts';
import type { Lang } from '../../../src/core/lang.ts';
import { APPLICATION_VERSION, CONVERSATION_VERSION, type Application, type Intake } from '../../../src/core/records.ts';
import { ENDORSE_ACTIONS } from '../../../src/core/actions.ts';
import { createMemoryStore } from '../../../src/store/memory.ts';
import { Chat } from '../../conversation.ts';

/** The form's steering in ordinary situations: too long, an incomplete review, a resubmission, a restart. */
const NOW = '2025-06-01T10:00:00Z';
const COMPLETE: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../fixtures/complete-answers.json', import.meta.url), 'utf8'),
);
const OPTIONAL = FIELDS.filter((f) => f.optional && COMPLETE[f.key] === undefined).map((f) => f.key);

async function seeded(intake: Partial<Intake>, lang: Lang = 'en', apps: Application[] = []) {
  const store = createMemoryStore();
  const core = createCore({ clock: fixedClock(new Date(NOW)), store });
  const user = `steer-${Math.random().toString(36).slice(2)}`;
  const base: Intake = {
    mode: 'filling',
    answers: {},
    skipped: [],
    history: [],
    returnToReview: false,
    startedAt: NOW,
  };
  await store.conversations.save({
    version: CONVERSATION_VERSION,
    key: `local:${user}`,
    lang: { last: lang },
    applications: apps.map((a) => a.id),
    ...(Object.keys(intake).length ? { intake: { ...base, ...intake } } : {}),
    updatedAt: NOW,
  });
  for (const app of apps)
    await store.applications.add(
      app.cycle,
      app.country,
      () => ({ ...app, applicant: { ...app.applicant, key: `local:${user}`, userId: user } }),
      () => false,
    );
  const draft = async () => (await store.conversations.get(`local:${user}`))?.intake;
  return { core, store, user, chat: new Chat(core.assistant, user), draft };
}

describe('steering the form', () => {
  it('a text over the limit is handed back with its count, to shorten, and the question asked again', async () => {
    const { chat, draft } = await seeded({ field: 'motivation', answers: { 'city.name': 'Lyon' } });
    const long = Array.from({ length: 250 }, (_, i) => `word${i}`).join(' ');
    await chat.say(long);
    expect(chat.text).toContain('250');
    expect(chat.text).toContain('200');
    expect(chat.text).toContain(long);
    expect(chat.expecting).toBe('motivation');
    expect((await draft())!.answers.motivation).toBeUndefined();
  });

  it('an incomplete review offers "continue"; a typed answer goes to the first missing question', async () => {
    const answers = { ...COMPLETE };
    delete answers['contact.email'];
    const { chat, draft } = await seeded({ mode: 'review', answers, skipped: ['contact.organization'] });
    await chat.say('review');
    const actions = chat.last.at(-1)!.actions!.map((a) => a.id);
    expect(actions[0]).toBe(INTAKE_ACTIONS.start);
    await chat.say('claire@lyon.example.org');
    expect((await draft())!.answers['contact.email']).toBe('claire@lyon.example.org');
    // The form goes on with what is still to answer (here: the optional questions never asked), or the review.
    expect(chat.text).not.toContain('contact.email');
  });

  it('submitting reminds that the signed, stamped form must reach the commission, before and after', async () => {
    const { chat, core } = await seeded({ mode: 'review', answers: { ...COMPLETE }, skipped: OPTIONAL });
    const reminder = core.i18n.t('en', 'form:sign_reminder');
    await chat.press(INTAKE_ACTIONS.submit);
    expect(chat.text).toContain(reminder);
    await chat.press(INTAKE_ACTIONS.yes);
    expect(chat.text).toMatch(/GNLC-2025-FR-\d{3}/);
    expect(chat.text).toContain(reminder);
  });

  it('"back" in the review asks the last question answered', async () => {
    const { chat } = await seeded({ mode: 'review', answers: { ...COMPLETE }, history: ['city.name', 'interests'] });
    await chat.say('back');
    expect(chat.expecting).toBe('interests');
  });

  it('"hello" in the middle of the form is not an answer: the greeting, and the question waiting', async () => {
    const { chat, draft } = await seeded({ field: 'city.country', answers: { 'city.name': 'Leipzig' } }, 'fr');
    await chat.say('Bonjour');
    expect((await draft())!.answers['city.country']).toBeUndefined();
    // The question itself, so that a yes typed next answers what the person sees.
    expect(chat.expecting).toBe('city.country');
    expect(chat.text).toContain(`2 sur ${FIELDS.length}`);
  });

  it('after a restart the welcome is in the last language and names the draft in progress', async () => {
    const { core, user } = await seeded({ field: 'contact.phone', answers: { 'city.name': 'Leipzig' } }, 'ru');
    const welcome = await core.assistant.welcome({ platform: 'local', user: { id: user } });
    expect(welcome.map((r) => r.lang)).toEqual(['ru', 'ru']);
    const n = FIELDS.findIndex((f) => f.key === 'contact.phone') + 1;
    expect(welcome[1]!.text).toContain(`Leipzig): вопрос ${n} из ${FIELDS.length}`);
    expect(welcome[1]!.actions!.map((a) => a.id)).toEqual([INTAKE_ACTIONS.start, INTAKE_ACTIONS.review]);
  });

  it("a returned application's status gives its reason; editing it returns to the review", async () => {
    const app: Application = {
      version: APPLICATION_VERSION,
      id: 'GNLC-2025-FR-001',
      cycle: '2025',
      country: 'FR',
      cityKey: 'lyon',
      status: 'returned',
      applicant: { key: 'local:x', platform: 'local', userId: 'x', room: 'dm:x' },
      lang: 'en',
      answers: COMPLETE as Application['answers'],
      pledgeDate: '2025-05-20',
      mayorEndorsementConfirmed: true,
      submittedAt: NOW,
      revision: 1,
      decision: { status: 'returned', by: { key: 'local:anna' }, at: NOW, reason: 'fix the title' },
      changes: [],
      posts: [],
      history: [{ at: NOW, status: 'submitted', by: 'local:x' }],
    } as Application;
    const { chat, draft } = await seeded({}, 'en', [app]);
    // "status" says what the commission asked for, not only that it was returned.
    await chat.say('status');
    expect(chat.text).toContain('returned for changes');
    expect(chat.text).toContain('“fix the title”');
    await chat.press(ENDORSE_ACTIONS.reopen, app.id);
    expect(chat.text).toContain('“fix the title”');
    await chat.press(INTAKE_ACTIONS.edit, 'mayor.title');
    await chat.say('Mayor of the City of Lyon');
    expect((await draft())!.mode).toBe('review');
    expect(chat.last.at(-1)!.card).toBeDefined();
  });
});
