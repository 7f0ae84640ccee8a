import { finish } from '../../../src/i18n/typography.ts';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import { createCore, type Core } from '../../../src/core/create.ts';
import { FIELDS } from '../../../src/core/application/form.ts';
import { INTAKE_ACTIONS } from '../../../src/core/actions.ts';
import { LANGS, type Lang } from '../../../src/core/lang.ts';
import { createLowdbStore } from '../../../src/store/lowdb.ts';
import { answerAll, Chat, command, EXPECTED_RECORD, validAnswers } from '../../conversation.ts';

const OPEN = '2025-06-01T10:00:00Z';

function coreWithDisk(at = OPEN, dir = mkdtempSync(path.join(tmpdir(), 'gnlc-store-'))): { core: Core; dir: string } {
  return { core: createCore({ clock: fixedClock(new Date(at)), store: createLowdbStore(dir) }), dir };
}

/** Answers every question with the valid answers, checking none is re-asked, until the review. */
async function fillForm(chat: Chat, answers: Record<string, string>): Promise<void> {
  await answerAll(chat, answers, (field) => {
    expect(answers[field], `no answer for ${field}`).toBeDefined();
    expect(chat.expecting, `${field} was re-asked: ${chat.text}`).not.toBe(field);
  });
  expect(chat.last.at(-1)?.card).toBeDefined();
}

/** A user on a fresh on-disk store who has said "I want to apply". */
async function applicant(user: string, at = OPEN) {
  const { core, dir } = coreWithDisk(at);
  const chat = new Chat(core.assistant, user);
  await chat.say('I want to apply');
  // No call open: the bot says so and offers a draft, which the applicant takes.
  if (chat.expecting === undefined) await chat.press(INTAKE_ACTIONS.start, INTAKE_ACTIONS.start);
  return { core, dir, chat };
}

function applyPhrase(core: Core, lang: Lang): string {
  return core.i18n.t(lang, 'form:commands.apply_phrases').split('|')[0]!;
}

describe.each(LANGS)('the whole form in %s', (lang) => {
  it('starts from a phrase, completes, reviews, submits and stores what was typed', async () => {
    const { core, dir } = coreWithDisk();
    const t = core.i18n.t;
    const chat = new Chat(core.assistant, `applicant-${lang}`);
    await chat.say(applyPhrase(core, lang));
    expect(chat.last[0]!.lang).toBe(lang);
    expect(chat.expecting).toBe('city.name');
    await fillForm(chat, validAnswers(lang, t));
    const review = chat.last.at(-1)!;
    expect(review.lang).toBe(lang);
    expect(review.actions!.map((a) => a.id)).toEqual(['submit', 'edit', 'cancel']);
    expect(review.card!.sections.map((s) => s.title)).toContain(t(lang, 'form:sections.profile'));
    await chat.press(INTAKE_ACTIONS.submit);
    expect(chat.text).toContain(t(lang, 'form:submit_confirm', { city: `Testville ${lang}` }));
    await chat.say(command(t, lang, 'yes'));
    expect(chat.text).toContain('GNLC-2025-KE-001');
    const shard = JSON.parse(readFileSync(path.join(dir, 'applications', '2025', 'KE.json'), 'utf8'));
    expect(shard.applications).toHaveLength(1);
    expect(shard.applications[0]).toMatchObject({
      id: 'GNLC-2025-KE-001',
      status: 'submitted',
      lang,
      answers: EXPECTED_RECORD,
    });
    await chat.say(command(t, lang, 'status'));
    expect(chat.text).toContain('GNLC-2025-KE-001');
  });
});

