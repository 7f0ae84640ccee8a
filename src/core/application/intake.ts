import type { Translate } from '../../i18n/index.ts';
import type { Call } from '../calls/schema.ts';
import type { Clock } from '../clock.ts';
import { phaseAt } from '../calls/engine.ts';
import type { Endorsements } from './ports.ts';
import { words } from '../faq/text.ts';
import type { Lang } from '../lang.ts';
import type { Conversation, Store } from '../records.ts';
import type { Action, Reply } from '../reply.ts';
import type { Handler, TurnContext } from '../router/context.ts';
import type { Turn } from '../turn.ts';
import { AnswerReader } from './answers.ts';
import { FIELD, nextField, withoutIntros } from './form.ts';
import { FormReplies } from './questions.ts';
import { FormStatus } from './status.ts';
import { FormSteps } from './steps.ts';
import { Submission } from './submission.ts';
import { FormWords } from './words.ts';
import { asksInShortText, DESCRIPTIVE, LONG_ANSWERS, MAX_GUARDED, RESEMBLES_WORDS } from './reading.ts';
import { answerToStart, applyTurn } from './apply.ts';
import { ENDORSE_ACTIONS, INTAKE_ACTIONS } from '../actions.ts';

export { cityKey } from './submission.ts';

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
  desk: Endorsements;
  contact: { email: string; phone: string };
  /** Whether a text reads as a question (a question mark, an interrogative opening, in any language). */
  isQuestion(text: string): boolean;
  /** Whether a text of words asks where the person's own application stands ("where is our application at"). */
  asksStatus(text: string, lang: Lang): boolean;
  /** The button to be told when the next call opens (offered when no call is open). */
  subscribeAction(lang: Lang): Action;
  /** Whether a text is a greeting only ("Bonjour !"), the greeting, and what follows a text's opening greetings. */
  isGreeting(text: string): boolean;
  greeting(lang: Lang): Reply;
  afterGreeting(text: string): string | undefined;
  /** Whether a text only thanks or acknowledges ("merci beaucoup", "ok"), and the answer to it (none to an "ok"). */
  isThanks(text: string): boolean;
  thanks(lang: Lang, text: string): Reply[];
}

/**
 * The application form as a conversation: one question at a time, answers validated and saved as they
 * come, with back, skip, edit, review, cancel (confirmed), help, status and FAQ questions in between.
 * It mutates the Conversation it is given; the caller saves it after the turn.
 */
export class IntakeDialog {
  readonly words: FormWords;
  readonly replies: FormReplies;
  private readonly answers: AnswerReader;
  private readonly submission: Submission;
  private readonly statuses: FormStatus;
  private readonly steps: FormSteps;

  constructor(private readonly deps: IntakeDeps) {
    this.words = new FormWords(deps.t);
    this.replies = new FormReplies(deps.t, deps.clock, () => phaseAt(deps.calls, deps.clock.now()).phase === 'open');
    this.answers = new AnswerReader(this.replies.text, this.words);
    const { t, clock, calls, store, desk, callDates, contact } = deps;
    this.submission = new Submission({ t, clock, calls, store, desk, callDates, contact, replies: this.replies });
    this.statuses = new FormStatus({ t, store, replies: this.replies });
    this.steps = new FormSteps(t, this.replies, this.answers);
  }

  private readonly t = (lang: Lang, key: string, vars?: Record<string, unknown>) => this.deps.t(lang, key, vars);

  /** The form's handler: its buttons, and what is typed while a draft is open. */
  readonly handle: Handler = async ({ turn, conversation: conv, lang, action, text, zone }) => {
    if (conv.intake && zone) conv.intake.timeZone = zone;
    const city = this.submission.city(conv.intake);
    // In the form, the conversation keeps its language: answers such as "Hamburg" say little about it.
    const typed = conv.intake ? () => this.onText(conv, text ?? '', lang, turn) : () => undefined;
    const replies = await (action ? this.onAction(conv, action, lang, turn) : typed());
    return replies && this.submission.warnDuplicate(conv, city, lang, replies);
  };

