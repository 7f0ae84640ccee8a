import type { Translate } from '../../i18n/index.ts';
import { ENDORSE_ACTIONS, FAQ_ACTIONS, INTAKE_ACTIONS } from '../actions.ts';
import { formatDay } from '../calls/format.ts';
import type { Clock } from '../clock.ts';
import { dayIn } from '../time-zone.ts';
import type { Lang } from '../lang.ts';
import type { Application, Intake } from '../records.ts';
import type { Action, Choice, Reply } from '../reply.ts';
import { FormText } from './display.ts';
import { FIELD, FIELDS, missingFields, nextField, type FieldDef } from './form.ts';

/** The button with which an applicant reopens a returned application (to edit and resubmit it). */
export function reopenButton(t: Translate, app: Pick<Application, 'id'>, lang: Lang): Action {
  return { id: ENDORSE_ACTIONS.reopen, label: t(lang, 'endorse:buttons.reopen'), value: app.id, style: 'primary' };
}

/**
 * The form's messages that ask something: a field's question (with its choices as data), the review, a yes/no
 * confirmation. Asking moves the draft to what is asked (`mode`, `field`): the message and the state agree.
 */
export class FormReplies {
  readonly text: FormText;

  /** `submittable`: whether a new application can be submitted now (a call is open); a resubmission always is. */
  constructor(
    private readonly t: Translate,
    private readonly clock: Clock,
    private readonly submittable: () => boolean = () => true,
  ) {
    this.text = new FormText(t);
  }

  /** The applicant's today (YYYY-MM-DD) in the zone the draft last knew. */
  today(intake: Pick<Intake, 'timeZone'>): string {
    return dayIn(this.clock.now(), intake.timeZone);
  }

  button(id: string, key: string, lang: Lang, style?: 'primary' | 'danger'): Action {
    return { id, label: this.t(lang, key), value: id, ...(style ? { style } : {}) };
  }

  /** Re-shows whatever the draft is waiting for. */
  current(intake: Intake, lang: Lang): Reply {
    if (intake.mode === 'review') return this.review(intake, lang);
    if (intake.mode === 'confirm_cancel') return this.yesNo(lang, this.t(lang, 'form:cancel_confirm'));
    if (intake.mode === 'confirm_submit') return this.confirmSubmit(intake, lang);
    const field = FIELD.get(intake.field ?? '');
    return field ? this.ask(intake, field, lang) : this.askNext(intake, lang);
  }

  /** Asks the next unanswered field, or shows the review when every field has been answered or skipped. */
  askNext(intake: Intake, lang: Lang, prefix?: string): Reply {
    const field = nextField(intake.answers, intake.skipped);
    if (!field) return this.review(intake, lang, prefix);
    return this.ask(intake, field, lang, prefix);
  }

  /** The question for one field, with its choices and the buttons that fit (done, skip, back). */
  ask(intake: Intake, field: FieldDef, lang: Lang, prefix?: string): Reply {
    intake.mode = 'filling';
    intake.field = field.key;
    const n = FIELDS.indexOf(field) + 1;
    const lines: string[] = [];
    if (prefix) lines.push(prefix);
    const section = this.t(lang, `form:sections.${field.section}`);
    lines.push(this.t(lang, 'form:progress', { n, total: FIELDS.length, section }));
    const today = this.today(intake);
    lines.push(this.text.prompt(field, lang, intake.answers, today));
    if (field.optional) lines.push(this.t(lang, 'form:optional'));
    const current = intake.answers[field.key];
    // Editing several choices: the current ones are ticked, and what is typed or pressed changes them.
    if (field.multiple && intake.pick === undefined && Array.isArray(current)) intake.pick = [...current];
    if (current !== undefined)
      lines.push(this.t(lang, 'form:current_value', { value: this.text.value(field, current, lang) }));
    const actions: Action[] = [];
    if (field.optional) actions.push(this.button(INTAKE_ACTIONS.skip, 'form:buttons.skip', lang));
    if (field.kind === 'date') {
      const label = this.t(lang, 'form:buttons.today', { today: formatDay(today, lang) });
      actions.push({ id: INTAKE_ACTIONS.answer, label, value: `${field.key}=${today}`, style: 'primary' });
    }
    if (intake.history.length) actions.push(this.button(INTAKE_ACTIONS.back, 'form:buttons.back', lang));
    const choices = this.choices(intake, field, lang);
    const expects: Reply['expects'] = { field: field.key, kind: field.kind };
    if (choices.length) Object.assign(expects, { choose: INTAKE_ACTIONS.choose, choices });
    if (field.multiple) {
      Object.assign(expects, {
        multiple: true,
        done: this.button(INTAKE_ACTIONS.done, 'form:buttons.done', lang, 'primary'),
      });
    }
    return { lang, text: lines.join('\n'), expects, oneShot: true, actions };
  }

