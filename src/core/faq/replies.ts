import type { Translate } from '../../i18n/index.ts';
import { INTAKE_ACTIONS } from '../actions.ts';
import { ALERT_ACTIONS, type AlertText } from '../alerts/text.ts';
import { formatDay } from '../calls/format.ts';
import type { Clock } from '../clock.ts';
import type { Lang } from '../lang.ts';
import { FAQ_ACTIONS, type Action, type Reply } from '../reply.ts';
import type { AnswerRenderer } from './answer.ts';
import { type Candidate, type MatchResult, NGRAM, type Scope } from './matcher.ts';
import type { NotInSourcesTopic } from './schema.ts';

/** Topics offered on the menu, in this order. */
const MENU = ['eligibility', 'benefits', 'how-to-apply', 'deadline', 'application-form', 'contact'];

/** The topics close enough to a question to offer when the bot does not answer it (three at most). */
export function closeTopics(candidates: Candidate[]): string[] {
  return candidates
    .filter((x) => x.score > 0.1)
    .slice(0, 3)
    .map((x) => x.id);
}

export interface FaqRepliesDeps {
  t: Translate;
  clock: Clock;
  answers: AnswerRenderer;
  contact: { email: string; phone: string };
  /** The topics the sources do not answer, each maybe with what it is about (data/not-in-sources.json `says`). */
  unknown?: readonly NotInSourcesTopic[];
  /** The button that subscribes to the next call's opening. */
  alertText: Pick<AlertText, 'action'>;
}

/** How many offers to start the form are remembered at once, and for how long one stands (30 minutes). */
const MAX_OFFERS = 10_000;
const OFFER_MS = 30 * 60_000;

/** The FAQ's messages: the menu of topics, the welcome, an entry's answer, and "I don't know". */
export class FaqReplies {
  private readonly offers = new Map<string, number>();

  constructor(private readonly deps: FaqRepliesDeps) {}

  /** A translation (for a text to put above the menu). */
  t(lang: Lang, key: string, vars?: Record<string, unknown>): string {
    return this.deps.t(lang, key, vars);
  }

  /** A text with the menu of topics and "start an application" under it. */
  menu(lang: Lang, text: string): Reply {
    const { t } = this.deps;
    const start: Action = {
      id: INTAKE_ACTIONS.start,
      label: t(lang, 'form:buttons.start'),
      value: INTAKE_ACTIONS.start,
      style: 'primary',
    };
    const actions = [...MENU.map((id) => this.topicAction(id, lang)), start];
    return { lang, text: `${text}\n\n${t(lang, 'common:menu_intro')}`, actions };
  }

  /** The help: the menu with its introduction. */
  help(lang: Lang): Reply {
    return this.menu(lang, this.deps.t(lang, 'common:help'));
  }

  /**
   * Notes that the answers to `ids`, given to the conversation `key`, end with the offer to start the form (when one
   * of them does): a typed yes in the next message accepts it (see `takeOffer`). Kept in memory, not in the store:
   * a turn saves nothing for it, and an offer lost to a restart only makes that yes get "nothing was asked".
   */
  offer(key: string, ids: string[]): void {
    if (!ids.some((id) => this.deps.answers.entry(id)?.offersForm)) return;
    this.offers.delete(key);
    this.offers.set(key, this.deps.clock.now().getTime());
    if (this.offers.size > MAX_OFFERS) this.offers.delete(this.offers.keys().next().value!);
  }

  /** Whether the last answer to `key` offered the form, recently; the offer is answered once, by this message. */
  takeOffer(key: string): boolean {
    const at = this.offers.get(key);
    this.offers.delete(key);
    return at !== undefined && this.deps.clock.now().getTime() - at <= OFFER_MS;
  }

  /** "You're welcome", for thanks and goodbyes. */
  thanks(lang: Lang): Reply {
    return { lang, text: this.deps.t(lang, 'common:you_are_welcome') };
  }

  /** "All right", and the topics: for an acknowledgement ("ok", "d'accord") when nothing was asked. */
  okay(lang: Lang): Reply {
    return this.menu(lang, this.deps.t(lang, 'common:okay_reply'));
  }

  /** The welcome message (with the simulated-clock notice when the clock is not real). */
  greeting(lang: Lang): Reply {
    const { t, clock } = this.deps;
    const parts = [t(lang, 'common:greeting')];
    if (clock.simulated) {
      parts.push(t(lang, 'common:simulated_clock', { date: formatDay(clock.now().toISOString().slice(0, 10), lang) }));
    }
    return this.menu(lang, parts.join('\n\n'));
  }

