import type { Translate } from '../i18n/index.ts';
import { CONVERSATION_VERSION, type Conversation, type Store } from './records.ts';
import { IntakeDialog, INTAKE_ACTIONS } from './application/intake.ts';
import { DEFAULT_ZONE, type Clock } from './clock.ts';
import { CommandWords } from './commands.ts';
import { normalizeCommand } from './word-lists.ts';
import { formatDay } from './calls/format.ts';
import type { Call } from './calls/schema.ts';
import type { CallFacts } from './calls/engine.ts';
import { AnswerRenderer } from './faq/answer.ts';
import { FaqMatcher, type Candidate } from './faq/matcher.ts';
import type { Faq } from './faq/schema.ts';
import { KeyedQueue } from '../lib/keyed-queue.ts';
import { AdminCommands } from './endorsement/admin.ts';
import { EndorsementDesk } from './endorsement/desk.ts';
import { ENDORSE_ACTIONS } from './endorsement/decisions.ts';
import type { Routing } from './endorsement/routing.ts';
import type { Outbox } from './notifier.ts';
import { AlertService, PLAN_DAYS } from './alerts/service.ts';
import { AlertPreferences } from './alerts/preferences.ts';
import { ALERT_ACTIONS, AlertText } from './alerts/text.ts';
import { isTimeZone } from './time-zone.ts';
import { PrivacyDesk } from './privacy/desk.ts';
import { languageOf, LANGS, negotiateLocale, type Lang } from './lang.ts';
import { FAQ_ACTIONS, type Action, type Reply } from './reply.ts';
import { userKey, wellFormed, type Turn } from './turn.ts';
import { StoreError, StoreReadError, StoreWriteError } from './store-errors.ts';

/** What the core needs; built once by `createCore` and shared by every channel. */
export interface AssistantDeps {
  faq: Faq;
  calls: Call[];
  t: Translate;
  clock: Clock;
  store: Store;
  /** Who receives applications and decides on them (GNLC_CONFIG). */
  routing: Routing;
  /** Messages to other rooms and people, on any enabled platform. */
  outbox: Outbox;
  /** Where failures to deliver are reported. */
  warn?: (obj: Record<string, unknown>, msg: string) => void;
  /** Where failures of the program are reported (a turn the store could not serve). */
  error?: (obj: Record<string, unknown>, msg: string) => void;
}

/** One answer in machine-readable form (`gnlc ask --json`). */
export interface AskResult {
  faqId: string | null;
  lang: Lang;
  score: number;
  answer: string;
  facts?: CallFacts;
  candidates: Candidate[];
  /** When no entry is confident: the closest topics offered instead (ids). */
  suggestions: string[];
}

/** Options of a one-off question. */
export interface AskOptions {
  /** Platform locale, the fallback when the text is too short to tell its language. */
  locale?: string;
  /** An explicit language choice: wins over the text's language. */
  lang?: Lang;
  now?: Date;
  timeZone?: string;
}

/**
 * The longest text a turn is read at, in UTF-16 code units (more than any answer of the form: the longest
 * takes 200 words). Reading costs more than linear time in places (ICU word segmentation, for one), so a
 * much longer message (Slack allows 40,000 characters) would hold up every other conversation for seconds;
 * it is refused with a message instead. Also the longest action value: the bot's buttons carry far less.
 */
export const MAX_TEXT = 4000;

/** Topics offered on the menu, in this order. */
const MENU = ['eligibility', 'benefits', 'how-to-apply', 'deadline', 'application-form', 'contact'];

/**
 * The channel-neutral bot: takes a Turn, returns Replies. It answers FAQ questions in the language
 * they are written in, handles greetings, help and language switches, runs the application form,
 * and never guesses below the matcher's confidence threshold. Turns of one user are handled one at
 * a time; the user's conversation is saved before the replies are returned.
 */
export class Assistant {
  readonly matcher: FaqMatcher;
  readonly answers: AnswerRenderer;
  readonly intake: IntakeDialog;
  readonly desk: EndorsementDesk;
  readonly admin: AdminCommands;
  /** Deadline alerts (the server's scheduler and `gnlc alerts` run them). */
  readonly alerts: AlertService;
  private readonly alertText: AlertText;
  private readonly prefs: AlertPreferences;
  private readonly privacy: PrivacyDesk;
  /** Conversations deleted during their turn (at their owner's request): not saved again. */
  private readonly erased = new WeakSet<Conversation>();
  private readonly words: CommandWords;
  private readonly queue = new KeyedQueue();

