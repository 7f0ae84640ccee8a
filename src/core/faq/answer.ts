import type { Translate } from '../../i18n/index.ts';
import type { Lang } from '../lang.ts';
import type { Call } from '../calls/schema.ts';
import { callFacts, daysUntil, endorsementEnd, phaseAt, type CallFacts } from '../calls/engine.ts';
import { formatDay, formatDaysFromNow, formatDeadlineIn, formatZone } from '../calls/format.ts';
import { dayIn, isTimeZone } from '../time-zone.ts';
import type { Entry, Faq } from './schema.ts';

/** An answer ready to send: text, small-print notes, and machine-readable facts for date-aware entries. */
export interface Answer {
  text: string;
  context: string[];
  facts?: CallFacts;
}

/** Everything an answer may depend on besides the entry and the language. */
export interface AnswerContext {
  now: Date;
  /** The user's IANA zone, when the platform tells it: deadlines are then also shown in it. */
  timeZone?: string;
}

/** Renders FAQ answers; deadline entries are computed from the call data at the given instant. */
export class AnswerRenderer {
  constructor(
    private readonly faq: Faq,
    private readonly calls: readonly Call[],
    private readonly t: Translate,
  ) {}

  /** The entry with this id, if any. */
  entry(id: string): Entry | undefined {
    return this.faq.entries.find((e) => e.id === id);
  }

  /** The topic label of an entry in a language (used on buttons). */
  title(id: string, lang: Lang): string {
    return this.faq.text[lang][id] ? this.t(lang, `faq:${id}.title`) : id;
  }

  /** The full answer to an entry in a language. */
  render(entry: Entry, lang: Lang, ctx: AnswerContext): Answer {
    const { fixed, source } = this.written(entry, lang);
    const context = [source];
    if (!entry.dynamic) return { text: fixed, context };
    const info = phaseAt(this.calls, ctx.now);
    // The computed part changes with the day on the call's calendar (the days left, the phase), not within it.
    const key = [entry.id, lang, ctx.timeZone, info.call.id, info.phase, dayIn(ctx.now, info.call.timeZone)].join(' ');
    let text = this.computed.get(key);
    if (text === undefined) {
      const computed =
        entry.dynamic === 'deadline'
          ? this.deadline(info.call, info.phase, lang, ctx)
          : this.commission(info.call, info.phase, lang, ctx);
      text = [...computed, fixed].join('\n\n');
      // Bounded: a key per zone and day; a long-running server sees few of each.
      if (this.computed.size > 2000) this.computed.clear();
      this.computed.set(key, text);
    }
    return { text, context, facts: callFacts(info) };
  }
  private readonly computed = new Map<string, string>();

  /**
   * An entry's written answer and its sources line, rendered once: the answer's {{email}}, {{phone}}, {{address}},
   * {{web}} come from data/contact.json, its names from the glossary (the FAQ is an i18next namespace).
   */
  private written(entry: Entry, lang: Lang): { fixed: string; source: string } {
    const key = `${lang}:${entry.id}`;
    let done = this.rendered.get(key);
    if (!done) {
      const urls = entry.sources.map((s) => this.faq.sources.get(s)?.url).filter((u): u is string => !!u);
      done = {
        fixed: this.t(lang, `faq:${entry.id}.answer`, this.contact(lang)),
        source: this.t(lang, 'common:source', { sources: [...new Set(urls)] }),
      };
      this.rendered.set(key, done);
    }
    return done;
  }
  /** The contact's fields for an answer: the address ends with the country's name in the language. */
  private contact(lang: Lang): Record<string, string> {
    const c = this.faq.contact;
    const country = new Intl.DisplayNames([lang], { type: 'region' }).of(c.country) ?? c.country;
    return { email: c.email, phone: c.phone, web: c.web, name: c.name, address: `${c.address}, ${country}` };
  }
  private readonly rendered = new Map<string, { fixed: string; source: string }>();

  /** The first sentence of the deadline answer at `now` (used when submission is refused). */
  callSummary(lang: Lang, now: Date): string {
    const info = phaseAt(this.calls, now);
    return this.t(lang, `calls:deadline.${info.phase}`, this.vars(info.call, lang, now));
  }