  /**
   * One entry's answer, computed for now on the person's clock, with the date that concerns the asker first: a
   * city asking for the commission's deadline ("when is the deadline to send the application?") gets its own
   * date first, a commission's endorser asking for the cities' deadline the commission's.
   */
  answer(id: string, lang: Lang, timeZone?: string, asker: 'city' | 'commission' = 'city', inForm = false): Reply {
    const { answers, clock, alertText, t } = this.deps;
    const now = clock.now();
    const entry = answers.entry(id)!;
    const a = answers.render(entry, lang, { now, timeZone });
    const first =
      entry.dynamic === 'commission-deadline' && asker === 'city'
        ? answers.callSummary(lang, now)
        : entry.dynamic === 'deadline' && asker === 'commission'
          ? answers.commissionSummary(lang, now)
          : undefined;
    // Someone filling in the form is not offered to start it.
    const offer = entry.offersForm && !inForm ? `\n${t(lang, 'form:offer_form')}` : '';
    const text = (first ? `${first}\n\n${a.text}` : a.text) + offer;
    // No call to apply to: offer to tell them when the next one opens.
    const closed = a.facts && (a.facts.phase === 'closed' || a.facts.phase === 'endorsement');
    const actions = closed ? { actions: [alertText.action(lang, ALERT_ACTIONS.subscribe, 'subscribe')] } : {};
    return { lang, text, faqId: id, context: a.context, ...actions };
  }

  /**
   * The answer to a question asked in the middle of the form, or undefined for a text to read as an answer. An
   * answer ("lots", "Ms", "Can Tho") may resemble a phrasing: only a question the classifier is confident of is taken
   * for one (the form then asks its question again). A question the sources do not answer is told so when the
   * classifier is sure ("Can Tho" is not one); one about something else, when it says it is a question.
   */
  inForm(m: MatchResult, text: string, form: Lang, question: boolean, timeZone?: string): Reply | undefined {
    // A question written in a script that tells its language ("截止日期是什么时候？") is answered in it; the form goes
    // on in its own.
    const lang = question && m.detection.by === 'script' && m.detection.lang ? m.detection.lang : form;
    if (m.id && (m.by !== 'ngrams' || (question && m.score >= NGRAM.midForm))) {
      return this.answer(m.id, lang, timeZone, 'city', true);
    }
    const refused = (m.scope === 'unknown' && m.by === 'ngrams') || (m.scope === 'off-topic' && /[?？؟]/u.test(text));
    if (!m.id && m.scope && refused && question) return this.refuse(lang, m.scope, m.candidates, m.topic);
    return undefined;
  }

  /**
   * No answer, said for what it is: a question not about the GNLC gets what the bot can help with and the
   * topics; one the sources do not answer gets that, with the coordination team's contact; an unclear one the
   * closest topics as choices and the contact.
   */
  refuse(lang: Lang, scope: Scope, candidates: Candidate[], topic?: string): Reply {
    const { t, contact } = this.deps;
    if (scope === 'off-topic') {
      const actions = MENU.map((id) => this.topicAction(id, lang));
      const text = [
        t(lang, 'common:off_topic'),
        t(lang, 'common:contact_line', { email: contact.email, phone: contact.phone }),
      ];
      return { lang, text: text.join('\n\n'), scope, actions };
    }
    if (scope === 'unknown') {
      // What the sources do not say, named when the topic is known ("…do not say whether a region can apply").
      const what = topic && this.deps.unknown?.find((u) => u.id === topic)?.says?.[lang];
      const key = what ? 'common:not_in_sources_topic' : 'common:not_in_sources';
      const text = t(lang, key, { what, email: contact.email, phone: contact.phone });
      return { lang, text, scope, actions: MENU.map((id) => this.topicAction(id, lang)) };
    }
    return this.unknown(lang, candidates);
  }

  /** "I don't know" with the closest topics as choices and the coordination team's contact. */
  unknown(lang: Lang, candidates: Candidate[]): Reply {
    const { t, contact, answers } = this.deps;
    const close = closeTopics(candidates);
    const lines = [t(lang, 'common:unknown')];
    if (close.length) {
      lines.push(`${t(lang, 'common:unknown_choices')} ${close.map((id) => answers.title(id, lang)).join(' · ')}`);
    }
    lines.push(t(lang, 'common:contact_line', { email: contact.email, phone: contact.phone }));
    return {
      lang,
      text: lines.join('\n\n'),
      scope: 'unclear',
      actions: (close.length ? close : MENU).map((id) => this.topicAction(id, lang)),
    };
  }

  private topicAction(id: string, lang: Lang): Action {
    return { id: FAQ_ACTIONS.topic, label: this.deps.answers.title(id, lang), value: id };
  }
}
