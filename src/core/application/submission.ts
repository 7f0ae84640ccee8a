import type { Translate } from '../../i18n/index.ts';
import { phaseAt } from '../calls/engine.ts';
import { formatDay, formatDaysFromNow } from '../calls/format.ts';
import type { Call } from '../calls/schema.ts';
import type { Clock } from '../clock.ts';
import type { Endorsements, ResubmitRefusal, RouteOutcome } from './ports.ts';
import { fold } from '../faq/text.ts';
import type { Lang } from '../lang.ts';
import {
  APPLICATION_VERSION,
  shardOf,
  type Application,
  type Conversation,
  type Intake,
  type Store,
} from '../records.ts';
import type { Reply } from '../reply.ts';
import { userKey, type Turn } from '../turn.ts';
import { CompleteAnswersSchema, FIELDS, missingFields } from './form.ts';
import { countryName } from './parse.ts';
import type { FormReplies } from './questions.ts';
import { reasonLine } from './status.ts';

/** Folded city name, to find a second application of the same city in a call. */
export function cityKey(name: string): string {
  return fold(name).replace(/[^\p{L}\p{N}]+/gu, '');
}

/** What submitting needs from the rest of the core. */
export interface SubmissionDeps {
  t: Translate;
  clock: Clock;
  calls: readonly Call[];
  store: Store;
  /** Routes submitted applications to their commission, and takes resubmissions of returned ones. */
  desk: Endorsements;
  /** A sentence with the dates of the relevant call (why submission is refused now). */
  callDates(lang: Lang): string;
  contact: { email: string; phone: string };
  replies: FormReplies;
}

/**
 * The end of the form: submit (every required field, the call open, no second application of the city),
 * the mayor's confirmation, the application written and routed to its commission; a returned application
 * reopened, edited and resubmitted. Mutates the conversation it is given; the caller saves it.
 */
export class Submission {
  constructor(private readonly deps: SubmissionDeps) {}

  private t(lang: Lang, key: string, vars?: Record<string, unknown>): string {
    return this.deps.t(lang, key, vars);
  }

  /** "submit": asks what is missing, refuses outside the call, else asks the mayor's confirmation. */
  async submit(conv: Conversation, lang: Lang, turn: Turn): Promise<Reply[]> {
    const { replies } = this.deps;
    const intake = conv.intake!;
    const missing = missingFields(intake.answers);
    if (missing.length) {
      const first = missing[0]!;
      intake.skipped = intake.skipped.filter((k) => !missing.some((f) => f.key === k));
      const fields = missing.map((f) => replies.text.label(f, lang));
      const onlyPledge = first.key === 'pledge.adopt' && missing.length === 1;
      const note = onlyPledge
        ? this.t(lang, 'form:submit_needs_pledge')
        : this.t(lang, 'form:submit_missing', { fields });
      intake.returnToReview = false;
      return [replies.ask(intake, first, lang, note)];
    }
    const refused = intake.resubmit ? this.tooLate(intake, lang) : this.notOpen(lang);
    if (!refused && !intake.resubmit) {
      const existing = await this.existing(intake);
      if (existing)
        return (
          this.interrupted(conv, existing, lang, turn) ?? [
            replies.review(intake, lang, this.duplicateText(existing, lang)),
          ]
        );
    }
    if (refused) return [replies.review(intake, lang, refused)];
    intake.mode = 'confirm_submit';
    return [replies.confirmSubmit(intake, lang)];
  }

  /** The answer to "did the mayor endorse it?": submits (or resubmits), or back to the review. */
  async confirmed(conv: Conversation, yes: boolean, lang: Lang, turn: Turn): Promise<Reply[]> {
    const { replies, desk } = this.deps;
    const intake = conv.intake!;
    if (!yes) return [replies.review(intake, lang, this.t(lang, 'form:submit_needs_mayor'))];
    if (intake.resubmit) {
      const done = await desk.resubmit(intake.resubmit, CompleteAnswersSchema.parse(intake.answers), turn);
      if (!done.ok) return [replies.review(intake, lang, this.refusal(done.refusal, lang))];
      conv.intake = undefined;
      const resubmitted = this.t(lang, 'endorse:resubmitted', { id: done.app.id, revision: done.app.revision });
      return [{ lang, text: `${resubmitted}\n\n${this.routed(done.routed, lang)}` }];
    }
    const refused = this.notOpen(lang);
    if (refused) return [replies.review(intake, lang, refused)];
    return this.store(conv, lang, turn);
  }