/** For every validated field, inputs that must be refused with a specific localized reason. */
const INVALID: [string, string, string][] = [
  ['city.name', 'H', 'too_short'],
  ['city.country', 'Narnia', 'unknown_country'],
  ['city.website', 'not a url', 'not_a_url'],
  ['city.website', 'www.freiburg', 'not_a_url'],
  ['city.website', 'www.a-city.example.org or www.b-city.example.org', 'several_urls'],
  ['mayor.salutation', 'Dr', 'pick_choice'],
  ['mayor.title', 'x', 'too_short'],
  ['contact.postcode', '!!!', 'not_a_postcode'],
  ['contact.phone', '12', 'not_a_phone_in_country'],
  ['contact.phone', '+254 12', 'not_a_phone'],
  ['contact.email', 'peter@', 'not_an_email'],
  // One address typed with a space is refused, not cut to what follows the space.
  ['contact.email', 'juan soto@munivalpo.cl', 'not_an_email'],
  ['contact.language', 'Swahili', 'pick_choice'],
  ['pledge.adopt', 'maybe', 'pick_choice'],
  ['pledge.date', '31/02/2025', 'not_a_date'],
  ['pledge.date', '01/06/2205', 'year_range'],
  ['profile.year', '24', 'not_a_year'],
  ['profile.year', '2031', 'year_range'],
  ['profile.population', 'many', 'not_a_number'],
  ['profile.population', '2.5', 'not_an_integer'],
  ['profile.area', '0', 'out_of_range'],
  ['profile.gdpCountry', 'lots', 'not_a_number'],
  ['profile.schoolingMen', '40', 'out_of_range'],
  ['motivation', Array.from({ length: 201 }, () => 'word').join(' '), 'too_many_words'],
  ['implementation', Array.from({ length: 250 }, () => 'mot').join(' '), 'too_many_words'],
  ['challenges.quality', '7', 'not_a_rating'],
  ['interests', 'cooking', 'pick_choice'],
];

describe.each(['en', 'fr', 'ru'] as const)('invalid answers are re-asked with a localized reason (%s)', (lang) => {
  it('re-asks the same field for every invalid input, then accepts the valid one', async () => {
    const { core } = coreWithDisk();
    const t = core.i18n.t;
    const chat = new Chat(core.assistant, `picky-${lang}`);
    const answers = validAnswers(lang, t);
    await chat.say(applyPhrase(core, lang));
    const checked = new Set<string>();
    for (let i = 0; i < 80 && chat.expecting; i++) {
      const field = chat.expecting;
      for (const [key, bad, code] of INVALID.filter(([k]) => k === field)) {
        await chat.say(bad);
        expect(chat.expecting, `${key} "${bad}"`).toBe(key);
        expect(chat.last.at(-1)!.lang).toBe(lang);
        // The message's words before its first value (a counted message's "other" form).
        const raw = core.i18n.instance.getResource(lang, 'form', `errors.${code}`) as string | undefined;
        const template = raw ?? (core.i18n.instance.getResource(lang, 'form', `errors.${code}_other`) as string);
        expect(chat.text, `${key} "${bad}"`).toContain(finish(lang, template.split('{{')[0]!.trim()));
        checked.add(`${key}:${code}`);
      }
      await chat.say(answers[field]!);
      if (chat.expecting === 'interests') await chat.press(INTAKE_ACTIONS.done);
    }
    expect(checked.size).toBe(new Set(INVALID.map(([k, , c]) => `${k}:${c}`)).size);
  });
});

