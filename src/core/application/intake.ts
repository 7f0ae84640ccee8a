import type { Translate } from '../../i18n/index.ts';
import type { Clock } from '../clock.ts';
import type { Call } from '../calls/schema.ts';
import { phaseAt } from '../calls/engine.ts';
import { formatDay } from '../calls/format.ts';
import { fold, words } from '../faq/text.ts';
import { LANGS, type Lang } from '../lang.ts';
import type { Action, Reply } from '../reply.ts';
import type { Turn } from '../turn.ts';
import { userKey } from '../turn.ts';
import { CompleteAnswersSchema } from './form.ts';
import { APPLICATION_VERSION, shardOf, type Application, type Conversation, type Intake, type Store } from '../records.ts';
import { FIELD, FIELDS, missingFields, nextField, type FieldDef } from './form.ts';
import { countryName } from './parse.ts';
import { FormText } from './display.ts';
import { FormWords } from './words.ts';
import { normalizeCommand } from '../word-lists.ts';
import type { EndorsementDesk } from '../endorsement/desk.ts';

export { INTAKE_ACTIONS } from '../actions.ts';
import { INTAKE_ACTIONS } from '../actions.ts';

/** What the dialog needs from the rest of the core. */
export interface IntakeDeps {
  t: Translate;
  clock: Clock;
  calls: readonly Call[];
  store: Store;
  /** The FAQ answer to a question asked mid-form, when the matcher is confident; else undefined. */
  faq(text: string, lang: Lang, turn: Turn): Reply | undefined;
  /** A sentence with the dates of the relevant call (why submission is refused now). */
  callDates(lang: Lang): string;
  /** Routes submitted applications to their commission, and takes resubmissions of returned ones. */
  desk: Pick<EndorsementDesk, 'route' | 'resubmit' | 'tooLate' | 'text'>;
}

