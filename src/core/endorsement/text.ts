import type { Translate } from '../../i18n/index.ts';
import type { Application } from '../records.ts';
import { FIELD } from '../application/form.ts';
import { FormText } from '../application/display.ts';
import { reopenButton } from '../application/questions.ts';
import { countryName } from '../application/parse.ts';
import { daysUntil } from '../calls/engine.ts';
import { formatDay, formatDaysFromNow } from '../calls/format.ts';
import type { Call } from '../calls/schema.ts';
import type { Lang } from '../lang.ts';
import type { Action, Card, Fact, Reply } from '../reply.ts';
import { actionValue, decisionDeadline, ENDORSE_ACTIONS, type Refusal } from './decisions.ts';
import type { Commission } from './routing.ts';

/** What a card needs to know besides the application. */
export interface CardContext {
  call: Call;
  now: Date;
  commission: string;
  /** Endorsements so far in this call and country, and the limit (null: none known). */
  endorsed: number;
  limit: number | null;
}

/**
 * The words of the endorsement workflow in one language: the commission's card (live with buttons, or
 * decided, showing who, what and when), the messages to applicants, endorsers and coordinators, and
 * the one place where refusal codes become sentences.
 */
export class EndorseText {
  readonly form: FormText;

  constructor(private readonly t: Translate) {
    this.form = new FormText(t);
  }

  /** The commission's name as configured, else "the National Commission for UNESCO of <country>". */
  commissionName(country: string, commission: Commission | undefined, lang: Lang): string {
    return commission?.name ?? this.t(lang, 'endorse:commission_default', { country: countryName(country, lang) });
  }

  /** The deadline with the days left, or that it has passed, or that none is known. */
  deadline(call: Call, now: Date, lang: Lang): string {
    const d = decisionDeadline(call);
    if (!d) return this.t(lang, 'endorse:no_deadline');
    const date = formatDay(d.date, lang);
    if (now.getTime() >= d.ends.getTime()) return this.t(lang, 'endorse:deadline_passed_value', { date });
    return this.t(lang, 'endorse:deadline_value', {
      date,
      days: formatDaysFromNow(daysUntil(d.date, now, call.timeZone), lang),
    });
  }

  counter(n: number, limit: number | null, lang: Lang): string {
    return limit === null
      ? this.t(lang, 'endorse:counter_unlimited', { n })
      : this.t(lang, 'endorse:counter_value', { n, limit });
  }

  private who(app: Application): string {
    return app.decision?.by.name ?? app.decision?.by.key ?? '';
  }

