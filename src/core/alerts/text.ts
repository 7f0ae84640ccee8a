import type { Translate } from '../../i18n/index.ts';
import { countryName } from '../application/parse.ts';
import { INTAKE_ACTIONS } from '../actions.ts';
import { daysUntil } from '../calls/engine.ts';
import { formatDay, formatDaysFromNow, formatDeadlineIn, formatInstant, formatZone } from '../calls/format.ts';
import type { EndorsementDesk } from '../endorsement/desk.ts';
import type { Lang } from '../lang.ts';
import type { Call } from '../calls/schema.ts';
import type { Action, Reply } from '../reply.ts';
import type { Candidate } from './candidate.ts';
import type { CountryCounts } from './counts.ts';
import { callTimes } from './times.ts';

/** An alert on the schedule: when it goes out, and whether an earlier attempt failed. */
export interface PlannedAlert {
  candidate: Candidate;
  at: Date;
  failed: boolean;
}
import { localDate } from './schedule.ts';

/** Stable action ids of the alerts' buttons, shared by the messages and the handler. */
export const ALERT_ACTIONS = {
  subscribe: 'alerts_subscribe',
  stop: 'alerts_stop',
} as const;

const DAY_MS = 24 * 3600_000;

/**
 * Writes alerts in the recipient's language, at the moment they are sent: "in 7 days" is counted from
 * then (an alert sent late after downtime says how many days are really left), and deadlines are shown
 * on the recipient's clock where the recipient is a person.
 */
export class AlertText {
  constructor(
    private readonly t: Translate,
    private readonly desk: Pick<EndorsementDesk, 'card' | 'commissionName' | 'forwardedCard'>,
  ) {}

  /** The messages of one alert. */
  async render(c: Candidate, now: Date): Promise<Reply[]> {
    const { lang } = c;
    const call = c.call;
    const p = c.payload;
    const tt = (key: string, vars?: Record<string, unknown>) => this.t(lang, key, { call: call.id, ...vars });
    const day = (date: string) => formatDay(date, lang);
    // Days left to a date of the call, counted on the calendar of the call's zone.
    const left = (date: string) => formatDaysFromNow(daysUntil(date, now, call.timeZone), lang);
    const decision = callTimes(call).decision;
    switch (p.kind) {
      case 'opens':
        return [
          {
            lang,
            text: tt('alerts:coord.opens', {
              when: left(call.cityWindow.opens),
              opens: day(call.cityWindow.opens),
              closes: day(call.cityWindow.closes),
              decision: decision ? day(decision.date) : tt('endorse:no_deadline'),
            }),
          },
        ];
      case 'closes':
        return [
          {
            lang,
            text: tt('alerts:coord.closes', {
              when: left(c.deadline!),
              date: day(c.deadline!),
              zone: formatZone(call.timeZone, lang),
              submitted: p.submitted,
              drafts: p.drafts,
            }),
          },
        ];
      case 'commission_deadline': {
        const lines = [
          tt('alerts:coord.commission', {
            when: left(c.deadline!),
            date: day(c.deadline!),
            zone: formatZone(call.timeZone, lang),
          }),
        ];
        if (!p.pending.size) lines.push(tt('alerts:coord.commission_none'));
        else {
          lines.push(tt('alerts:coord.commission_pending'));
          for (const [code, count] of p.pending)
            lines.push(tt('alerts:coord.pending_line', { country: countryName(code, lang), code, count }));
        }
        return [{ lang, text: lines.join('\n') }];
      }
      case 'digest':
        return [
          {
            lang,
            text: [tt('alerts:coord.digest', { date: day(c.date) }), ...this.digestLines(p.counts, lang)].join('\n'),
          },
        ];
      case 'escalation': {
        const app = p.app;
        return [
          {
            lang,
            text: tt('alerts:coord.escalation', {
              id: app.id,
              city: app.answers['city.name'],
              country: countryName(app.country, lang),
              count: Math.floor((now.getTime() - p.since.getTime()) / DAY_MS),
              commission: this.desk.commissionName(app.country, lang),
              since: day(localDate(p.since, c.zone)),
              deadline: decision ? day(decision.date) : tt('endorse:no_deadline'),
            }),
          },
        ];
      }
      case 'room_deadline': {
        const head = tt('alerts:commission.deadline', {
          commission: this.desk.commissionName(p.country, lang),
          when: left(c.deadline!),
          date: day(c.deadline!),
          zone: formatZone(call.timeZone, lang),
          count: p.apps.length,
        });
        return [{ lang, text: head }, ...(await Promise.all(p.apps.map((a) => this.desk.card(a))))];
      }
      case 'card':
        return [await this.desk.card(p.app)];
      case 'forward':
        return [await this.desk.forwardedCard(p.app)];
      case 'draft': {
        // A person's own clock: the deadline's last minute, and the days left, as they see them.
        const ends = p.resubmit ? decision!.ends : callTimes(call).closes;
        const lastDay = localDate(new Date(ends.getTime() - 1), c.zone);
        const vars = {
          when: formatDaysFromNow(daysUntil(lastDay, now, c.zone), lang),
          deadline: this.deadline(c.deadline!, call, c.zoneKnown ? c.zone : undefined, lang),
          city: p.city,
          id: p.resubmit,
        };
        const key = p.resubmit
          ? 'alerts:applicant.resubmit'
          : p.city
            ? 'alerts:applicant.draft_city'
            : 'alerts:applicant.draft';
        return [this.personal(lang, tt(key, vars), this.action(lang, INTAKE_ACTIONS.start, 'continue', 'primary'))];
      }
      case 'next_call':
        return [
          this.personal(
            lang,
            tt('alerts:applicant.next_call', {
              deadline: this.deadline(call.cityWindow.closes, call, c.zoneKnown ? c.zone : undefined, lang),
            }),
            this.action(lang, INTAKE_ACTIONS.start, 'start', 'primary'),
          ),
        ];
    }
  }