  /** The applicant reopens a returned application as a draft at the review, to edit and resubmit. */
  async reopen(turn: Turn, conv: Conversation, id: string | undefined, lang: Lang): Promise<Reply[]> {
    const app = await this.deps.desk.ownApplication(turn, id);
    if (!app) return [{ lang, text: this.refusal({ code: 'unknown_application' }, lang) }];
    // Reopened already: the draft is shown again.
    if (conv.intake?.resubmit?.id === app.id) return [this.deps.replies.review(conv.intake, lang)];
    if (app.status !== 'returned')
      return [{ lang, text: this.refusal({ code: 'not_returned', id: app.id, status: app.status }, lang) }];
    if (conv.intake) return [{ lang, text: this.t(lang, 'endorse:reopen_draft_exists') }];
    const late = this.deps.desk.tooLate(app);
    if (late) return [{ lang, text: this.refusal(late, lang) }];
    conv.intake = {
      mode: 'review',
      answers: structuredClone(app.answers),
      // Optional questions left empty stay skipped: an edit does not ask them again.
      skipped: FIELDS.filter((f) => f.optional && app.answers[f.key] === undefined).map((f) => f.key),
      history: [],
      returnToReview: false,
      resubmit: { id: app.id, revision: app.revision },
      startedAt: this.deps.clock.now().toISOString(),
    };
    // The reopened draft is shown for review at once, with what the commission asked for.
    return [
      { lang, text: this.t(lang, 'endorse:reopened', { id: app.id }) + reasonLine(this.deps.t, app, lang) },
      this.deps.replies.review(conv.intake, lang),
    ];
  }

  /** Why a reopened application can no longer be resubmitted (its commission deadline passed), or undefined. */
  private tooLate(intake: Intake, lang: Lang): string | undefined {
    const late = this.deps.desk.tooLate({ cycle: shardOf(intake.resubmit!.id)?.cycle ?? '' });
    return late && this.refusal(late, lang);
  }

  private refusal(r: ResubmitRefusal, lang: Lang): string {
    switch (r.code) {
      case 'unknown_application':
        return this.t(lang, 'endorse:refused.unknown_application');
      case 'not_returned':
        return this.t(lang, 'endorse:reopen_not_returned', {
          id: r.id,
          status: this.t(lang, `form:status_names.${r.status}`),
        });
      case 'too_late':
        return this.t(lang, 'endorse:resubmit_too_late', {
          date: formatDay(r.date, lang),
          email: this.deps.contact.email,
        });
    }
  }

  /** Where an application went, for its applicant. */
  private routed(r: RouteOutcome, lang: Lang): string {
    const { contact, desk } = this.deps;
    switch (r.outcome) {
      case 'no_commission':
        return this.t(lang, 'endorse:no_commission', {
          country: countryName(r.country, lang),
          email: r.emails.join(', '),
          phone: contact.phone,
        });
      case 'not_delivered':
        return this.t(lang, 'endorse:routed_failed', {
          commission: desk.commissionName(r.country, lang),
          email: contact.email,
        });
      case 'routed':
        return this.t(lang, 'endorse:routed', {
          commission: desk.commissionName(r.country, lang),
          deadline: r.deadline ? formatDay(r.deadline.date, lang) : this.t(lang, 'endorse:no_deadline'),
          days: r.deadline ? formatDaysFromNow(r.deadline.days, lang) : '',
          limit: r.limit ?? this.t(lang, 'common:no_value'),
          ...(r.limit ? { count: r.limit } : {}),
        });
    }
  }

  /** Why submission is refused now (outside the open phase of a call), or undefined. */
  private notOpen(lang: Lang): string | undefined {
    if (phaseAt(this.deps.calls, this.deps.clock.now()).phase === 'open') return undefined;
    return this.t(lang, 'form:submit_not_open', { when: this.deps.callDates(lang) });
  }

