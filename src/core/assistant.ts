import type { Translate } from '../i18n/index.ts';
import { KeyedQueue } from '../lib/keyed-queue.ts';
import { Deliveries } from './deliveries.ts';
import { AlertPreferences } from './alerts/preferences.ts';
import { AlertService, PLAN_DAYS } from './alerts/service.ts';
import { ALERT_ACTIONS, AlertText } from './alerts/text.ts';
import { IntakeDialog } from './application/intake.ts';
import type { Call } from './calls/schema.ts';
import { DEFAULT_ZONE, type Clock } from './clock.ts';
import { CommandWords } from './commands.ts';
import { AdminCommands } from './endorsement/admin.ts';
import { EndorsementDesk } from './endorsement/desk.ts';
import type { Routing } from './endorsement/routing.ts';
import { AnswerRenderer } from './faq/answer.ts';
import { faqHandler, helpAndGreeting, readText } from './faq/handler.ts';
import { FaqMatcher } from './faq/matcher.ts';
import { words as textWords } from './faq/text.ts';
import { memoLast } from '../lib/memo.ts';
import { FaqReplies } from './faq/replies.ts';
import type { Faq } from './faq/schema.ts';
import { languageOf, LANGS, type Lang } from './lang.ts';
import type { Outbox } from './notifier.ts';
import { PrivacyDesk } from './privacy/desk.ts';
import { CONVERSATION_VERSION, type Conversation, type Store } from './records.ts';
import type { Reply } from './reply.ts';
import { firstMessageLanguage, type Handler, type TurnContext } from './router/context.ts';
import { guards } from './router/guards.ts';
import { languageSwitch } from './router/language.ts';
import { StoreError, StoreReadError, StoreWriteError } from './store-errors.ts';
import { isTimeZone } from './time-zone.ts';
import { userKey, wellFormed, type Turn } from './turn.ts';
import { normalizeCommand } from './word-lists.ts';
import { askOnce, type AskOptions, type AskResult } from './faq/ask.ts';

export { MAX_TEXT } from './router/guards.ts';
export type { AskOptions, AskResult } from './faq/ask.ts';

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

/**
 * The channel-neutral bot: takes a Turn, returns Replies. Each feature is a handler over one turn context; the
 * handlers run in the order of `handlers` below and the first that replies ends the turn. Turns of one person
 * are handled one at a time; their conversation is saved before the replies are returned.
 */
export class Assistant {
  readonly matcher: FaqMatcher;
  readonly answers: AnswerRenderer;
  readonly intake: IntakeDialog;
  readonly desk: EndorsementDesk;
  readonly admin: AdminCommands;
  /** Deadline alerts (the server's scheduler and `gnlc alerts` run them). */
  readonly alerts: AlertService;
  /** Messages to people not speaking now, at least once (the server runs its delivery passes). */
  readonly deliveries: Deliveries;
  private readonly faqReplies: FaqReplies;
  private readonly handlers: Handler[];
  private readonly queue = new KeyedQueue();

