import { describe, expect, it } from 'vitest';
import { AnswerReader } from '../../../src/core/application/answers.ts';
import { FIELD, FIELDS } from '../../../src/core/application/form.ts';
import { FormReplies } from '../../../src/core/application/questions.ts';
import { FormSteps } from '../../../src/core/application/steps.ts';
import { FormWords } from '../../../src/core/application/words.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import { INTAKE_ACTIONS } from '../../../src/core/actions.ts';
import { LANGS, type Lang } from '../../../src/core/lang.ts';
import type { Intake } from '../../../src/core/records.ts';
import { buttons, type Reply } from '../../../src/core/reply.ts';
import { createI18n } from '../../../src/i18n/index.ts';

const { t } = createI18n();
const replies = new FormReplies(t, fixedClock(new Date('2025-06-01T10:00:00Z')));
const steps = new FormSteps(t, replies, new AnswerReader(replies.text, new FormWords(t)));

/** A draft at `field`, with what is given already answered. */
function draft(field: string, more: Partial<Intake> = {}): Intake {
  return {
    mode: 'filling',
    field,
    answers: {},
    skipped: [],
    history: [],
    returnToReview: false,
    startedAt: '2025-06-01T10:00:00Z',
    ...more,
  };
}

/** Every field before `key` answered (with a stand-in: the moves do not read earlier answers). */
const before = (key: string) =>
  Object.fromEntries(FIELDS.slice(0, FIELDS.indexOf(FIELD.get(key)!)).map((f) => [f.key, 'x']));
/** Every field answered (stand-ins), the optional organization aside. */
const everyAnswer = () => {
  const all: Record<string, unknown> = Object.fromEntries(FIELDS.map((f) => [f.key, 'x']));
  delete all['contact.organization'];
  return all;
};
const fieldAfter = (key: string) => FIELDS[FIELDS.indexOf(FIELD.get(key)!) + 1]!.key;
const ALL_INTERESTS = FIELD.get('interests')!.choices!;

interface Row {
  name: string;
  start: Intake;
  move: (intake: Intake, lang: Lang) => Reply;
  /** The draft after the move (only the keys given are compared). */
  then: Partial<Intake>;
  /** What the reply asks: a field, the review, a list of fields; and a text it begins with. */
  asks?: string | 'review' | 'edit_list';
  says?: (lang: Lang) => string;
}

/**
 * The moves of the form as a table: from a draft, one move, the draft after it and what is asked next. Each
 * move is a function of the draft and the language only; the table runs once per language.
 */