  constructor(private readonly deps: AssistantDeps) {
    this.words = new CommandWords(deps.t);
    this.matcher = new FaqMatcher(deps.faq, Object.fromEntries(LANGS.map((l) => [l, this.words.vocabulary(l)])));
    this.answers = new AnswerRenderer(deps.faq, deps.calls, deps.t);
    const { t, clock, calls, store, routing, outbox, warn } = deps;
    this.desk = new EndorsementDesk({ t, clock, calls, store, routing, outbox, warn, contact: deps.faq.contact });
    this.alertText = new AlertText(t, this.desk);
    this.alerts = new AlertService({ clock, calls, store, routing, outbox, desk: this.desk, text: this.alertText, warn });
    this.prefs = new AlertPreferences({ t, clock, calls, text: this.alertText });
    this.privacy = new PrivacyDesk({ t, clock, store, contact: deps.faq.contact });
    this.admin = new AdminCommands({
      t, clock, calls, store, routing, desk: this.desk,
      alerts: { isWord: (text) => this.prefs.isAlertsWord(text), plan: (lang) => this.alertPlan(lang) },
    });
    this.intake = new IntakeDialog({
      desk: this.desk,
      t: deps.t,
      clock: deps.clock,
      calls: deps.calls,
      store: deps.store,
      faq: (text, lang, turn) => {
        const m = this.matcher.match(text, lang);
        return m.id ? this.answerReply(m.id, lang, turn) : undefined;
      },
      callDates: (lang) => this.answers.callSummary(lang, deps.clock.now()),
    });
  }

  /** Resolves once every turn under way has finished and saved its state (graceful shutdown). */
  drain(): Promise<void> {
    return this.queue.idle();
  }

  /** Answers one question (no conversation state): the `gnlc ask` command. */
  ask(text: string, opts: AskOptions = {}): AskResult {
    const now = opts.now ?? this.deps.clock.now();
    const match = this.matcher.match(text, negotiateLocale(opts.locale));
    const lang = opts.lang ?? match.textLang ?? negotiateLocale(opts.locale) ?? 'en';
    const entry = match.id ? this.answers.entry(match.id) : undefined;
    if (!entry) {
      const suggestions = closeTopics(match.candidates);
      return { faqId: null, lang, score: match.score, answer: this.unknown(lang, match.candidates).text, candidates: match.candidates, suggestions };
    }
    const a = this.answers.render(entry, lang, { now, timeZone: opts.timeZone });
    return { faqId: entry.id, lang, score: match.score, answer: a.text, facts: a.facts, candidates: match.candidates, suggestions: [] };
  }

  /** Handles one turn of a conversation; the user's state is on disk before the replies are returned. */
  handle(inbound: Turn): Promise<Reply[]> {
    const turn = wellFormed(inbound);
    const key = userKey(turn);
    return this.queue.run(key, async () => {
      let conv: Conversation | undefined;
      try {
        const stored = await this.deps.store.conversations.get(key);
        conv = stored ?? emptyConversation(key);
        const before = JSON.stringify(conv);
        const replies = await this.route(turn, conv, stored !== undefined);
        if (!this.erased.has(conv) && JSON.stringify(conv) !== before) {
          // Alerts are timed on the person's clock: the zone their platform last told is kept with what they saved.
          if (isTimeZone(turn.user.timeZone)) conv.timeZone = turn.user.timeZone;
          conv.updatedAt = this.deps.clock.now().toISOString();
          await this.deps.store.conversations.save(conv);
        }
        return replies;
      } catch (err) {
        if (!(err instanceof StoreError)) throw err;
        return [this.storeFailed(err, languageOf(conv, turn.user.locale), turn)];
      }
    });
  }

  /**
   * A turn the store could not serve (a record it cannot read, or one it refused to write): nothing of the
   * turn is saved, the person is told so in their language, and the log names the record, never its content.
   */
  private storeFailed(err: StoreError, lang: Lang, turn: Turn): Reply {
    const problems = err instanceof StoreReadError ? err.problems : err instanceof StoreWriteError ? [err.problem] : [];
    (this.deps.error ?? this.deps.warn)?.({ code: err.code, problems, platform: turn.platform, user: turn.user.id }, 'turn failed: the store could not serve it; nothing of it was saved');
    const c = this.deps.faq.contact;
    const text = [this.deps.t(lang, `common:${err.code}`), this.deps.t(lang, 'common:contact_line', { email: c.email, phone: c.phone })].join('\n\n');
    return { lang, text };
  }