  /**
   * Outside the form, "continue" and "status": commands, in the person's language ("continue" is English and French:
   * it says nothing of it). "continue" with no draft reopens an application the commission returned, as it says.
   */
  readonly commands = async (ctx: TurnContext, offered = false): Promise<Reply[] | undefined> => {
    const { turn, conversation: conv, lang, text = '' } = ctx;
    // The answer to "do you want to start your application now?" or to an answer offering the form, typed.
    const started = answerToStart(this, this.deps, ctx, offered);
    if (started) return started;
    if (this.words.is('continue', text)) {
      if (conv.intake) return this.resume(conv, lang);
      const returned = await this.statuses.returned(conv);
      return returned
        ? this.submission.reopen(turn, conv, returned.id, lang)
        : [await this.statuses.noDraft(conv, lang)];
    }
    if (this.words.is('status', text)) return [await this.status(conv, lang)];
    const formOnly = (['back', 'skip', 'review', 'cancel', 'submit'] as const).some((k) => this.words.is(k, text));
    // "edit phone", "I want to change the email address" (asked as a question: only of an application one has).
    const edits = !formOnly && (conv.applications.length > 0 || !this.deps.isQuestion(text));
    const today = this.deps.clock.now().toISOString().slice(0, 10);
    if (formOnly || (edits && this.answers.editRequest(text, today) !== undefined))
      return [await this.statuses.noDraft(conv, lang)];
    return undefined;
  };

  /**
   * Outside the form, a question about one's application in words ("where is our application at"), once read; never
   * one word ("заявка" is the Russian command to apply) nor a request to apply.
   */
  readonly statusInWords: Handler = async ({ match, conversation, lang, text = '' }) =>
    match?.status && words(text, lang).length > 1 && !this.words.isApplyCommand(text)
      ? [await this.status(conversation, lang)]
      : undefined;

  /** Outside the form, a request to apply starts the form (see apply.ts; a question about applying is the FAQ's). */
  readonly apply: Handler = (ctx) => applyTurn(this, this.deps, ctx);

  /** Starts a new application, or resumes the draft there is. */
  start(conv: Conversation, lang: Lang): Reply[] {
    if (conv.intake) return this.resume(conv, lang);
    const startedAt = this.deps.clock.now().toISOString();
    conv.intake = { mode: 'filling', answers: {}, skipped: [], history: [], returnToReview: false, startedAt };
    return [{ lang, text: this.t(lang, 'form:intro') }, this.replies.askNext(conv.intake, lang)];
  }

  /** "continue": picks up the draft where it stopped; with no call open (the deadline passed), the call's dates too. */
  resume(conv: Conversation, lang: Lang): Reply[] {
    if (!conv.intake) return [this.replies.noDraft(lang)];
    const open = phaseAt(this.deps.calls, this.deps.clock.now()).phase === 'open';
    return this.steps.resume(conv.intake, lang, open ? undefined : this.deps.callDates(lang));
  }

  /** What the user has: the draft's progress and each submitted application's status. */
  readonly status = (conv: Conversation, lang: Lang): Promise<Reply> => this.statuses.status(conv, lang);