  constructor(private readonly deps: AssistantDeps) {
    const { t, clock, calls, store, routing, outbox, warn, faq } = deps;
    const contact = faq.contact;
    const words = new CommandWords(t);
    this.matcher = new FaqMatcher(faq, Object.fromEntries(LANGS.map((l) => [l, words.vocabulary(l)])));
    this.answers = new AnswerRenderer(faq, calls, t);
    let isCancel = (_text: string) => false;
    this.deliveries = new Deliveries({ store, outbox, clock, warn });
    this.desk = new EndorsementDesk({
      deliveries: this.deliveries,
      t,
      clock,
      calls,
      store,
      routing,
      outbox,
      warn,
      contact,
      isCancel: (text) => isCancel(text),
    });
    const alertText = new AlertText(t, this.desk);
    this.alerts = new AlertService({ clock, calls, store, routing, outbox, desk: this.desk, text: alertText, warn });
    const prefs = new AlertPreferences({ t, clock, calls, text: alertText });
    const privacy = new PrivacyDesk({ t, clock, store, contact });
    const unknown = faq.notInSources;
    this.faqReplies = new FaqReplies({ t, clock, answers: this.answers, contact, alertText, unknown });
    const plan = async (lang: Lang) => {
      const zone = routing.coordinatorsZone() ?? DEFAULT_ZONE;
      return alertText.plan(await this.alerts.plan(), lang, zone, PLAN_DAYS);
    };
    this.admin = new AdminCommands({
      t,
      clock,
      calls,
      store,
      routing,
      desk: this.desk,
      alerts: { isWord: (text) => prefs.isAlertsWord(text), plan },
    });
    this.intake = new IntakeDialog({
      t,
      clock,
      calls,
      store,
      contact,
      desk: this.desk,
      faq: (text, lang, turn) =>
        this.faqReplies.inForm(this.lastMatch(text, lang), text, lang, words.isQuestion(text), turn.user.timeZone),
      callDates: (lang) => this.answers.callSummary(lang, clock.now()),
      isQuestion: (text) => words.isQuestion(text),
      // Two to twelve words: a long answer (a motivation) is not read again for a status question.
      asksStatus: (text, lang) => {
        const n = textWords(text, lang).length;
        return n > 1 && n <= 12 && Boolean(this.lastMatch(text, lang).status);
      },
      isGreeting: (text) => words.isGreeting(text),
      greeting: (lang) => this.faqReplies.greeting(lang),
      afterGreeting: (text) => words.afterGreeting(text),
      isThanks: (text) => words.isThanks(text),
      thanks: (lang, text) => (words.isOkay(text) ? [] : [this.faqReplies.thanks(lang)]),
      subscribeAction: (lang) => alertText.action(lang, ALERT_ACTIONS.subscribe, 'subscribe'),
    });
    const [intake, replies] = [this.intake, this.faqReplies];
    isCancel = (text) => intake.words.is('cancel', text);
    // The order matters: a reason owed by an endorser comes before any command, the form before the FAQ.
    this.handlers = [
      guards({ t, replies }),
      languageSwitch({ t, words, resume: (conv, lang) => intake.resume(conv, lang) }),
      this.desk.handle,
      ({ turn, text, lang, action }) => (action ? undefined : this.admin.onText(turn, text ?? '', lang)),
      prefs.handle,
      privacy.handle,
      intake.handle,
      (ctx) => intake.commands(ctx, replies.takeOffer(ctx.conversation.key)),
      readText(this.matcher, (text) => intake.words.neutral(text) || words.isHelp(text)),
      intake.statusInWords,
      helpAndGreeting({ replies, words, yesOrNo: (text) => intake.words.yesOrNo(text) }),
      intake.apply,
      faqHandler({
        replies,
        answers: this.answers,
        matcher: this.matcher,
        words,
        endorser: (turn) => routing.endorsesAny(turn),
      }),
    ];
  }

  /** The match of a text, kept for the next call with the same one (the form asks "status?" then "FAQ?"). */
  private lastMatch = memoLast((text: string, lang: Lang) => this.matcher.match(text, lang));

  /** Resolves once every turn under way has finished and saved its state (graceful shutdown). */
  drain(): Promise<void> {
    return this.queue.idle();
  }

  /**
   * Builds every language's FAQ indexes, one language per turn of the event loop: a server calls it once it
   * listens, so that no person's first question in a language waits for its index (`gnlc ask` builds only one).
   */
  async warm(): Promise<void> {
    for (const lang of LANGS) {
      await new Promise((resolve) => setImmediate(resolve));
      this.matcher.warm(lang);
    }
  }

  /** Answers one question (no conversation state): the `gnlc ask` command. */
  ask(text: string, opts: AskOptions = {}): AskResult {
    const deps = { matcher: this.matcher, answers: this.answers, replies: this.faqReplies };
    return askOnce(deps, text, { ...opts, now: opts.now ?? this.deps.clock.now() });
  }