  private async route(turn: Turn, conv: Conversation, stored: boolean): Promise<Reply[]> {
    const locale = negotiateLocale(turn.user.locale);
    const fallback = languageOf(conv, turn.user.locale);
    const zone = isTimeZone(turn.user.timeZone) ? turn.user.timeZone : conv.timeZone;
    if (turn.action) {
      const { id, value } = turn.action;
      // No button of this bot carries that much: a forged or garbled press, answered as an outdated one.
      if (id.length > MAX_TEXT || (value?.length ?? 0) > MAX_TEXT) return [this.menu(fallback, this.deps.t(fallback, 'common:stale_action'))];
      if (id === FAQ_ACTIONS.language) return this.setLanguage(conv, this.words.languageCode(value ?? ''), fallback);
      const pref = this.prefs.onAction(conv, id, fallback, zone);
      if (pref) return pref;
      const mine = await this.privacy.onAction(turn, conv, stored, id, fallback);
      if (mine) return this.afterPrivacy(conv, mine);
      const decided = await this.desk.onAction(turn, conv, id, value, fallback);
      if (decided) {
        // A returned application just reopened (or reopened again): show it for review.
        const reopened = id === ENDORSE_ACTIONS.reopen && conv.intake?.resubmit?.id === value;
        return reopened ? [...decided, this.intake.review(conv.intake!, fallback)] : decided;
      }
      const handled = await this.intake.onAction(conv, id, value, fallback, turn);
      return handled ?? this.onFaqAction(id, value, fallback, turn);
    }
    const text = (turn.text ?? '').trim();
    if (!text) return [this.menu(fallback, this.deps.t(fallback, 'common:empty'))];
    if (text.length > MAX_TEXT) {
      const n = new Intl.NumberFormat(fallback);
      return [{ lang: fallback, text: this.deps.t(fallback, 'common:too_long', { length: n.format(text.length), max: n.format(MAX_TEXT) }) }];
    }

    const langCmd = this.words.language(text);
    if (langCmd) return this.setLanguage(conv, langCmd, fallback);

    // An endorser who pressed return or decline: this text is the reason.
    const reason = await this.desk.onReason(turn, conv, text, fallback, this.intake.words.is('cancel', text));
    if (reason) return reason;
    const admin = await this.admin.onText(turn, text, fallback);
    if (admin) return admin;
    // The alerts' and personal-data commands are whole texts: normalized once for both.
    const command = normalizeCommand(text);
    const pref = this.prefs.onText(conv, command, fallback, zone);
    if (pref) return pref;
    const mine = await this.privacy.onText(turn, conv, stored, command, fallback);
    if (mine) return this.afterPrivacy(conv, mine);

    // In the form, the conversation keeps its language: answers such as "Hamburg" say little about it.
    if (conv.intake) return this.intake.onText(conv, text, fallback, turn);

    const match = this.matcher.match(text, conv.lang.last ?? locale);
    const lang = conv.lang.chosen ?? match.textLang ?? fallback;
    if (match.textLang) conv.lang = { ...conv.lang, last: match.textLang };

    const forms = this.intake.words;
    if (forms.isApply(text)) {
      conv.lang = { ...conv.lang, last: lang };
      return this.intake.start(conv, lang);
    }
    if (forms.is('continue', text)) return this.intake.resume(conv, lang);
    if (forms.is('status', text)) return [await this.intake.status(conv, lang)];
    if (this.words.isHelp(text)) return [this.menu(lang, this.deps.t(lang, 'common:help'))];
    if (!match.id && this.words.isGreeting(text)) return [this.greeting(lang)];
    if (match.id) return [this.answerReply(match.id, lang, turn)];
    return [this.unknown(lang, match.candidates)];
  }

  private afterPrivacy(conv: Conversation, outcome: { replies: Reply[]; erased?: boolean }): Reply[] {
    if (outcome.erased) this.erased.add(conv);
    return outcome.replies;
  }

  /** The language to greet a user in before they have written anything: their locale, else English. */
  languageFor(locale: string | undefined): Lang {
    return languageOf(undefined, locale);
  }

  /**
   * The language a person's conversation is in (else their locale's), for a channel's own messages (an error,
   * a rate limit); when the store cannot be read, their locale's.
   */
  async languageOfPerson(turn: Pick<Turn, 'platform' | 'user'>): Promise<Lang> {
    try {
      return languageOf(await this.deps.store.conversations.get(userKey(turn)), turn.user.locale);
    } catch {
      return languageOf(undefined, turn.user.locale);
    }
  }