const ROWS: Row[] = [
  {
    name: 'a choice pressed answers its field and asks the next',
    start: draft('contact.salutation', { answers: before('contact.salutation') }),
    move: (d, l) => steps.choose(d, 'contact.salutation=ms', l),
    then: {
      answers: { 'contact.salutation': 'ms' },
      history: ['contact.salutation'],
      field: fieldAfter('contact.salutation'),
    },
    asks: fieldAfter('contact.salutation'),
  },
  {
    name: 'a button of a question no longer asked changes nothing',
    start: draft('contact.lastName', { answers: { 'contact.salutation': 'ms' } }),
    move: (d, l) => steps.choose(d, 'contact.salutation=mr', l),
    then: { answers: { 'contact.salutation': 'ms' }, field: 'contact.lastName' },
    asks: 'contact.lastName',
  },
  {
    name: 'a choice that the field does not offer changes nothing',
    start: draft('contact.salutation'),
    move: (d, l) => steps.choose(d, 'contact.salutation=dr', l),
    then: { answers: {}, field: 'contact.salutation' },
    asks: 'contact.salutation',
  },
  {
    name: 'a choice of several is added to what is picked',
    start: draft('interests', { pick: ['esd'] }),
    move: (d, l) => steps.choose(d, 'interests=literacy', l),
    then: { pick: ['esd', 'literacy'], answers: {} },
    asks: 'interests',
  },
  {
    name: 'a pick pressed twice is dropped',
    start: draft('interests', { pick: ['esd', 'literacy'] }),
    move: (d, l) => steps.choose(d, 'interests=esd', l),
    then: { pick: ['literacy'] },
    asks: 'interests',
  },
  {
    name: 'a whole selection at once is the answer, in the form’s order',
    start: draft('interests', { pick: ['esd'], answers: before('interests') }),
    move: (d, l) => steps.pickAll(d, ['interests=literacy', 'interests=equity-inclusion'], l),
    then: { answers: { interests: ['equity-inclusion', 'literacy'] }, pick: undefined, mode: 'review' },
    asks: 'review',
  },
  {
    name: 'a selection for another field changes nothing',
    start: draft('interests'),
    move: (d, l) => steps.pickAll(d, ['contact.salutation=ms'], l),
    then: { answers: {}, field: 'interests' },
    asks: 'interests',
  },
  {
    name: '"done" with nothing picked asks again, saying so',
    start: draft('interests'),
    move: (d, l) => steps.pickDone(d, FIELD.get('interests')!, l),
    then: { answers: {}, field: 'interests' },
    asks: 'interests',
    says: (l) => t(l, 'form:pick_none'),
  },
  {
    name: 'the pledge refused is asked again',
    start: draft('pledge.adopt'),
    move: (d, l) => steps.choose(d, 'pledge.adopt=no', l),
    then: { answers: {}, field: 'pledge.adopt' },
    asks: 'pledge.adopt',
    says: (l) => t(l, 'form:errors.pledge_required'),
  },
  {
    name: 'back goes to the last answered field',
    start: draft('contact.lastName', { history: ['city.name', 'contact.salutation'] }),
    move: (d, l) => steps.back(d, l),
    then: { field: 'contact.salutation', history: ['city.name'] },
    asks: 'contact.salutation',
  },
  {
    name: 'back at the first question says there is nothing before it',
    start: draft('city.name'),
    move: (d, l) => steps.back(d, l),
    then: { field: 'city.name' },
    asks: 'city.name',
    says: (l) => t(l, 'form:nothing_to_go_back'),
  },
  {
    name: 'a required field is skipped for now: submitting asks it again',
    start: draft('contact.address'),
    move: (d, l) => steps.skip(d, l),
    // The next question not answered nor skipped: here (no answers), the first.
    then: { field: 'city.name', skipped: ['contact.address'] },
    asks: 'city.name',
    says: (l) => t(l, 'form:skipped_required'),
  },
  {
    name: 'an optional field skipped from the review goes back to the review',
    start: draft('contact.organization', { returnToReview: true, answers: everyAnswer() }),
    move: (d, l) => steps.skip(d, l),
    then: { mode: 'review', skipped: ['contact.organization'], returnToReview: false },
    asks: 'review',
  },
  {
    name: 'an optional field skipped in an edit asked mid-form goes back to the question still to answer',
    start: draft('contact.organization', {
      returnToReview: true,
      answers: { ...before('contact.phone'), 'contact.organization': 'City Hall' },
    }),
    move: (d, l) => steps.skip(d, l),
    then: { mode: 'filling', field: 'contact.phone', skipped: ['contact.organization'], returnToReview: false },
    asks: 'contact.phone',
  },
  {
    name: 'an unknown field to edit lists them all',
    start: draft('city.name', { mode: 'review', field: undefined }),
    move: (d, l) => steps.edit(d, 'zzzz', l),
    then: { mode: 'review', returnToReview: false },
    asks: 'edit_list',
    says: (l) => t(l, 'form:edit_unknown', { name: 'zzzz' }),
  },
  {
    name: 'an unknown field to edit while filling in lists them all, and says what typing answers',
    start: draft('city.country'),
    move: (d, l) => steps.edit(d, 'zzzz', l),
    then: { mode: 'filling', field: 'city.country' },
    asks: 'edit_list',
    says: (l) =>
      `${t(l, 'form:edit_unknown', { name: 'zzzz' })}\n` +
      t(l, 'form:edit_current', { label: replies.text.label(FIELD.get('city.country')!, l) }),
  },
  {
    name: 'a field edited from the review is asked, then the review comes back',
    start: draft('city.name', { mode: 'review', field: undefined }),
    move: (d, l) => steps.edit(d, 'contact.email', l),
    then: { mode: 'filling', field: 'contact.email', returnToReview: true },
    asks: 'contact.email',
  },
  {
    name: 'cancel asks first, and remembers where the draft was',
    start: draft('city.name', { mode: 'review', field: undefined }),
    move: (d, l) => steps.cancel(d, l)[0]!,
    then: { mode: 'confirm_cancel', previousMode: 'review' },
    asks: 'confirm',
    says: (l) => t(l, 'form:cancel_confirm'),
  },
];