  /** Handles one turn of a conversation; the user's state is on disk before the replies are returned. */
  handle(inbound: Turn): Promise<Reply[]> {
    const turn = wellFormed(inbound);
    const key = userKey(turn);
    return this.queue.run(key, async () => {
      let conv: Conversation | undefined;
      try {
        // One turn of a person at a time also across processes sharing the store; its writes all or none.
        return await this.deps.store.exclusive(key, async () => {
          const stored = await this.deps.store.conversations.get(key);
          conv = stored ?? emptyConversation(key);
          const before = JSON.stringify(conv);
          const ctx = this.context(turn, conv, stored !== undefined);
          const replies = await this.route(ctx);
          if (!ctx.erased && JSON.stringify(conv) !== before) {
            // Alerts are timed on the person's clock: the zone their platform last told is kept with what they saved.
            if (isTimeZone(turn.user.timeZone)) conv.timeZone = turn.user.timeZone;
            conv.updatedAt = this.deps.clock.now().toISOString();
            await this.deps.store.conversations.save(conv);
          }
          return replies;
        });
      } catch (err) {
        if (!(err instanceof StoreError)) throw err;
        return [this.storeFailed(err, languageOf(conv, turn.user.locale), turn)];
      }
    });
  }

  private context(turn: Turn, conversation: Conversation, stored: boolean): TurnContext {
    const written = firstMessageLanguage(stored, turn.text, (x) => this.matcher.detect(x));
    const ctx: TurnContext = {
      turn,
      conversation,
      stored,
      lang: languageOf(conversation, turn.user.locale, written),
      zone: isTimeZone(turn.user.timeZone) ? turn.user.timeZone : conversation.timeZone,
    };
    if (turn.action) ctx.action = turn.action;
    else {
      ctx.text = (turn.text ?? '').trim();
      // The alerts' and personal-data commands are whole texts: normalized once for both.
      ctx.command = normalizeCommand(ctx.text);
    }
    return ctx;
  }

  /** The first handler's replies (the FAQ handler, last, always replies). */
  private async route(ctx: TurnContext): Promise<Reply[]> {
    for (const handler of this.handlers) {
      const replies = await handler(ctx);
      if (replies) return replies;
    }
    throw new Error('no handler replied');
  }

  /**
   * A turn the store could not serve (a record it cannot read, or one it refused to write): nothing of the
   * turn is saved, the person is told so in their language, and the log names the record, never its content.
   */
  private storeFailed(err: StoreError, lang: Lang, turn: Turn): Reply {
    const problems = err instanceof StoreReadError ? err.problems : err instanceof StoreWriteError ? [err.problem] : [];
    const where = { code: err.code, problems, platform: turn.platform, user: turn.user.id };
    (this.deps.error ?? this.deps.warn)?.(where, 'turn failed: the store could not serve it; nothing of it was saved');
    const { email, phone } = this.deps.faq.contact;
    const contact = this.deps.t(lang, 'common:contact_line', { email, phone });
    return { lang, text: `${this.deps.t(lang, `common:${err.code}`)}\n\n${contact}` };
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
    return this.faqReplies.greeting(lang);
  }

  /**
   * The first message of a chat that starts (the terminal, a restart): the welcome in the person's last language,
   * and the draft they have in progress, if any, with "continue".
   */
  async welcome(turn: Pick<Turn, 'platform' | 'user'>): Promise<Reply[]> {
    const conv = await this.deps.store.conversations.get(userKey(turn)).catch(() => undefined);
    const lang = languageOf(conv, turn.user.locale);
    const draft = conv?.intake ? [this.intake.replies.draftInProgress(conv.intake, lang)] : [];
    return [this.greeting(lang), ...draft];
  }

  /** What a user has, changing nothing: the welcome with the topics, the draft and applications (App Home). */
  async overview(turn: Turn): Promise<Reply[]> {
    const conv = await this.deps.store.conversations.get(userKey(turn));
    const lang = languageOf(conv, turn.user.locale);
    return [this.greeting(lang), await this.intake.status(conv ?? emptyConversation(userKey(turn)), lang)];
  }
}

/** The state of a user the bot has not talked with yet. */
function emptyConversation(key: string): Conversation {
  return { version: CONVERSATION_VERSION, key, lang: {}, applications: [], updatedAt: '' };
}