describe('steering the form', () => {
  it('resumes at the same step after a restart, with nothing lost', async () => {
    const { dir, chat } = await applicant('restarter');
    await chat.say('Mombasa');
    await chat.say('Kenya');
    expect(chat.expecting).toBe('city.website');
    const again = coreWithDisk(OPEN, dir).core;
    const chat2 = new Chat(again.assistant, 'restarter');
    await chat2.say('I want to apply');
    expect(chat2.expecting).toBe('city.website');
    expect(chat2.text).toContain(`2 of ${FIELDS.length}`);
    await chat2.say(command(again.i18n.t, 'en', 'review'));
    expect(JSON.stringify(chat2.last.at(-1)!.card)).toContain('Mombasa');
    await chat2.say('continue');
    expect(chat2.expecting).toBe('city.website');
  });

  it('keeps two interleaved users apart', async () => {
    const { core } = coreWithDisk();
    const a = new Chat(core.assistant, 'alice');
    const b = new Chat(core.assistant, 'bob');
    await a.say('I want to apply');
    await b.say('je veux postuler');
    await Promise.all([a.say('Nairobi'), b.say('Lyon')]);
    await Promise.all([a.say('KE'), b.say('France')]);
    await a.say('review');
    await b.say(command(core.i18n.t, 'fr', 'review'));
    const cardA = JSON.stringify(a.last.at(-1)!.card);
    const cardB = JSON.stringify(b.last.at(-1)!.card);
    expect(cardA).toContain('Nairobi');
    expect(cardA).not.toContain('Lyon');
    expect(cardB).toContain('Lyon');
    expect(cardB).toContain('France (FR)');
    expect(b.last.at(-1)!.lang).toBe('fr');
  });

  it('answers an FAQ question mid-form and continues where it was', async () => {
    const { core, chat } = await applicant('curious');
    await chat.say('Kisumu');
    await chat.say('How many cities per country can apply?');
    expect(chat.last[0]!.text).toBe(core.assistant.ask('quota', { lang: 'en' }).answer);
    expect(chat.expecting).toBe('city.country');
  });

  it('goes back, and skips a required question for now, which submitting asks again', async () => {
    const { core, chat } = await applicant('stepper');
    await chat.say('Kisumu');
    await chat.say('skip');
    expect(chat.expecting).toBe('city.website');
    expect(chat.text).toContain(core.i18n.t('en', 'form:skipped_required'));
    await chat.say(command(core.i18n.t, 'en', 'submit'));
    expect(chat.expecting).toBe('city.country');
    await chat.say('back');
    expect(chat.expecting).toBe('city.name');
    expect(chat.text).toContain('Current answer: Kisumu');
    await chat.say('Kisumu City');
    expect(chat.expecting).toBe('city.country');
  });

  it('edits an answer from the review and returns to the review', async () => {
    const { core, chat } = await applicant('editor');
    await fillForm(chat, validAnswers('en', core.i18n.t));
    await chat.say('edit email');
    expect(chat.expecting).toBe('contact.email');
    await chat.say('new.contact@testville.example.org');
    const card = JSON.stringify(chat.last.at(-1)!.card);
    expect(card).toContain('new.contact@testville.example.org');
    await chat.press(INTAKE_ACTIONS.edit);
    expect(chat.last.at(-1)!.actions!.length).toBe(FIELDS.length);
    await chat.press(INTAKE_ACTIONS.edit, 'profile.population');
    expect(chat.expecting).toBe('profile.population');
  });

  it('cancels only after confirmation', async () => {
    const { core, chat } = await applicant('canceller');
    await chat.say('Eldoret');
    await chat.say('cancel');
    expect(chat.last.at(-1)!.actions!.map((a) => a.id)).toEqual(['confirm_yes', 'confirm_no']);
    await chat.say('no');
    expect(chat.expecting).toBe('city.country');
    // "stop", then "continue" (as the form's introduction says to come back): nothing deleted, the form goes on.
    await chat.say('stop');
    expect(chat.last.at(-1)!.actions!.map((a) => a.id)).toEqual(['confirm_yes', 'confirm_no']);
    await chat.say('continue');
    expect(chat.expecting).toBe('city.country');
    expect(chat.text).not.toContain(core.i18n.t('en', 'form:cancel_confirm'));
    await chat.press(INTAKE_ACTIONS.cancel);
    await chat.press(INTAKE_ACTIONS.yes);
    expect(chat.text).toContain('deleted');
    await chat.say('status');
    expect(chat.text).toBe(core.i18n.t('en', 'form:status_none'));
  });

  const cancelByPlatformDialog =
    'cancels at once when the platform’s own dialog confirmed it, and reports status and language on buttons';
  it(cancelByPlatformDialog, async () => {
    const { core, chat } = await applicant('dialog');
    await chat.say('Eldoret');
    await chat.press(INTAKE_ACTIONS.status);
    expect(chat.text).toBe(core.i18n.t('en', 'form:status_draft', { answered: 1, count: FIELDS.length }));
    await chat.press('language', 'français');
    expect(chat.last[0]!.text).toBe(core.i18n.t('fr', 'common:language_set'));
    expect(chat.expecting).toBe('city.country');
    chat.last = await core.assistant.handle({
      platform: 'local',
      user: { id: 'dialog' },
      room: { id: 'dm:dialog', direct: true },
      action: { id: INTAKE_ACTIONS.cancel, confirmed: true },
    });
    expect(chat.text).toBe(core.i18n.t('fr', 'form:cancelled'));
    const [welcome, status] = await core.assistant.overview({
      platform: 'local',
      user: { id: 'dialog' },
      room: { id: 'home', direct: true },
    });
    expect(welcome!.lang).toBe('fr');
    expect(status!.text).toBe(core.i18n.t('fr', 'form:status_none'));
  });

  it('refuses a second application of the same city in the same call', async () => {
    const { core, dir } = coreWithDisk();
    for (const user of ['first', 'second']) {
      const chat = new Chat(core.assistant, user);
      await chat.say('I want to apply');
      await fillForm(chat, { ...validAnswers('en', core.i18n.t), 'city.name': 'TESTVILLE  en' });
      await chat.press(INTAKE_ACTIONS.submit);
      if (user === 'first') {
        await chat.press(INTAKE_ACTIONS.yes);
        expect(chat.text).toContain('GNLC-2025-KE-001');
      } else {
        expect(chat.text).toContain('already submitted');
        expect(chat.text).toContain('GNLC-2025-KE-001');
      }
    }
    const shard = JSON.parse(readFileSync(path.join(dir, 'applications', '2025', 'KE.json'), 'utf8'));
    expect(shard.applications).toHaveLength(1);
  });

  it('keeps drafts outside the open phase but refuses to submit, with the dates', async () => {
    const { core, chat } = await applicant('late', '2025-06-20T10:00:00Z');
    await fillForm(chat, validAnswers('en', core.i18n.t));
    await chat.press(INTAKE_ACTIONS.submit);
    expect(chat.text).toContain('cannot be submitted now');
    expect(chat.text).toContain('15 June 2025');
    expect(chat.last.at(-1)!.card).toBeDefined();
    // The review offers what can be done now: editing and cancelling, not a Submit button that is refused.
    const ids = chat.last.at(-1)!.actions!.map((a) => a.id);
    expect(ids).toEqual([INTAKE_ACTIONS.edit, INTAKE_ACTIONS.cancel]);
    expect(chat.text).toContain(core.i18n.t('en', 'form:review_intro_closed'));
  });

  it('does not submit without the mayor’s endorsement', async () => {
    const { core, chat } = await applicant('nomayor');
    await fillForm(chat, validAnswers('en', core.i18n.t));
    await chat.press(INTAKE_ACTIONS.submit);
    await chat.press(INTAKE_ACTIONS.no);
    expect(chat.text).toContain(core.i18n.t('en', 'form:submit_needs_mayor'));
    await chat.say('status');
    expect(chat.text).toBe(core.i18n.t('en', 'form:status_ready'));
  });
});

describe('the status of a complete draft', () => {
  it('says it is complete and how to submit it, not how many questions are answered', async () => {
    const { core, chat } = await applicant('complete');
    await fillForm(chat, validAnswers('en', core.i18n.t));
    await chat.say('status');
    expect(chat.text).toBe(core.i18n.t('en', 'form:status_ready'));
  });
});
