import type { Translate } from '../../i18n/index.ts';
import { type Lang, sentences } from '../lang.ts';
import type { Conversation, Intake } from '../records.ts';
import type { Reply } from '../reply.ts';
import { type AnswerReader, splitChoice } from './answers.ts';
import { FIELD, FIELDS, nextField, type FieldDef, type Parsed } from './form.ts';
import { countryName } from './parse.ts';
import type { FormReplies } from './questions.ts';
import { INTAKE_ACTIONS } from '../actions.ts';
import { normalizeCommand } from '../word-lists.ts';
import { LONG_ANSWERS } from './reading.ts';

/** The commands that outrank a correction in the same sentence. */
const COMMANDS = ['back', 'skip', 'review', 'cancel', 'help', 'status'] as const;

/**
 * The moves within a draft: an answer taken, a choice picked, back, skip, help, edit, cancel. Each changes the
 * draft it is given and returns what to ask next.
 */
export class FormSteps {
  constructor(
    private readonly tr: Translate,
    private readonly replies: FormReplies,
    private readonly answers: AnswerReader,
  ) {}

  private t(lang: Lang, key: string, vars?: Record<string, unknown>): string {
    return this.tr(lang, key, vars);
  }

  /** "continue": the draft picked up at the step where it stopped (with `note`, such as the call's dates). */
  resume(intake: Intake, lang: Lang, note?: string): Reply[] {
    const answered = FIELDS.filter((f) => intake.answers[f.key] !== undefined).length;
    const text = this.t(lang, 'form:resume', { answered, count: FIELDS.length });
    const hello: Reply = { lang, text: note ? `${text}\n${note}` : text };
    // From the review, "continue" goes on with the questions still unanswered.
    if (intake.mode === 'review' && nextField(intake.answers, intake.skipped))
      return [hello, this.replies.askNext(intake, lang)];
    return [hello, this.replies.current(intake, lang)];
  }

  /** One choice pressed: the answer, or for several answers one more (or one fewer) picked. */
  /** "This is my answer" (value `<field>=<text>`): the text is read as the field's answer after all. */
  typedAnswer(intake: Intake, value: string | undefined, lang: Lang, today: string): Reply {
    const i = (value ?? '').indexOf('=');
    const key = i < 0 ? '' : value!.slice(0, i);
    const field = FIELD.get(key);
    if (!field || intake.mode !== 'filling' || intake.field !== key) return this.replies.current(intake, lang);
    const parsed = this.answers.parse(field, value!.slice(i + 1), intake, lang, today);
    return parsed.ok
      ? this.accept(intake, field, parsed.value, lang, parsed.also)
      : this.invalid(intake, field, parsed, lang);
  }

  /** An answer the field does not take: why, with an example (a text too long: the text back), the question again. */
  invalid(intake: Intake, field: FieldDef, parsed: Parsed & { ok: false }, lang: Lang, typed?: string): Reply {
    // A country in an error is named in the person's language.
    const vars = { ...parsed.vars };
    if (typeof vars.country === 'string') vars.country = countryName(vars.country, lang);
    const parts = [this.t(lang, `form:errors.${parsed.error}`, vars)];
    if (parsed.error === 'too_many_words' && typed) {
      const asked = this.replies.ask(intake, field, lang);
      const back = this.t(lang, 'form:errors.too_long_text', {
        text: typed.trim(),
        interpolation: { escapeValue: false },
      });
      return { ...asked, text: `${parts[0]}\n\n${back}\n\n${asked.text}` };
    }
    if (field.kind === 'url') parts.push(this.t(lang, 'form:url_hint'));
    // An unknown country: the closest names as buttons.
    const suggest = (parsed.vars?.suggest as string[] | undefined) ?? [];
    if (suggest.length) parts.push(this.t(lang, 'form:did_you_mean'));
    const example = this.replies.text.example(field, lang, intake.answers);
    // A date's error shows its own examples.
    if (example && !suggest.length && field.kind !== 'date') parts.push(this.t(lang, 'form:example', { example }));
    const reply = this.replies.ask(intake, field, lang, sentences(lang, parts));
    const buttons = suggest.map((code) => ({
      id: INTAKE_ACTIONS.answer,
      label: countryName(code, lang),
      value: `${field.key}=${code}`,
    }));
    return { ...reply, actions: [...buttons, ...(reply.actions ?? [])] };
  }