  /** What a field offers to pick: yes/no for the pledge, its choices (marked when picked) for the others. */
  private choices(intake: Intake, field: FieldDef, lang: Lang): Choice[] {
    if (field.kind === 'confirm') {
      return [
        { value: `${field.key}=yes`, label: this.t(lang, 'form:buttons.yes') },
        { value: `${field.key}=no`, label: this.t(lang, 'form:buttons.no') },
      ];
    }
    const picked = new Set(intake.pick ?? []);
    return (field.choices ?? []).map((c) => ({
      value: `${field.key}=${c}`,
      label: this.text.choice(field, c, lang),
      ...(field.multiple && picked.has(c) ? { selected: true } : {}),
    }));
  }

  /** The review card with submit / edit / cancel. */
  review(intake: Intake, lang: Lang, prefix?: string): Reply {
    intake.mode = 'review';
    intake.field = undefined;
    const lines = prefix ? [prefix] : [];
    // With no call open, a new draft can be checked and edited, not submitted: no Submit button offered in vain.
    const submit = intake.resubmit !== undefined || this.submittable();
    lines.push(this.t(lang, submit ? 'form:review_intro' : 'form:review_intro_closed'));
    const missing = missingFields(intake.answers);
    if (missing.length) {
      // One missing answer a line: labels such as "Mayor: official title" run together in a sentence's list.
      const fields = missing.map((f) => this.t(lang, 'form:review_missing_item', { field: this.text.label(f, lang) }));
      lines.push(this.t(lang, 'form:review_missing', { fields: fields.join('\n') }));
    }
    const cancel = this.button(INTAKE_ACTIONS.cancel, 'form:buttons.cancel', lang, 'danger');
    const confirm = {
      title: this.t(lang, 'form:buttons.cancel'),
      text: this.t(lang, 'form:cancel_confirm'),
      yes: this.t(lang, 'form:buttons.yes'),
      no: this.t(lang, 'form:buttons.no'),
    };
    return {
      lang,
      text: lines.join('\n\n'),
      card: this.text.reviewCard(intake.answers, lang),
      oneShot: true,
      actions: [
        // Incomplete: "continue" goes to the first question still to answer.
        ...(nextField(intake.answers, intake.skipped)
          ? [this.button(INTAKE_ACTIONS.start, 'form:buttons.continue', lang, 'primary')]
          : []),
        ...(submit
          ? [this.button(INTAKE_ACTIONS.submit, 'form:buttons.submit', lang, missing.length ? undefined : 'primary')]
          : []),
        this.button(INTAKE_ACTIONS.edit, 'form:buttons.edit', lang),
        { ...cancel, confirm },
      ],
    };
  }