  /**
   * The coordinators' view of what is scheduled: one line per alert to them or to a commission, and per
   * rule and day for applicants (counted, not named), with times on the coordinators' clock.
   */
  plan(items: PlannedAlert[], lang: Lang, zone: string, days: number): Reply {
    const t = (key: string, vars?: Record<string, unknown>) => this.t(lang, key, vars);
    if (!items.length) return { lang, text: t('alerts:plan.empty', { count: days }) };
    const lines = [t('alerts:plan.title', { count: days, zone: formatZone(zone, lang) })];
    const people = new Map<string, { at: Date; c: Candidate; count: number }>();
    for (const { candidate: c, at } of items) {
      const p = c.payload;
      if (c.rule.startsWith('coord.')) {
        lines.push(
          t('alerts:plan.line', {
            when: formatInstant(at, zone, lang),
            what: t(`alerts:rules.${c.rule}`),
            to: t('alerts:plan.coordinators'),
            call: c.call.id,
          }),
        );
      } else if (p.kind === 'room_deadline' || p.kind === 'card') {
        const country = p.kind === 'card' ? p.app.country : p.country;
        lines.push(
          t('alerts:plan.line', {
            when: formatInstant(at, zone, lang),
            what: t(`alerts:rules.${c.rule}`),
            to: this.desk.commissionName(country, lang),
            call: c.call.id,
          }),
        );
      } else {
        const group = `${c.rule} ${c.call.id} ${localDate(at, zone)}`;
        const g = people.get(group);
        if (g) g.count++;
        else people.set(group, { at, c, count: 1 });
      }
    }
    for (const { at, c, count } of [...people.values()].sort((a, b) => a.at.getTime() - b.at.getTime())) {
      lines.push(
        t('alerts:plan.line', {
          when: formatInstant(at, zone, lang),
          what: t(`alerts:rules.${c.rule}`),
          to: t('alerts:plan.people', { count }),
          call: c.call.id,
        }),
      );
    }
    const retrying = items.filter((i) => i.failed).length;
    if (retrying) lines.push(t('alerts:plan.retry', { count: retrying }));
    return { lang, text: lines.join('\n') };
  }

  /** One line per country (drafts not yet naming a country last). */
  private digestLines(counts: Map<string, CountryCounts>, lang: Lang): string[] {
    if (!counts.size) return [this.t(lang, 'alerts:coord.digest_empty')];
    const name = (code: string) =>
      code === '??' ? this.t(lang, 'alerts:coord.unknown_country') : `${countryName(code, lang)} (${code})`;
    const rows = [...counts].sort(([a], [b]) => (a === '??' ? 1 : b === '??' ? -1 : a.localeCompare(b)));
    return rows.map(([code, r]) => this.t(lang, 'alerts:coord.digest_line', { country: name(code), ...r }));
  }

  /**
   * The last minute of a deadline day as a person reads it: on their clock when their platform told their
   * zone ("…, your time"), else on the call's clock, naming its zone.
   */
  deadline(date: string, call: Call, zone: string | undefined, lang: Lang): string {
    const at = formatDeadlineIn(date, call.timeZone, zone ?? call.timeZone, lang);
    return zone
      ? this.t(lang, 'alerts:your_time', { at })
      : this.t(lang, 'alerts:zone_time', { at, zone: formatZone(call.timeZone, lang) });
  }

  /** A message to a person: the alert, how to stop alerts, and the buttons. */
  private personal(lang: Lang, text: string, main: Action): Reply {
    return {
      lang,
      text: `${text}\n\n${this.t(lang, 'alerts:applicant.footer')}`,
      actions: [main, this.action(lang, ALERT_ACTIONS.stop, 'stop')],
    };
  }

  /** A button of the alerts. */
  action(lang: Lang, id: string, label: 'continue' | 'start' | 'stop' | 'subscribe', style?: 'primary'): Action {
    return { id, label: this.t(lang, `alerts:buttons.${label}`), value: id, ...(style ? { style } : {}) };
  }
}