  choose(intake: Intake, value: string | undefined, lang: Lang): Reply {
    const [key, choice] = splitChoice(value);
    const field = FIELD.get(key);
    const { replies } = this;
    // A button of a question that is no longer being asked: show the current step instead.
    if (!field || intake.mode !== 'filling' || intake.field !== key) return replies.current(intake, lang);
    if (field.kind === 'confirm') {
      if (choice === 'yes') return this.accept(intake, field, true, lang);
      return replies.ask(intake, field, lang, this.t(lang, 'form:errors.pledge_required'));
    }
    if (!field.choices?.includes(choice)) return replies.current(intake, lang);
    if (field.multiple) {
      const pick = new Set(intake.pick ?? []);
      if (pick.has(choice)) pick.delete(choice);
      else pick.add(choice);
      intake.pick = field.choices.filter((c) => pick.has(c));
      const selected = intake.pick.map((c) => replies.text.choice(field, c, lang));
      return replies.ask(intake, field, lang, this.t(lang, 'form:pick_more', { selected }));
    }
    return this.accept(intake, field, field.kind === 'rating' ? Number(choice) : choice, lang);
  }

  /** A whole selection sent at once (a multi-select input): the answer, as if each was pressed and then "Done". */
  pickAll(intake: Intake, values: string[], lang: Lang): Reply {
    const field = FIELD.get(intake.field ?? '');
    const picked = values.map(splitChoice);
    const current = intake.mode === 'filling' && field?.multiple && picked.every(([key]) => key === field.key);
    if (!field || !current) return this.replies.current(intake, lang);
    const chosen = new Set(picked.map(([, c]) => c));
    intake.pick = field.choices!.filter((c) => chosen.has(c));
    return this.pickDone(intake, field, lang);
  }

  /** Stores a valid answer (and `also`, the answers it gave to questions not answered yet), and moves on. */
  accept(intake: Intake, field: FieldDef, value: unknown, lang: Lang, also: Record<string, string> = {}): Reply {
    intake.answers[field.key] = value;
    intake.skipped = intake.skipped.filter((k) => k !== field.key);
    // An answer changed by an edit keeps its place: "back" then goes to the question before the one waiting.
    const edit = intake.returnToReview && intake.history.includes(field.key);
    if (!edit) intake.history = [...intake.history.filter((k) => k !== field.key), field.key];
    // Last in the history: "back" goes to them first.
    const more = Object.entries(also).filter(([k]) => FIELD.has(k) && intake.answers[k] === undefined);
    for (const [k, v] of more) {
      intake.answers[k] = v;
      intake.history = [...intake.history.filter((h) => h !== k), k];
    }
    intake.pick = undefined;
    const { text } = this.replies;
    // A country by its name only: "Kenya (Country)", not "Kenya (KE) (Country)".
    const shown = (f: FieldDef, v: unknown) =>
      f.kind === 'country' ? countryName(String(v), lang) : text.value(f, v, lang);
    const noted = more.map(([k, v]) =>
      this.t(lang, 'form:label_value', { label: text.label(FIELD.get(k)!, lang), value: shown(FIELD.get(k)!, v) }),
    );
    const prefix = noted.length ? this.t(lang, 'form:also_noted', { values: noted }) : undefined;
    if (intake.returnToReview) {
      intake.returnToReview = false;
      const missing = nextField(intake.answers, intake.skipped);
      return missing ? this.replies.askNext(intake, lang, prefix) : this.replies.review(intake, lang, prefix);
    }
    return this.replies.askNext(intake, lang, prefix);
  }

  pickDone(intake: Intake, field: FieldDef, lang: Lang): Reply {
    const pick = intake.pick ?? [];
    if (!pick.length) return this.replies.ask(intake, field, lang, this.t(lang, 'form:pick_none'));
    return this.accept(intake, field, pick, lang);
  }