  /** The draft's city and country as answered, to tell whether a turn changed them (see warnDuplicate). */
  city(intake: Intake | undefined): string | undefined {
    return intake && JSON.stringify([intake.answers['city.name'], intake.answers['city.country']]);
  }

  /**
   * `replies`, after a word that the city has applied already in this call, when the turn just answered its name or
   * country (`before`: what `city` said before the turn): said then, not after the 35 questions, at submission.
   */
  async warnDuplicate(conv: Conversation, before: string | undefined, lang: Lang, replies: Reply[]) {
    const intake = conv.intake;
    if (!intake || intake.resubmit !== undefined || this.city(intake) === before) return replies;
    // With no call open, the draft is for the next call: this one's applications do not bar it.
    if (phaseAt(this.deps.calls, this.deps.clock.now()).phase !== 'open') return replies;
    if (intake.answers['city.name'] === undefined || intake.answers['city.country'] === undefined) return replies;
    const app = await this.existing(intake);
    if (!app) return replies;
    return [{ lang, text: this.duplicateText(app, lang, 'form:duplicate_early') }, ...replies];
  }

  /** The application already made for the draft's city in the current call, if any. */
  private async existing(intake: Intake): Promise<Application | undefined> {
    const { call } = phaseAt(this.deps.calls, this.deps.clock.now());
    const country = String(intake.answers['city.country']);
    const key = cityKey(String(intake.answers['city.name']));
    return (await this.deps.store.applications.listByCountry(call.id, country)).find((a) => a.cityKey === key);
  }

  private duplicateText(app: Application, lang: Lang, key = 'form:duplicate'): string {
    return this.t(lang, key, {
      city: app.answers['city.name'],
      country: countryName(app.country, lang),
      cycle: app.cycle,
      id: app.id,
      status: this.t(lang, `form:status_names.${app.status}`),
    });
  }

  /** Writes the application (awaited: on disk before the user is told) and closes the draft. */
  private async store(conv: Conversation, lang: Lang, turn: Turn): Promise<Reply[]> {
    const intake = conv.intake!;
    const now = this.deps.clock.now();
    const { call } = phaseAt(this.deps.calls, now);
    const country = String(intake.answers['city.country']);
    const key = cityKey(String(intake.answers['city.name']));
    const by = userKey(turn);
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
        applicant: { key: by, platform: turn.platform, userId: turn.user.id, room: turn.room.id },
        lang,
        answers: intake.answers,
        pledgeDate: String(intake.answers['pledge.date']),
        mayorEndorsementConfirmed: true,
        submittedAt: now.toISOString(),
        history: [{ at: now.toISOString(), status: 'submitted', by }],
      }),
      (a) => a.cityKey === key,
    );
    if (duplicate) {
      return (
        this.interrupted(conv, application, lang, turn) ?? [
          this.deps.replies.review(intake, lang, this.duplicateText(application, lang)),
        ]
      );
    }
    return this.submitted(conv, application, lang, true);
  }

  /** Closes the draft on its stored application and tells where it went (posting its card when `route`). */
  private async submitted(conv: Conversation, app: Application, lang: Lang, route: boolean): Promise<Reply[]> {
    conv.applications = [...conv.applications, app.id];
    conv.intake = undefined;
    const text = `${this.t(lang, 'form:submitted', { id: app.id })}\n\n${this.t(lang, 'form:sign_reminder')}`;
    return [{ lang, text: route ? `${text}\n\n${this.routed(await this.deps.desk.route(app), lang)}` : text }];
  }

  /**
   * The person's own application for this city that their conversation does not list yet: the process
   * stopped (a crash, a kill) after the application was written and before the draft was closed. The
   * submission is completed, not refused as a duplicate; its card is posted if it never was.
   */
  private interrupted(conv: Conversation, app: Application, lang: Lang, turn: Turn): Promise<Reply[]> | undefined {
    if (app.applicant.key !== userKey(turn) || conv.applications.includes(app.id) || app.status !== 'submitted')
      return undefined;
    return this.submitted(conv, app, lang, !app.posts?.length);
  }
}