  /** The welcome message (with the simulated-clock notice when the clock is not real). */
  greeting(lang: Lang): Reply {
    const parts = [this.deps.t(lang, 'common:greeting')];
    if (this.deps.clock.simulated) {
      parts.push(this.deps.t(lang, 'common:simulated_clock', { date: formatDay(this.deps.clock.now().toISOString().slice(0, 10), lang) }));
    }
    return this.menu(lang, parts.join('\n\n'));
  }

  /** Switches the conversation's language (or says which languages exist); a draft goes on in the new one. */
  private setLanguage(conv: Conversation, choice: Lang | { unknown: string }, fallback: Lang): Reply[] {
    if (typeof choice === 'string') {
      conv.lang = { chosen: choice, last: choice };
      const set: Reply = { lang: choice, text: this.deps.t(choice, 'common:language_set') };
      return conv.intake ? [set, ...this.intake.resume(conv, choice).slice(1)] : [set];
    }
    const names = new Intl.DisplayNames([fallback], { type: 'language' });
    const list = LANGS.map((l) => names.of(l)).join(', ');
    return [{ lang: fallback, text: this.deps.t(fallback, 'common:language_unknown', { value: choice.unknown, list }) }];
  }

  /**
   * What a user has, without changing anything: the welcome with the topics, then the status of the
   * draft and applications (Slack's App Home).
   */
  async overview(turn: Turn): Promise<Reply[]> {
    const conv = await this.deps.store.conversations.get(userKey(turn));
    const lang = languageOf(conv, turn.user.locale);
    return [this.greeting(lang), await this.intake.status(conv ?? emptyConversation(userKey(turn)), lang)];
  }

  private onFaqAction(id: string, value: string | undefined, lang: Lang, turn: Turn): Reply[] {
    if (id === FAQ_ACTIONS.topic && value && this.answers.entry(value)) return [this.answerReply(value, lang, turn)];
    if (id === FAQ_ACTIONS.menu) return [this.menu(lang, this.deps.t(lang, 'common:help'))];
    return [this.menu(lang, this.deps.t(lang, 'common:stale_action'))];
  }

  private answerReply(id: string, lang: Lang, turn: Turn): Reply {
    const a = this.answers.render(this.answers.entry(id)!, lang, { now: this.deps.clock.now(), timeZone: turn.user.timeZone });
    // No call to apply to: offer to tell them when the next one opens.
    const closed = a.facts && (a.facts.phase === 'closed' || a.facts.phase === 'endorsement');
    return { lang, text: a.text, context: a.context, ...(closed ? { actions: [this.alertText.action(lang, ALERT_ACTIONS.subscribe, 'subscribe')] } : {}) };
  }

  /** The alerts scheduled for the next 30 days, for the coordinators, on their clock. */
  private async alertPlan(lang: Lang): Promise<Reply> {
    const zone = this.deps.routing.coordinatorsZone() ?? DEFAULT_ZONE;
    return this.alertText.plan(await this.alerts.plan(), lang, zone, PLAN_DAYS);
  }

  private menu(lang: Lang, text: string): Reply {
    const start: Action = { id: INTAKE_ACTIONS.start, label: this.deps.t(lang, 'form:buttons.start'), value: INTAKE_ACTIONS.start, style: 'primary' };
    return { lang, text: `${text}\n\n${this.deps.t(lang, 'common:menu_intro')}`, actions: [...MENU.map((id) => this.topicAction(id, lang)), start] };
  }

  private topicAction(id: string, lang: Lang): Action {
    return { id: FAQ_ACTIONS.topic, label: this.answers.title(id, lang), value: id };
  }

  /** "I don't know" with the closest topics as choices and the coordination team's contact. */
  private unknown(lang: Lang, candidates: Candidate[]): Reply {
    const c = this.deps.faq.contact;
    const close = closeTopics(candidates);
    const lines = [this.deps.t(lang, 'common:unknown')];
    if (close.length) lines.push(`${this.deps.t(lang, 'common:unknown_choices')} ${close.map((id) => this.answers.title(id, lang)).join(' · ')}`);
    lines.push(this.deps.t(lang, 'common:contact_line', { email: c.email, phone: c.phone }));
    return { lang, text: lines.join('\n\n'), actions: (close.length ? close : MENU).map((id) => this.topicAction(id, lang)) };
  }
}

/** The state of a user the bot has not talked with yet. */
function emptyConversation(key: string): Conversation {
  return { version: CONVERSATION_VERSION, key, lang: {}, applications: [], updatedAt: '' };
}

/** The topics close enough to a question to offer when the bot does not answer it (three at most). */
function closeTopics(candidates: Candidate[]): string[] {
  return candidates.filter((x) => x.score > 0.1).slice(0, 3).map((x) => x.id);
}