  back(intake: Intake, lang: Lang): Reply {
    const here = intake.field;
    const previous = [...intake.history].reverse().find((k) => k !== here);
    if (!previous)
      return this.replies.ask(
        intake,
        FIELD.get(here ?? '') ?? FIELDS[0]!,
        lang,
        this.t(lang, 'form:nothing_to_go_back'),
      );
    intake.history = intake.history.filter((k) => k !== previous);
    return this.replies.ask(intake, FIELD.get(previous)!, lang);
  }

  skip(intake: Intake, lang: Lang): Reply {
    const field = FIELD.get(intake.field ?? '');
    if (!field) return this.replies.askNext(intake, lang);
    // A required question is skipped for now, its answer kept if it has one: submitting asks it again.
    if (field.optional) delete intake.answers[field.key];
    if (!intake.skipped.includes(field.key)) intake.skipped.push(field.key);
    // "back" after a skip goes to the question skipped.
    intake.history = [...intake.history.filter((k) => k !== field.key), field.key];
    // After an edit, back where the person was: the review, or the question still to answer (an edit mid-form).
    const edited = intake.returnToReview;
    intake.returnToReview = false;
    if (edited && !nextField(intake.answers, intake.skipped)) return this.replies.review(intake, lang);
    const next = this.replies.askNext(intake, lang);
    if (field.optional || intake.answers[field.key] !== undefined) return next;
    return { ...next, text: `${this.t(lang, 'form:skipped_required')}\n\n${next.text}` };
  }

  /**
   * Words that are not an answer: the buttons of "your answer, or a question?" typed; "N/A" (or a no), which skips
   * an optional question; "we don't have a website", for a question the form requires, told it is required, the
   * sources saying nothing about skipping it; "keep", which leaves an answer as it is (an edit, back), and with none
   * to keep says so. The words are never stored. Undefined for any other text.
   */
  notAnAnswer(intake: Intake, field: FieldDef, text: string, lang: Lang, contact: Record<string, string>) {
    const { words } = this.answers;
    const typed = normalizeCommand(text);
    const label = (key: 'is_question' | 'is_answer') =>
      typed === normalizeCommand(this.t(lang, `form:buttons.${key}`)) || words.is(key, text);
    if (label('is_question'))
      return this.replies.ask(intake, field, lang, this.t(lang, 'form:question_unknown', contact));
    if (label('is_answer')) return this.replies.ask(intake, field, lang, this.t(lang, 'form:answer_again'));
    // (A no to the pledge is answered by the pledge's own message; "aucune, c'est la mairie" is a none, then why.)
    const noneFirst = field.optional === true && words.is('none', text.split(/[,，、;；.。!！:：—–]+/u)[0]!);
    const none =
      field.kind !== 'confirm' && (noneFirst || words.is('none', text) || (field.optional && words.is('no', text)));
    if (none && field.optional) return this.skip(intake, lang);
    if (none) return this.replies.ask(intake, field, lang, this.t(lang, 'form:errors.required_none', contact));
    // A yes or a no where a name or a text is asked ("no gracias" for the city's name) answers nothing.
    if (field.kind === 'text' && words.yesOrNo(text))
      return this.replies.ask(intake, field, lang, this.t(lang, 'form:yes_no_not_answer'));
    if (!words.is('keep', text)) return undefined;
    const kept = intake.answers[field.key];
    if (kept === undefined) return this.replies.ask(intake, field, lang, this.t(lang, 'form:nothing_to_keep'));
    return this.accept(intake, field, kept, lang);
  }

  help(intake: Intake, lang: Lang): Reply {
    const field = FIELD.get(intake.field ?? '');
    if (!field || intake.mode !== 'filling') return this.replies.review(intake, lang, this.t(lang, 'form:review_hint'));
    const { text } = this.replies;
    const help = this.t(lang, 'form:help', { label: text.label(field, lang), help: text.help(field, lang) });
    return this.replies.ask(intake, field, lang, help);
  }

  /**
   * A question typed where the form waits that no FAQ entry answers: where a number, a date or a choice is asked
   * and the question holds no such answer ("where do I find this figure?"), it is about the question: its help;
   * otherwise "is this your answer, or a question?" (a rating inside "does 5 mean a big challenge?" is not taken).
   */
  unsure(intake: Intake, field: FieldDef, text: string, lang: Lang): Reply {
    const today = this.replies.today(intake);
    const parsed = field.kind === 'text' ? undefined : this.answers.parse(field, text, intake, lang, today);
    if (parsed && !parsed.ok) return this.help(intake, lang);
    return this.replies.answerOrQuestion(intake, field, text, lang);
  }