  /** The first sentence of the commission-deadline answer at `now` (what a commission's endorser needs first). */
  commissionSummary(lang: Lang, now: Date): string {
    const info = phaseAt(this.calls, now);
    return this.commission(info.call, info.phase, lang, { now })[0]!;
  }

  private vars(call: Call, lang: Lang, now: Date) {
    const day = (d: string) => formatDay(d, lang);
    const rel = (d: string) => formatDaysFromNow(daysUntil(d, now, call.timeZone), lang);
    const deadline = endorsementEnd(call);
    return {
      cycle: call.id,
      opens: day(call.cityWindow.opens),
      opensIn: rel(call.cityWindow.opens),
      closes: day(call.cityWindow.closes),
      closesIn: rel(call.cityWindow.closes),
      deadline: deadline ? day(deadline) : '',
      deadlineIn: deadline ? rel(deadline) : '',
      limit: call.limitPerCommission ?? '',
      email: this.faq.contact.email,
      web: this.faq.contact.web,
    };
  }

  private deadline(call: Call, phase: string, lang: Lang, ctx: AnswerContext): string[] {
    // The deadline still ahead: the city window while open, the commission's during endorsement.
    const ahead =
      phase === 'open' ? call.cityWindow.closes : phase === 'endorsement' ? endorsementEnd(call)! : undefined;
    const vars = this.vars(call, lang, ctx.now);
    // A city's date first; then the commission's, which follows from it (the same answer serves both).
    const then = (phase === 'open' || phase === 'upcoming') && vars.deadline;
    return [
      this.t(lang, `calls:deadline.${phase}`, vars),
      ...(then ? [this.t(lang, 'calls:deadline.then_commission', vars)] : []),
      ...this.zoneNotes(call, ahead, lang, ctx),
      ...this.earlier(call, lang),
    ];
  }

  /** The calls before `call`, with their dates and extensions ("was the 2021 deadline extended?"). */
  private earlier(call: Call, lang: Lang): string[] {
    return this.calls
      .filter((c) => c.cityWindow.closes < call.cityWindow.opens)
      .flatMap((c) => {
        const dates = {
          cycle: c.id,
          opens: formatDay(c.cityWindow.opens, lang),
          closes: formatDay(c.cityWindow.closes, lang),
        };
        const out = [this.t(lang, 'calls:earlier', dates)];
        if (c.finalDeadline && c.finalDeadlineNote === 'extension') {
          out.push(this.t(lang, 'calls:extension', { cycle: c.id, date: formatDay(c.finalDeadline, lang) }));
        }
        return out;
      });
  }

  private commission(call: Call, phase: string, lang: Lang, ctx: AnswerContext): string[] {
    const deadline = endorsementEnd(call);
    if (!deadline) return [this.t(lang, 'calls:commission.none', { cycle: call.id })];
    const out = [this.t(lang, `calls:commission.${phase}`, this.vars(call, lang, ctx.now))];
    out.push(...this.zoneNotes(call, phase === 'closed' ? undefined : deadline, lang, ctx));
    return out;
  }

  /** Extension and time-zone notes; `upcoming` is the deadline still ahead, if any. */
  private zoneNotes(call: Call, upcoming: string | undefined, lang: Lang, ctx: AnswerContext): string[] {
    const out: string[] = [];
    if (call.finalDeadline && call.finalDeadlineNote === 'extension') {
      out.push(this.t(lang, 'calls:extension', { cycle: call.id, date: formatDay(call.finalDeadline, lang) }));
    }
    if (!upcoming) return out;
    out.push(
      call.timeZoneStated
        ? this.t(lang, 'calls:tz_stated', { zone: formatZone(call.timeZone, lang) })
        : this.t(lang, 'calls:tz_assumed', { zone: formatZone(call.timeZone, lang) }),
    );
    if (isTimeZone(ctx.timeZone) && ctx.timeZone !== call.timeZone) {
      out.push(
        this.t(lang, 'calls:in_your_zone', {
          zone: formatZone(ctx.timeZone, lang),
          date: formatDay(upcoming, lang),
          when: formatDeadlineIn(upcoming, call.timeZone, ctx.timeZone, lang),
        }),
      );
    }
    return out;
  }
}