  /** Handles typed text while a draft exists. */
  private async onText(conv: Conversation, text: string, lang: Lang, turn: Turn): Promise<Reply[]> {
    const intake = conv.intake!;
    const { replies, words: w } = this;
    const confirming = intake.mode === 'confirm_cancel' || intake.mode === 'confirm_submit';
    if (confirming) {
      const yes = intake.mode === 'confirm_submit' ? w.accepts(text) : w.is('yes', text); // "oui, le maire a signé"
      if (yes) return this.confirm(conv, true, lang, turn);
      // Asked whether to cancel, "continue" is a no: the form goes on.
      if (w.is('no', text) || (intake.mode === 'confirm_cancel' && w.is('continue', text)))
        return this.confirm(conv, false, lang, turn);
    }
    if (w.is('cancel', text)) return this.steps.cancel(intake, lang);
    if (w.is('review', text)) return [replies.review(intake, lang)];
    if (w.is('status', text)) return [await this.status(conv, lang)];
    if (w.is('submit', text)) return this.submission.submit(conv, lang, turn);
    if (w.is('continue', text) || (w.isApply(text) && !this.deps.isQuestion(text))) return this.resume(conv, lang);
    if (w.is('help', text)) return [this.steps.help(intake, lang)];
    const edit = this.steps.editTyped(intake, text, lang);
    if (edit) return [edit];
    if (confirming) {
      const current = replies.current(intake, lang);
      return [{ ...current, text: `${this.t(lang, 'form:confirm_yes_no')}\n\n${current.text}` }];
    }
    // "Hello" is not an answer: the greeting, and the draft in progress; "merci" is thanked, the question asked again.
    if (this.deps.isThanks(text) && !w.is('yes', text))
      return [...this.deps.thanks(lang, text), replies.current(intake, lang)];
    if (this.deps.isGreeting(text)) return [this.deps.greeting(lang), ...this.resume(conv, lang)];
    // "Wait, is membership free?", "подождите, а членство платное?": a question, read as one below; not a pause.
    if (w.is('later', text) && !/[?？؟]/u.test(text)) return [{ lang, text: this.t(lang, 'form:paused') }];
    if (w.is('back', text)) return [this.steps.back(intake, lang)];
    if (intake.mode === 'review') {
      const faq = this.deps.faq(text, lang, turn);
      if (faq) return [faq, replies.review(intake, lang)];
      // An incomplete form: what is typed answers its first missing question.
      const missing = nextField(intake.answers, intake.skipped);
      if (!missing) return [replies.review(intake, lang, this.t(lang, 'form:review_hint'))];
      Object.assign(intake, { mode: 'filling', field: missing.key });
      // "ok c'est tout bon" does not answer a question not yet seen: it is asked.
      if (w.is('yes', text) || w.is('no', text)) return [replies.ask(intake, missing, lang)];
      return this.onText(conv, text, lang, turn);
    }
    if (w.is('skip', text)) return [this.steps.skip(intake, lang)];
    const field = FIELD.get(intake.field ?? '');
    if (!field) return [replies.askNext(intake, lang)];
    const said = this.steps.notAnAnswer(intake, field, text, lang, this.deps.contact);
    if (said) return [said];
    // A question in the middle of the form gets its answer, then the form goes on where it was; for a free text
    // (where anything parses), a message that reads as a question is never stored without asking.
    const guarded = field.kind === 'text' && !LONG_ANSWERS.has(field.key) && text.length <= MAX_GUARDED;
    const long = LONG_ANSWERS.has(field.key); // a question opening a long text ("can I paste our strategy here")
    const longAsk = long && asksInShortText(text, words(text, lang).length, this.deps.isQuestion);
    const asks = /[?？؟]\s*$/u.test(text) || (!long && this.deps.isQuestion(text)) || longAsk;
    // "Where is our application at" (a question, or a statement of several words): the status, nothing stored.
    const several = words(text, lang).length >= RESEMBLES_WORDS;
    if ((asks || several) && !long && this.deps.asksStatus(text, lang)) return [await this.status(conv, lang)];
    if (asks) {
      // A question about the question waiting ("what is GDP per capita?"), or "about something else" where a
      // number or a choice is asked: its help.
      if (this.answers.about(field, text, replies.today(intake))) return [this.steps.help(intake, lang)];
      const faq = this.deps.faq(text, lang, turn);
      if (faq && (faq.scope !== 'off-topic' || field.kind === 'text')) return [faq, replies.ask(intake, field, lang)];
      if (guarded || longAsk || field.kind !== 'text') return [this.steps.unsure(intake, field, text, lang)];
    }
    // A greeting before a sentence ("bonjour je reviens finir notre dossier") is not an answer; before a short one
    // ("Bonjour, Saint-Louis"), what follows is.
    const rest = words(text, lang).length <= 15 ? this.deps.afterGreeting(text) : undefined;
    if (rest !== undefined && words(withoutIntros(rest), lang).length <= 3) return this.onText(conv, rest, lang, turn);
    if (rest !== undefined) return [this.deps.greeting(lang), ...this.resume(conv, lang)];
    // Several words the FAQ answers confidently ("la date limite pour les villes") are asked about, not stored.
    const resembles = guarded && !asks && !DESCRIPTIVE.has(field.key) && words(text, lang).length >= RESEMBLES_WORDS;
    if (resembles && this.deps.faq(text, lang, turn)) {
      return [replies.answerOrQuestion(intake, field, text, lang)];
    }
    if (field.kind === 'choice' && field.multiple && w.is('done', text))
      return [this.steps.pickDone(intake, field, lang)];
    const parsed = this.answers.parse(field, text, intake, lang, this.replies.today(intake));
    if (!parsed.ok) {
      // A short text that is not a valid answer may be a question without a question mark; one word is an answer
      // mistyped ("Hamburg" where the country is asked is not a question about UIL in Hamburg).
      const n = words(text, lang).length;
      // ("Untied Kingdom" has countries near it: they are offered, not an FAQ entry.)
      const short = !LONG_ANSWERS.has(field.key) && n >= 2 && n <= 15 && !(parsed.vars?.suggest as [])?.length;
      const faq = short ? this.deps.faq(text, lang, turn) : undefined;
      if (faq) return [faq, replies.ask(intake, field, lang)];
      return [this.steps.invalid(intake, field, parsed, lang, text)];
    }
    return [this.steps.accept(intake, field, parsed.value, lang, parsed.also)];
  }

