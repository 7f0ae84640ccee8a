import type { Translate } from '../../i18n/index.ts';
import { INTAKE_ACTIONS } from '../actions.ts';
import { formatDay } from '../calls/format.ts';
import type { Lang } from '../lang.ts';
import type { Application, Conversation, Store } from '../records.ts';
import type { Action, Reply } from '../reply.ts';
import { FIELDS, missingFields } from './form.ts';
import { countryName } from './parse.ts';
import { reopenButton, type FormReplies } from './questions.ts';

/** "status": what a person has, the draft's progress and each submitted application's status. */
export class FormStatus {
  constructor(private readonly deps: { t: Translate; store: Store; replies: FormReplies }) {}

  async status(conv: Conversation, lang: Lang): Promise<Reply> {
    const { t, store, replies } = this.deps;
    const lines: string[] = [];
    const reopen: Action[] = [];
    for (const id of conv.applications) {
      const app = await store.applications.get(id);
      if (!app) continue;
      lines.push(this.line(app, lang));
      if (app.status === 'returned' && conv.intake?.resubmit?.id !== app.id) reopen.push(reopenButton(t, app, lang));
    }
    if (conv.intake) {
      const answered = FIELDS.filter((f) => conv.intake!.answers[f.key] !== undefined).length;
      // Complete but for optional questions: said so, with what to do next (not "32 of 35, continue").
      const ready = missingFields(conv.intake.answers).length === 0;
      lines.push(t(lang, ready ? 'form:status_ready' : 'form:status_draft', { answered, count: FIELDS.length }));
    }
    if (!lines.length) return replies.withStart(lang, t(lang, 'form:status_none'));
    const actions = [
      ...reopen,
      ...(conv.intake ? [replies.button(INTAKE_ACTIONS.start, 'form:buttons.continue', lang)] : []),
    ];
    return { lang, text: lines.join('\n'), actions: actions.length ? actions : undefined };
  }

  /**
   * A command of the form ("review", "edit email", "cancel", "continue") with no draft open: said so, with the
   * applications the person has (a submitted one is not changed here) or, without any, how to start one.
   */
  async noDraft(conv: Conversation, lang: Lang): Promise<Reply> {
    const { t, replies } = this.deps;
    if (!conv.applications.length) return replies.withStart(lang, t(lang, 'form:not_in_form'));
    const status = await this.status(conv, lang);
    return { ...status, text: `${t(lang, 'form:not_in_form_submitted')}\n\n${status.text}` };
  }

  /** The person's latest returned application that is not already reopened as their draft. */
  async returned(conv: Conversation): Promise<Application | undefined> {
    for (const id of [...conv.applications].reverse()) {
      const app = await this.deps.store.applications.get(id);
      if (app?.status === 'returned' && conv.intake?.resubmit?.id !== app.id) return app;
    }
    return undefined;
  }

  private line(app: Application, lang: Lang): string {
    const { t } = this.deps;
    const line = t(lang, 'form:status_app', {
      id: app.id,
      city: app.answers['city.name'],
      country: countryName(app.country, lang),
      cycle: app.cycle,
      status: t(lang, `form:status_names.${app.status}`),
      date: formatDay(app.submittedAt.slice(0, 10), lang),
    });
    return line + reasonLine(t, app, lang);
  }
}

/**
 * The commission's reason for a return or a decline, as a line to add (what the applicant is to change, or what
 * the commission found); empty for any other status.
 */
export function reasonLine(t: Translate, app: Application, lang: Lang): string {
  const reason = (app.status === 'returned' || app.status === 'declined') && app.decision?.reason;
  return reason ? `\n${t(lang, 'form:status_reason', { reason })}` : '';
}