describe.each(LANGS)('the form’s moves in %s', (lang) => {
  it.each(ROWS.map((r) => [r.name, r] as const))('%s', (_, row) => {
    const intake = structuredClone(row.start);
    const reply = row.move(intake, lang);
    expect(intake).toMatchObject(row.then);
    for (const [k, v] of Object.entries(row.then))
      if (v === undefined) expect(intake[k as keyof Intake]).toBeUndefined();
    expect(reply.lang).toBe(lang);
    if (row.says) expect(reply.text.startsWith(row.says(lang))).toBe(true);
    if (row.asks === 'review') expect(reply.card?.title).toBeTruthy();
    else if (row.asks === 'edit_list') expect(buttons(reply).map((a) => a.value)).toEqual(FIELDS.map((f) => f.key));
    else if (row.asks) expect(reply.expects?.field).toBe(row.asks);
    expect(reply.oneShot).toBe(true);
  });

  it('a question with choices carries them as data: values, labels in the language, what is picked', () => {
    const intake = draft('interests', { pick: ['literacy'] });
    const reply = replies.ask(intake, FIELD.get('interests')!, lang);
    const q = reply.expects!;
    expect(q).toMatchObject({ field: 'interests', kind: 'choice', multiple: true, choose: INTAKE_ACTIONS.choose });
    expect(q.choices!.map((c) => c.value)).toEqual(ALL_INTERESTS.map((c) => `interests=${c}`));
    expect(q.choices!.map((c) => c.label)).toEqual(ALL_INTERESTS.map((c) => t(lang, `form:choices.interests.${c}`)));
    expect(q.choices!.filter((c) => c.selected).map((c) => c.value)).toEqual(['interests=literacy']);
    expect(q.done).toMatchObject({ id: INTAKE_ACTIONS.done, label: t(lang, 'form:buttons.done') });
    // Channels that only have buttons get the choices, then "Done", then the rest, from one function.
    expect(buttons(reply).map((a) => a.id)).toEqual([
      ...ALL_INTERESTS.map(() => INTAKE_ACTIONS.choose),
      INTAKE_ACTIONS.done,
    ]);
  });
});

describe('"edit <question>" in people’s own words', () => {
  const words = new FormWords(t);
  it.each([
    ['ru', 'изменить почту', 'contact.email'],
    ['ru', 'поменять фамилию мэра', 'mayor.lastName'],
    ['es', 'cambiar el correo', 'contact.email'],
    ['es', 'modificar el apellido del alcalde', 'mayor.lastName'],
    ['fr', 'changer le nom du maire', 'mayor.lastName'],
    ['ar', 'تعديل البريد الإلكتروني', 'contact.email'],
    ['zh', '修改邮箱', 'contact.email'],
    ['en', 'change mayor surname', 'mayor.lastName'],
  ] as const)('%s "%s" asks %s again (a word in its label or its question, in another case)', (lang, typed, key) => {
    const d = draft('city.country');
    const reply = steps.edit(d, words.editTarget(typed)!, lang);
    expect(reply.expects?.field).toBe(key);
    expect(d.returnToReview).toBe(true);
  });

  it('a name no question has is shown back as typed, not as normalized for matching', () => {
    const reply = steps.edit(draft('city.country'), words.editTarget('تغيير اسم الحديقة العامة')!, 'ar');
    expect(reply.text).toContain('«اسم الحديقة العامة»');
  });
});

describe('"edit <question>" when several questions have the word', () => {
  const words = new FormWords(t);
  it.each([
    ['ru', 'изменить население', 'profile.population'],
    ['en', 'edit population', 'profile.population'],
  ] as const)('%s "%s": the question whose label has it, not the GDP "per inhabitant"', (lang, typed, key) => {
    expect(steps.edit(draft('city.country'), words.editTarget(typed)!, lang).expects?.field).toBe(key);
  });
});