  /** Handles a button press; undefined when the action is not the form's. */
  private async onAction(
    conv: Conversation,
    action: NonNullable<Turn['action']>,
    lang: Lang,
    turn: Turn,
  ): Promise<Reply[] | undefined> {
    const A = INTAKE_ACTIONS;
    const { id, value } = action;
    if (id === ENDORSE_ACTIONS.reopen) return this.submission.reopen(turn, conv, value, lang);
    if (id === A.start) return conv.intake ? this.resume(conv, lang) : this.start(conv, lang);
    if (id === A.status) return [await this.status(conv, lang)];
    if (id === A.submit && conv.intake) return this.submission.submit(conv, lang, turn);
    if (!conv.intake) {
      return (Object.values(A) as string[]).includes(id) ? [this.replies.noDraft(lang)] : undefined;
    }
    const intake = conv.intake;
    const { replies } = this;
    switch (id) {
      case A.yes:
      case A.no:
        if (intake.mode === 'confirm_cancel' || intake.mode === 'confirm_submit')
          return this.confirm(conv, id === A.yes, lang, turn);
        return [replies.current(intake, lang)];
      case A.cancel:
        if (action.confirmed) {
          intake.mode = 'confirm_cancel';
          return this.confirm(conv, true, lang, turn);
        }
        return this.steps.cancel(intake, lang);
      case A.review:
        return [replies.review(intake, lang)];
      case A.edit: // the review's "Edit" button carries its own id: which field, asked next
        return [this.steps.edit(intake, value === A.edit ? '' : (value ?? ''), lang)];
      case A.back:
        return [this.steps.back(intake, lang)];
      case A.skip:
        return [this.steps.skip(intake, lang)];
      case A.done: {
        const field = FIELD.get(intake.field ?? '');
        const picking = field?.multiple && intake.mode === 'filling';
        return [picking ? this.steps.pickDone(intake, field, lang) : replies.current(intake, lang)];
      }
      case A.answer:
        return [this.steps.typedAnswer(intake, value, lang, this.replies.today(intake))];
      case A.question: {
        const field = FIELD.get(intake.field ?? '');
        const note = this.t(lang, 'form:question_unknown', { email: this.deps.contact.email });
        return [
          field && intake.mode === 'filling' ? replies.ask(intake, field, lang, note) : replies.current(intake, lang),
        ];
      }
      case A.choose:
        return [
          action.values ? this.steps.pickAll(intake, action.values, lang) : this.steps.choose(intake, value, lang),
        ];
      default:
        return undefined;
    }
  }

  /** Yes or no to "cancel the draft?" or "submit it?". */
  private confirm(conv: Conversation, yes: boolean, lang: Lang, turn: Turn): Promise<Reply[]> | Reply[] {
    if (conv.intake!.mode !== 'confirm_cancel') return this.submission.confirmed(conv, yes, lang, turn);
    return this.steps.cancelled(conv, yes, lang);
  }
}