/** Folded city name, to find a second application of the same city in a call. */
export function cityKey(name: string): string {
  return fold(name).replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * The application form as a conversation: one question at a time, answers validated and saved as they
 * come, with back, skip, edit, review, cancel (confirmed), help, status and FAQ questions in between.
 * It mutates the Conversation it is given; the caller saves it after the turn.
 */
export class IntakeDialog {
  readonly words: FormWords;
  readonly text: FormText;

  constructor(private readonly deps: IntakeDeps) {
    this.words = new FormWords(deps.t);
    this.text = new FormText(deps.t);
  }

  private t(lang: Lang, key: string, vars?: Record<string, unknown>): string {
    return this.deps.t(lang, key, vars);
  }

  /** Starts a new application, or resumes the draft there is. */
  start(conv: Conversation, lang: Lang): Reply[] {
    if (conv.intake) return this.resume(conv, lang);
    conv.intake = { mode: 'filling', answers: {}, skipped: [], history: [], returnToReview: false, startedAt: this.deps.clock.now().toISOString() };
    return [{ lang, text: this.t(lang, 'form:intro') }, this.askNext(conv.intake, lang)];
  }

  /** "continue": picks up the draft at the step where it stopped. */
  resume(conv: Conversation, lang: Lang): Reply[] {
    const intake = conv.intake;
    if (!intake) return [this.noDraft(lang)];
    const answered = FIELDS.filter((f) => intake.answers[f.key] !== undefined).length;
    const hello: Reply = { lang, text: this.t(lang, 'form:resume', { answered, total: FIELDS.length }) };
    // From the review, "continue" goes on with the questions still unanswered.
    if (intake.mode === 'review' && nextField(intake.answers, intake.skipped)) return [hello, this.askNext(intake, lang)];
    return [hello, this.current(intake, lang)];
  }

  /** Handles typed text while a draft exists. */
  async onText(conv: Conversation, text: string, lang: Lang, turn: Turn): Promise<Reply[]> {
    const intake = conv.intake!;
    const w = this.words;
    if (intake.mode === 'confirm_cancel' || intake.mode === 'confirm_submit') {
      if (w.is('yes', text)) return this.confirm(conv, true, lang, turn);
      if (w.is('no', text)) return this.confirm(conv, false, lang, turn);
    }
    if (w.is('cancel', text)) return this.cancel(intake, lang);
    if (w.is('review', text)) return [this.review(intake, lang)];
    if (w.is('status', text)) return [await this.status(conv, lang)];
    if (w.is('submit', text)) return this.submit(conv, lang, turn);
    if (w.is('continue', text) || w.isApply(text)) return this.resume(conv, lang);
    if (w.is('help', text)) return [this.help(intake, lang)];
    const target = w.editTarget(text);
    if (target !== undefined) return [this.edit(intake, target, lang)];
    if (intake.mode === 'confirm_cancel' || intake.mode === 'confirm_submit') {
      return [{ ...this.current(intake, lang), text: `${this.t(lang, 'form:confirm_yes_no')}\n\n${this.current(intake, lang).text}` }];
    }
    if (intake.mode === 'review') {
      const faq = this.deps.faq(text, lang, turn);
      return faq ? [faq, this.review(intake, lang)] : [this.review(intake, lang, this.t(lang, 'form:review_hint'))];
    }
    if (w.is('back', text)) return [this.back(intake, lang)];
    if (w.is('skip', text)) return [this.skip(intake, lang)];
    const field = FIELD.get(intake.field ?? '');
    if (!field) return [this.askNext(intake, lang)];
    // A question in the middle of the form gets its answer, then the form goes on where it was.
    const looksLikeQuestion = /[?？؟]\s*$/u.test(text);
    if (looksLikeQuestion) {
      const faq = this.deps.faq(text, lang, turn);
      if (faq) return [faq, this.ask(intake, field, lang)];
    }
    if (field.kind === 'choice' && field.multiple && w.is('done', text)) return [this.pickDone(intake, field, lang)];
    const parsed = this.parse(field, text, intake, lang);
    if (!parsed.ok) {
      // A short text that is not a valid answer may be a question without a question mark.
      const faq = field.key !== 'motivation' && field.key !== 'implementation' && words(text, lang).length <= 15 ? this.deps.faq(text, lang, turn) : undefined;
      if (faq) return [faq, this.ask(intake, field, lang)];
      const parts = [this.t(lang, `form:errors.${parsed.error}`, parsed.vars)];
      const example = this.text.example(field, lang);
      if (example) parts.push(this.t(lang, 'form:example', { example }));
      return [this.ask(intake, field, lang, parts.join(' '))];
    }
    return [this.accept(intake, field, parsed.value, lang)];
  }

  /** Handles a button press; undefined when the action is not the form's. */
  async onAction(conv: Conversation, id: string, value: string | undefined, lang: Lang, turn: Turn): Promise<Reply[] | undefined> {
    const A = INTAKE_ACTIONS;
    if (id === A.start) return conv.intake ? this.resume(conv, lang) : this.start(conv, lang);
    if (id === A.status) return [await this.status(conv, lang)];
    if (id === A.submit && conv.intake) return this.submit(conv, lang, turn);
    if (!conv.intake) {
      return (Object.values(A) as string[]).includes(id) ? [this.noDraft(lang)] : undefined;
    }
    const intake = conv.intake;
    switch (id) {
      case A.yes:
      case A.no:
        if (intake.mode === 'confirm_cancel' || intake.mode === 'confirm_submit') return this.confirm(conv, id === A.yes, lang, turn);
        return [this.current(intake, lang)];
      case A.cancel:
        if (turn.action?.confirmed) {
          intake.mode = 'confirm_cancel';
          return this.confirm(conv, true, lang, turn);
        }
        return this.cancel(intake, lang);
      case A.review:
        return [this.review(intake, lang)];
      case A.edit:
        return [this.edit(intake, value ?? '', lang)];
      case A.back:
        return [this.back(intake, lang)];
      case A.skip:
        return [this.skip(intake, lang)];
      case A.done: {
        const field = FIELD.get(intake.field ?? '');
        return [field?.multiple && intake.mode === 'filling' ? this.pickDone(intake, field, lang) : this.current(intake, lang)];
      }
      case A.choose: {
        const [key, choice] = splitChoice(value);
        const field = FIELD.get(key);
        // A button of a question that is no longer being asked: show the current step instead.
        if (!field || intake.mode !== 'filling' || intake.field !== key) return [this.current(intake, lang)];
        if (field.kind === 'confirm') return [choice === 'yes' ? this.accept(intake, field, true, lang) : this.ask(intake, field, lang, this.t(lang, 'form:errors.pledge_required'))];
        if (!field.choices?.includes(choice)) return [this.current(intake, lang)];
        if (field.multiple) {
          const pick = new Set(intake.pick ?? []);
          if (pick.has(choice)) pick.delete(choice);
          else pick.add(choice);
          intake.pick = field.choices.filter((c) => pick.has(c));
          const selected = intake.pick.map((c) => this.text.choice(field, c, lang)).join(', ');
          return [this.ask(intake, field, lang, this.t(lang, 'form:pick_more', { selected }))];
        }
        return [this.accept(intake, field, field.kind === 'rating' ? Number(choice) : choice, lang)];
      }
      default:
        return undefined;
    }
  }

  /** What the user has: the draft's progress and each submitted application's status. */
  async status(conv: Conversation, lang: Lang): Promise<Reply> {
    const lines: string[] = [];
    const reopen: Action[] = [];
    for (const id of conv.applications) {
      const app = await this.deps.store.applications.get(id);
      if (!app) continue;
      lines.push(this.statusLine(app, lang));
      if (app.status === 'returned' && conv.intake?.resubmit?.id !== app.id) reopen.push(this.deps.desk.text.reopenButton(app, lang));
    }
    if (conv.intake) {
      const answered = FIELDS.filter((f) => conv.intake!.answers[f.key] !== undefined).length;
      lines.push(this.t(lang, 'form:status_draft', { answered, total: FIELDS.length }));
    }
    if (!lines.length) return { lang, text: this.t(lang, 'form:status_none'), actions: [this.button(INTAKE_ACTIONS.start, 'form:buttons.start', lang)] };
    const actions = [...reopen, ...(conv.intake ? [this.button(INTAKE_ACTIONS.start, 'form:buttons.continue', lang)] : [])];
    return { lang, text: lines.join('\n'), actions: actions.length ? actions : undefined };
  }

  private statusLine(app: Application, lang: Lang): string {
    return this.t(lang, 'form:status_app', {
      id: app.id,
      city: app.answers['city.name'],
      country: countryName(app.country, lang),
      cycle: app.cycle,
      status: this.t(lang, `form:status_names.${app.status}`),
      date: formatDay(app.submittedAt.slice(0, 10), lang),
    });
  }

  private noDraft(lang: Lang): Reply {
    return { lang, text: this.t(lang, 'form:not_in_form'), actions: [this.button(INTAKE_ACTIONS.start, 'form:buttons.start', lang)] };
  }

  /** Re-shows whatever the draft is waiting for. */
  private current(intake: Intake, lang: Lang): Reply {
    if (intake.mode === 'review') return this.review(intake, lang);
    if (intake.mode === 'confirm_cancel') return this.yesNo(lang, this.t(lang, 'form:cancel_confirm'));
    if (intake.mode === 'confirm_submit') {
      return this.yesNo(lang, this.t(lang, 'form:submit_confirm', { city: intake.answers['city.name'] }));
    }
    const field = FIELD.get(intake.field ?? '');
    return field ? this.ask(intake, field, lang) : this.askNext(intake, lang);
  }

  /** Asks the next unanswered field, or shows the review when every field has been answered or skipped. */
  private askNext(intake: Intake, lang: Lang, prefix?: string): Reply {
    const field = nextField(intake.answers, intake.skipped);
    if (!field) return this.review(intake, lang, prefix);
    intake.mode = 'filling';
    intake.field = field.key;
    return this.ask(intake, field, lang, prefix);
  }

  /** The question for one field, with its choices as buttons. */
  private ask(intake: Intake, field: FieldDef, lang: Lang, prefix?: string): Reply {
    intake.mode = 'filling';
    intake.field = field.key;
    const n = FIELDS.indexOf(field) + 1;
    const lines: string[] = [];
    if (prefix) lines.push(prefix);
    lines.push(this.t(lang, 'form:progress', { n, total: FIELDS.length, section: this.t(lang, `form:sections.${field.section}`) }));
    lines.push(this.text.prompt(field, lang, intake.answers));
    if (field.optional) lines.push(this.t(lang, 'form:optional'));
    const current = intake.answers[field.key];
    if (current !== undefined) lines.push(this.t(lang, 'form:current_value', { value: this.text.value(field, current, lang) }));
    const actions: Action[] = [];
    if (field.kind === 'confirm') {
      actions.push({ id: INTAKE_ACTIONS.choose, label: this.t(lang, 'form:buttons.yes'), value: `${field.key}=yes`, style: 'primary' });
      actions.push({ id: INTAKE_ACTIONS.choose, label: this.t(lang, 'form:buttons.no'), value: `${field.key}=no` });
    } else if (field.choices) {
      const picked = new Set(intake.pick ?? []);
      for (const c of field.choices) {
        const label = this.text.choice(field, c, lang);
        const selected = Boolean(field.multiple && picked.has(c));
        actions.push({ id: INTAKE_ACTIONS.choose, label: selected ? `✓ ${label}` : label, value: `${field.key}=${c}`, ...(selected ? { selected } : {}) });
      }
      if (field.multiple) actions.push(this.button(INTAKE_ACTIONS.done, 'form:buttons.done', lang, 'primary'));
    }
    if (field.optional) actions.push(this.button(INTAKE_ACTIONS.skip, 'form:buttons.skip', lang));
    if (intake.history.length) actions.push(this.button(INTAKE_ACTIONS.back, 'form:buttons.back', lang));
    return { lang, text: lines.join('\n'), expects: { field: field.key, kind: field.kind }, actions };
  }

  /** Stores a valid answer and moves on. */
  private accept(intake: Intake, field: FieldDef, value: unknown, lang: Lang): Reply {
    intake.answers[field.key] = value;
    intake.skipped = intake.skipped.filter((k) => k !== field.key);
    intake.history = [...intake.history.filter((k) => k !== field.key), field.key];
    intake.pick = undefined;
    if (intake.returnToReview) {
      intake.returnToReview = false;
      const missing = nextField(intake.answers, intake.skipped);
      return missing ? this.askNext(intake, lang) : this.review(intake, lang);
    }
    return this.askNext(intake, lang);
  }

  /** Reads typed text for a field: choices by label in any language or by number, others by the field's parser. */
  private parse(field: FieldDef, text: string, intake: Intake, lang: Lang): { ok: true; value: unknown } | { ok: false; error: string; vars?: Record<string, unknown> } {
    if (field.kind === 'confirm') {
      if (this.words.is('yes', text)) return { ok: true, value: true };
      return { ok: false, error: this.words.is('no', text) ? 'pledge_required' : 'pick_choice' };
    }
    if (field.kind === 'choice') {
      const whole = this.matchChoice(field, text);
      if (whole) return { ok: true, value: field.multiple ? [whole] : whole };
      const pieces = field.multiple ? text.split(/\s*[,;，、；،\n]\s*/u).filter(Boolean) : [text];
      const values: string[] = [];
      for (const piece of pieces) {
        const v = this.matchChoice(field, piece);
        if (!v) return { ok: false, error: 'pick_choice' };
        if (!values.includes(v)) values.push(v);
      }
      return { ok: true, value: field.multiple ? field.choices!.filter((c) => values.includes(c)) : values[0] };
    }
    return field.parse(text, { lang, answers: intake.answers, currentYear: this.deps.clock.now().getUTCFullYear() });
  }

  private matchChoice(field: FieldDef, typed: string): string | undefined {
    const n = normalizeCommand(typed);
    const choices = field.choices ?? [];
    if (/^\d+$/.test(n) && field.kind !== 'rating') return choices[Number(n) - 1];
    for (const c of choices) {
      if (normalizeCommand(c) === n) return c;
      for (const l of LANGS) if (normalizeCommand(this.text.choice(field, c, l)) === n) return c;
    }
    // A unique label that starts with what was typed ("equity" → "Equity and inclusion").
    if (n.length >= 4) {
      const hits = choices.filter((c) => LANGS.some((l) => normalizeCommand(this.text.choice(field, c, l)).startsWith(n)));
      if (hits.length === 1) return hits[0];
    }
    return undefined;
  }

  private pickDone(intake: Intake, field: FieldDef, lang: Lang): Reply {
    const pick = intake.pick ?? [];
    if (!pick.length) return this.ask(intake, field, lang, this.t(lang, 'form:pick_none'));
    return this.accept(intake, field, pick, lang);
  }

  private back(intake: Intake, lang: Lang): Reply {
    const here = intake.field;
    const previous = [...intake.history].reverse().find((k) => k !== here);
    if (!previous) return this.ask(intake, FIELD.get(here ?? '') ?? FIELDS[0]!, lang, this.t(lang, 'form:nothing_to_go_back'));
    intake.history = intake.history.filter((k) => k !== previous);
    return this.ask(intake, FIELD.get(previous)!, lang);
  }

  private skip(intake: Intake, lang: Lang): Reply {
    const field = FIELD.get(intake.field ?? '');
    if (!field) return this.askNext(intake, lang);
    if (!field.optional) return this.ask(intake, field, lang, this.t(lang, 'form:cannot_skip'));
    delete intake.answers[field.key];
    if (!intake.skipped.includes(field.key)) intake.skipped.push(field.key);
    if (intake.returnToReview) {
      intake.returnToReview = false;
      return this.review(intake, lang);
    }
    return this.askNext(intake, lang);
  }

  private help(intake: Intake, lang: Lang): Reply {
    const field = FIELD.get(intake.field ?? '');
    if (!field || intake.mode !== 'filling') return this.review(intake, lang, this.t(lang, 'form:review_hint'));
    const help = this.t(lang, 'form:help', { label: this.text.label(field, lang), help: this.text.help(field, lang) });
    return this.ask(intake, field, lang, help);
  }

  /** The review card with submit / edit / cancel. */
  review(intake: Intake, lang: Lang, prefix?: string): Reply {
    intake.mode = 'review';
    intake.field = undefined;
    const lines = prefix ? [prefix] : [];
    lines.push(this.t(lang, 'form:review_intro'));
    const missing = missingFields(intake.answers);
    if (missing.length) lines.push(this.t(lang, 'form:review_missing', { fields: missing.map((f) => this.text.label(f, lang)).join(', ') }));
    return {
      lang,
      text: lines.join('\n\n'),
      card: this.text.reviewCard(intake.answers, lang),
      actions: [
        this.button(INTAKE_ACTIONS.submit, 'form:buttons.submit', lang, 'primary'),
        this.button(INTAKE_ACTIONS.edit, 'form:buttons.edit', lang),
        {
          ...this.button(INTAKE_ACTIONS.cancel, 'form:buttons.cancel', lang, 'danger'),
          confirm: { title: this.t(lang, 'form:buttons.cancel'), text: this.t(lang, 'form:cancel_confirm'), yes: this.t(lang, 'form:buttons.yes'), no: this.t(lang, 'form:buttons.no') },
        },
      ],
    };
  }

  /** "edit <name>": asks that field again, then returns to the review; a bare or unknown name lists the fields. */
  private edit(intake: Intake, name: string, lang: Lang): Reply {
    const direct = FIELD.get(name);
    const found = direct ? [direct] : name ? this.findFields(name) : [];
    if (found.length === 1) {
      intake.returnToReview = true;
      return this.ask(intake, found[0]!, lang);
    }
    const options = found.length > 1 ? found : FIELDS;
    const text = name && found.length === 0 ? this.t(lang, 'form:edit_unknown', { name }) : this.t(lang, 'form:edit_which');
    return { lang, text, actions: options.map((f) => ({ id: INTAKE_ACTIONS.edit, label: this.text.label(f, lang), value: f.key })) };
  }

  /** Fields whose label, in any language, contains every word of `name`. */
  private findFields(name: string): FieldDef[] {
    const wanted = words(name, 'en');
    const exact = FIELDS.filter((f) => LANGS.some((l) => normalizeCommand(this.text.label(f, l)) === normalizeCommand(name)));
    if (exact.length) return exact;
    return FIELDS.filter((f) =>
      LANGS.some((l) => {
        const label = words(this.text.label(f, l), l);
        return wanted.every((w) => label.some((x) => x === w || (w.length >= 4 && x.startsWith(w))));
      }),
    );
  }

  private cancel(intake: Intake, lang: Lang): Reply[] {
    if (intake.mode === 'filling' || intake.mode === 'review') intake.previousMode = intake.mode;
    intake.mode = 'confirm_cancel';
    return [this.yesNo(lang, this.t(lang, 'form:cancel_confirm'), 'danger')];
  }

  private async submit(conv: Conversation, lang: Lang, turn: Turn): Promise<Reply[]> {
    const intake = conv.intake!;
    const missing = missingFields(intake.answers);
    if (missing.length) {
      const first = missing[0]!;
      intake.skipped = intake.skipped.filter((k) => !missing.some((f) => f.key === k));
      const note = first.key === 'pledge.adopt' && missing.length === 1 ? this.t(lang, 'form:submit_needs_pledge') : this.t(lang, 'form:submit_missing', { fields: missing.map((f) => this.text.label(f, lang)).join(', ') });
      intake.returnToReview = false;
      return [this.ask(intake, first, lang, note)];
    }
    const refused = intake.resubmit ? this.deps.desk.tooLate(this.resubmitted(intake), lang) : this.notOpen(lang);
    if (!refused && !intake.resubmit) {
      const existing = await this.existing(intake);
      if (existing) return this.interrupted(conv, existing, lang, turn) ?? [this.review(intake, lang, this.duplicateText(existing, lang))];
    }
    if (refused) return [this.review(intake, lang, refused)];
    intake.mode = 'confirm_submit';
    return [this.yesNo(lang, this.t(lang, 'form:submit_confirm', { city: intake.answers['city.name'] }), 'primary')];
  }

  /** Why submission is refused now (outside the open phase of a call), or undefined. */
  private notOpen(lang: Lang): string | undefined {
    if (phaseAt(this.deps.calls, this.deps.clock.now()).phase === 'open') return undefined;
    return this.t(lang, 'form:submit_not_open', { when: this.deps.callDates(lang) });
  }

  /** The application already made for the draft's city in the current call, if any. */
  private async existing(intake: Intake): Promise<Application | undefined> {
    const { call } = phaseAt(this.deps.calls, this.deps.clock.now());
    const country = String(intake.answers['city.country']);
    const key = cityKey(String(intake.answers['city.name']));
    return (await this.deps.store.applications.listByCountry(call.id, country)).find((a) => a.cityKey === key);
  }

  private duplicateText(app: Application, lang: Lang): string {
    return this.t(lang, 'form:duplicate', {
      city: app.answers['city.name'],
      country: countryName(app.country, lang),
      cycle: app.cycle,
      id: app.id,
      status: this.t(lang, `form:status_names.${app.status}`),
    });
  }

  private async confirm(conv: Conversation, yes: boolean, lang: Lang, turn: Turn): Promise<Reply[]> {
    const intake = conv.intake!;
    if (intake.mode === 'confirm_cancel') {
      if (yes) {
        conv.intake = undefined;
        return [{ lang, text: this.t(lang, 'form:cancelled'), actions: [this.button(INTAKE_ACTIONS.start, 'form:buttons.start', lang)] }];
      }
      const back = intake.previousMode ?? 'filling';
      intake.mode = back;
      return [back === 'review' ? this.review(intake, lang, this.t(lang, 'form:cancel_kept')) : { ...this.current(intake, lang), text: `${this.t(lang, 'form:cancel_kept')}\n${this.current(intake, lang).text}` }];
    }
    if (!yes) return [this.review(intake, lang, this.t(lang, 'form:submit_needs_mayor'))];
    if (intake.resubmit) {
      const done = await this.deps.desk.resubmit(intake.resubmit, CompleteAnswersSchema.parse(intake.answers), turn, lang);
      if (!done.ok) return [this.review(intake, lang, done.text)];
      conv.intake = undefined;
      return [{ lang, text: done.text }];
    }
    const refused = this.notOpen(lang);
    if (refused) return [this.review(intake, lang, refused)];
    return this.store(conv, lang, turn);
  }

  /** Writes the application (awaited: on disk before the user is told) and closes the draft. */
  private async store(conv: Conversation, lang: Lang, turn: Turn): Promise<Reply[]> {
    const intake = conv.intake!;
    const now = this.deps.clock.now();
    const { call } = phaseAt(this.deps.calls, now);
    const country = String(intake.answers['city.country']);
    const key = cityKey(String(intake.answers['city.name']));
    const { application, duplicate } = await this.deps.store.applications.add(
      call.id,
      country,
      (id) => ({
        version: APPLICATION_VERSION,
        id,
        cycle: call.id,
        country,
        cityKey: key,
        status: 'submitted',
        applicant: { key: userKey(turn), platform: turn.platform, userId: turn.user.id, room: turn.room.id },
        lang,
        answers: intake.answers,
        pledgeDate: now.toISOString().slice(0, 10),
        mayorEndorsementConfirmed: true,
        submittedAt: now.toISOString(),
        history: [{ at: now.toISOString(), status: 'submitted', by: userKey(turn) }],
      }),
      (a) => a.cityKey === key,
    );
    if (duplicate) return this.interrupted(conv, application, lang, turn) ?? [this.review(intake, lang, this.duplicateText(application, lang))];
    return this.submitted(conv, application, lang, true);
  }

  /** Closes the draft on its stored application and tells where it went (posting its card when `route`). */
  private async submitted(conv: Conversation, app: Application, lang: Lang, route: boolean): Promise<Reply[]> {
    conv.applications = [...conv.applications, app.id];
    conv.intake = undefined;
    const text = this.t(lang, 'form:submitted', { id: app.id });
    return [{ lang, text: route ? `${text}\n\n${await this.deps.desk.route(app)}` : text }];
  }

  /**
   * The person's own application for this city that their conversation does not list yet: the process
   * stopped (a crash, a kill) after the application was written and before the draft was closed. The
   * submission is completed, not refused as a duplicate; its card is posted if it never was.
   */
  private interrupted(conv: Conversation, app: Application, lang: Lang, turn: Turn): Promise<Reply[]> | undefined {
    if (app.applicant.key !== userKey(turn) || conv.applications.includes(app.id) || app.status !== 'submitted') return undefined;
    return this.submitted(conv, app, lang, !app.posts?.length);
  }

  /** The call of a reopened application (from its id: GNLC-<cycle>-…). */
  private resubmitted(intake: Intake): { cycle: string } {
    return { cycle: shardOf(intake.resubmit!.id)?.cycle ?? '' };
  }

  private yesNo(lang: Lang, text: string, yesStyle?: 'primary' | 'danger'): Reply {
    return {
      lang,
      text,
      expects: { field: 'confirm', kind: 'confirm' },
      actions: [this.button(INTAKE_ACTIONS.yes, 'form:buttons.yes', lang, yesStyle), this.button(INTAKE_ACTIONS.no, 'form:buttons.no', lang)],
    };
  }

  private button(id: string, key: string, lang: Lang, style?: 'primary' | 'danger'): Action {
    return { id, label: this.t(lang, key), value: id, ...(style ? { style } : {}) };
  }
}

/** "contact.salutation=ms" → ["contact.salutation", "ms"]. */
function splitChoice(value: string | undefined): [string, string] {
  const i = (value ?? '').lastIndexOf('=');
  return i < 0 ? ['', ''] : [value!.slice(0, i), value!.slice(i + 1)];
}