  /** "You have an application for Leipzig in progress, question 12 of 35: continue?", with continue and review. */
  draftInProgress(intake: Intake, lang: Lang): Reply {
    const city = intake.answers['city.name'];
    const field = FIELD.get(intake.field ?? '') ?? nextField(intake.answers, intake.skipped);
    const vars = { city, n: field ? FIELDS.indexOf(field) + 1 : FIELDS.length, total: FIELDS.length };
    const key = intake.mode === 'review' ? 'draft_in_review' : city ? 'draft_in_progress' : 'draft_in_progress_nocity';
    const actions = [
      this.button(INTAKE_ACTIONS.start, 'form:buttons.continue', lang, 'primary'),
      this.button(INTAKE_ACTIONS.review, 'form:buttons.review', lang),
    ];
    return { lang, text: this.t(lang, `form:${key}`, vars), actions };
  }

  /** "Does the mayor endorse it?", with the reminder that the signed and stamped form must reach the commission. */
  confirmSubmit(intake: Intake, lang: Lang): Reply {
    const ask = this.t(lang, 'form:submit_confirm', { city: intake.answers['city.name'] });
    return this.yesNo(lang, `${ask}\n\n${this.t(lang, 'form:sign_reminder')}`, 'primary');
  }

  /** A yes/no question (cancel the draft, submit it). */
  yesNo(lang: Lang, text: string, yesStyle?: 'primary' | 'danger'): Reply {
    return {
      lang,
      text,
      expects: { field: 'confirm', kind: 'confirm' },
      oneShot: true,
      actions: [
        this.button(INTAKE_ACTIONS.yes, 'form:buttons.yes', lang, yesStyle),
        this.button(INTAKE_ACTIONS.no, 'form:buttons.no', lang),
      ],
    };
  }

  /** Which field to edit: the fields (all, or those a name matched) as buttons. */
  editList(fields: readonly FieldDef[], text: string, lang: Lang): Reply {
    const actions = fields.map((f) => ({ id: INTAKE_ACTIONS.edit, label: this.text.label(f, lang), value: f.key }));
    return { lang, text, actions, oneShot: true };
  }

  /** "Is this your answer, or a question?" about a text that reads as a question, asked at `field`. */
  answerOrQuestion(intake: Intake, field: FieldDef, text: string, lang: Lang): Reply {
    const asked = this.ask(intake, field, lang);
    const actions: Action[] = [
      {
        id: INTAKE_ACTIONS.answer,
        label: this.t(lang, 'form:buttons.is_answer'),
        value: `${field.key}=${text}`,
        style: 'primary',
      },
      { id: INTAKE_ACTIONS.question, label: this.t(lang, 'form:buttons.is_question'), value: field.key },
    ];
    return {
      lang,
      text: this.t(lang, 'form:answer_or_question', { text }),
      expects: asked.expects,
      oneShot: true,
      actions,
    };
  }

  /** "Do you want to start your application now?", with the buttons to start or not. */
  askToStart(lang: Lang): Reply {
    const start = this.button(INTAKE_ACTIONS.start, 'form:buttons.start', lang, 'primary');
    const notNow: Action = {
      id: FAQ_ACTIONS.menu,
      label: this.t(lang, 'form:buttons.not_now'),
      value: FAQ_ACTIONS.menu,
    };
    return {
      lang,
      text: this.t(lang, 'form:start_ask'),
      expects: { field: 'start', kind: 'confirm' },
      oneShot: true,
      actions: [start, notNow],
    };
  }

  /** A request to apply when no call is open: the call's dates, a draft to prepare, or a message when one opens. */
  notOpen(lang: Lang, when: string, subscribe: Action): Reply {
    const draft = this.button(INTAKE_ACTIONS.start, 'form:buttons.draft', lang, 'primary');
    return { lang, text: this.t(lang, 'form:apply_not_open', { when }), actions: [draft, subscribe] };
  }

  /** "There is no application in progress", with "start an application". */
  noDraft(lang: Lang): Reply {
    return this.withStart(lang, this.t(lang, 'form:not_in_form'));
  }

  /** A message with "start an application" (nothing to resume, a cancelled draft). */
  withStart(lang: Lang, text: string): Reply {
    return { lang, text, actions: [this.button(INTAKE_ACTIONS.start, 'form:buttons.start', lang)] };
  }
}