  /**
   * The application card for the commission (and, once forwarded, the coordinators): the decision
   * facts first, what changed in a resubmission, then every answer. Buttons only while it waits.
   */
  card(app: Application, ctx: CardContext, lang: Lang, opts: { forwarded?: boolean } = {}): Reply {
    const country = countryName(app.country, lang);
    const city = String(app.answers['city.name']);
    const f = (key: string) => this.t(lang, `endorse:facts.${key}`);
    const status = this.t(lang, `form:status_names.${app.status}`);
    const facts: Fact[] = [
      {
        label: f('application'),
        value:
          app.revision > 1 ? this.t(lang, 'endorse:revision_value', { id: app.id, revision: app.revision }) : app.id,
      },
      { label: f('call'), value: app.cycle },
      { label: f('deadline'), value: this.deadline(ctx.call, ctx.now, lang) },
      { label: f('counter'), value: this.counter(ctx.endorsed, ctx.limit, lang) },
      { label: f('status'), value: status },
    ];
    if (app.decision) {
      const date = formatDay(app.decision.at.slice(0, 10), lang);
      const decided = this.t(lang, `form:status_names.${app.decision.status}`);
      facts.push({
        label: f('decision'),
        value: this.t(lang, 'endorse:decided_value', { status: decided, name: this.who(app), date }),
      });
      if (app.decision.reason) facts.push({ label: f('reason'), value: app.decision.reason });
    }
    const sections: Card['sections'] = [{ title: f('section'), facts }];
    if (app.changes.length) {
      sections.push({
        title: this.t(lang, 'endorse:changes_title', { revision: app.revision }),
        facts: app.changes.map((c) => {
          const field = FIELD.get(c.field);
          const show = (v: unknown) => (field ? this.form.value(field, v, lang) : String(v ?? ''));
          return {
            label: field ? this.form.label(field, lang) : c.field,
            value: this.t(lang, 'endorse:change_value', { before: show(c.before), after: show(c.after) }),
          };
        }),
      });
    }
    sections.push(...this.form.reviewCard(app.answers, lang).sections);
    const vars = {
      city,
      country,
      cycle: app.cycle,
      commission: ctx.commission,
      revision: app.revision,
      deadline: this.deadline(ctx.call, ctx.now, lang),
    };
    let text: string;
    if (opts.forwarded) text = this.t(lang, 'endorse:card_forwarded', vars);
    else if (app.decision)
      text = this.t(lang, 'endorse:card_decided', {
        ...vars,
        status: this.t(lang, `form:status_names.${app.decision.status}`),
        name: this.who(app),
        date: formatDay(app.decision.at.slice(0, 10), lang),
      });
    else text = this.t(lang, app.revision > 1 ? 'endorse:card_resubmitted' : 'endorse:card_text', vars);
    const live = app.status === 'submitted' && !opts.forwarded;
    return {
      lang,
      text,
      card: { title: this.t(lang, 'endorse:card_title', { id: app.id, city, country }), sections },
      actions: live ? this.buttons(app, lang) : undefined,
      tracked: true,
    };
  }

  private buttons(app: Application, lang: Lang): Action[] {
    const value = actionValue(app);
    const b = (id: string, style?: 'primary' | 'danger'): Action => ({
      id,
      label: this.t(lang, `endorse:buttons.${id}`),
      value,
      ...(style ? { style } : {}),
    });
    return [b(ENDORSE_ACTIONS.endorse, 'primary'), b(ENDORSE_ACTIONS.return), b(ENDORSE_ACTIONS.decline, 'danger')];
  }

  /** The button with which an applicant reopens a returned application. */
  reopenButton(app: Application, lang: Lang): Action {
    return reopenButton(this.t, app, lang);
  }

  /** A refusal as a sentence; `contact` is the coordination team's email. */
  refusal(r: Refusal, app: Application | undefined, commission: string, lang: Lang, email: string): string {
    const id = app?.id ?? '';
    switch (r.code) {
      case 'unknown_application':
        return this.t(lang, 'endorse:refused.unknown_application');
      case 'not_an_endorser':
        return this.t(lang, 'endorse:refused.not_an_endorser', { commission, id });
      case 'already_decided': {
        const status = this.t(lang, `form:status_names.${r.status}`);
        if (!r.by || !r.at) return this.t(lang, 'endorse:refused.already_status', { id, status });
        return this.t(lang, 'endorse:refused.already_decided', {
          id,
          status,
          name: r.by.name ?? r.by.key,
          date: formatDay(r.at.slice(0, 10), lang),
        });
      }
      case 'conflict_of_interest':
        return this.t(lang, `endorse:refused.conflict_${r.as}`, {
          id,
          city: app?.answers['city.name'] ?? '',
          commission,
          email,
        });
      case 'stale':
        return this.t(lang, 'endorse:refused.stale', { id, revision: r.revision });
      case 'deadline_passed':
        return this.t(lang, 'endorse:refused.deadline_passed', { date: formatDay(r.deadline, lang), email });
      case 'quota_reached': {
        const list = r.endorsed.map((a) => `${String(a.answers['city.name'])} (${a.id})`);
        return this.t(lang, 'endorse:refused.quota_reached', { commission, count: r.limit, list, id });
      }
    }
  }
}