  /** "edit email", or a sentence asking to change an answer ("I want to change the email address"); else undefined. */
  editTyped(intake: Intake, typed: string, lang: Lang): Reply | undefined {
    const today = this.replies.today(intake);
    const asked = this.answers.editRequest(typed, today);
    // "Me equivoqué en la ciudad…", not clear about which: never stored as the answer waiting; which one, asked
    // (but where a long text is asked, the words "error" or "update" may be the answer's).
    // A command after it is the command ("sorry, my mistake, back").
    const long = intake.mode === 'filling' && LONG_ANSWERS.has(intake.field ?? '');
    const command = COMMANDS.some((k) => this.answers.words.is(k, typed));
    const guess = asked === undefined && !long && !command ? this.answers.correction(typed, today) : undefined;
    if (guess) return this.editAmong(intake, guess, '', lang, true);
    if (asked === undefined) return undefined;
    if (typeof asked === 'string') return this.edit(intake, asked, lang);
    // "The population is wrong, it should be 270000": the new value is in the sentence, and taken when valid.
    const field = asked.length === 1 ? asked[0]! : undefined;
    const value = field && this.answers.carried(field, typed);
    const parsed = field && value !== undefined ? this.answers.parse(field, value, intake, lang, today) : undefined;
    if (!field || !parsed?.ok) return this.editAmong(intake, asked, '', lang);
    const shown = this.replies.text.value(field, parsed.value, lang);
    const changed = this.t(lang, 'form:changed', { label: this.replies.text.label(field, lang), value: shown });
    intake.returnToReview = intake.mode === 'review';
    const next = this.accept(intake, field, parsed.value, lang, parsed.also);
    return { ...next, text: `${changed}\n\n${next.text}` };
  }

  /** "edit <name>": asks that field again, then returns to the review; a bare or unknown name lists the fields. */
  edit(intake: Intake, name: string, lang: Lang): Reply {
    const direct = FIELD.get(name);
    const found = direct ? [direct] : name ? this.answers.fields(name, this.replies.today(intake)) : [];
    return this.editAmong(intake, found, name, lang);
  }

  /** The one question found asked again to be changed; of several or none (`name` not found), a list to pick from. */
  private editAmong(intake: Intake, found: FieldDef[], name: string, lang: Lang, guessed = false): Reply {
    if (found.length === 1 && !guessed) {
      intake.returnToReview = true;
      return this.replies.ask(intake, found[0]!, lang);
    }
    let text =
      name && found.length === 0 ? this.t(lang, 'form:edit_unknown', { name }) : this.t(lang, 'form:edit_which');
    // What is typed instead of pressing a button still answers the question the form is at: said so.
    const current = intake.mode === 'filling' ? FIELD.get(intake.field ?? '') : undefined;
    if (current) text += `\n${this.t(lang, 'form:edit_current', { label: this.replies.text.label(current, lang) })}`;
    return this.replies.editList(found.length > 1 || (guessed && found.length) ? found : FIELDS, text, lang);
  }

  /** Yes or no to "cancel the draft?": the draft is gone, or kept where it was. */
  cancelled(conv: Conversation, yes: boolean, lang: Lang): Reply[] {
    const intake = conv.intake!;
    if (yes) {
      conv.intake = undefined;
      return [this.replies.withStart(lang, this.t(lang, 'form:cancelled'))];
    }
    const back = intake.previousMode ?? 'filling';
    intake.mode = back;
    const kept = this.t(lang, 'form:cancel_kept');
    if (back === 'review') return [this.replies.review(intake, lang, kept)];
    const current = this.replies.current(intake, lang);
    return [{ ...current, text: `${kept}\n${current.text}` }];
  }

  cancel(intake: Intake, lang: Lang): Reply[] {
    if (intake.mode === 'filling' || intake.mode === 'review') intake.previousMode = intake.mode;
    intake.mode = 'confirm_cancel';
    return [this.replies.yesNo(lang, this.t(lang, 'form:cancel_confirm'), 'danger')];
  }
}
