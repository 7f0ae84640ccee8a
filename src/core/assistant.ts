import type { Translate } from '../i18n/index.ts';
import type { Clock } from './clock.ts';
import { CommandWords } from './commands.ts';
import { formatDay } from './calls/format.ts';
import type { Call } from './calls/schema.ts';
import type { CallFacts } from './calls/engine.ts';
import { AnswerRenderer } from './faq/answer.ts';
import { FaqMatcher, type Candidate } from './faq/matcher.ts';
import type { Faq } from './faq/schema.ts';
import { LANGS, negotiateLocale, type Lang } from './lang.ts';
import { FAQ_ACTIONS, type Action, type Reply } from './reply.ts';
import { userKey, type LanguagePreferences, type Turn } from './turn.ts';

/** What the core needs; built once by `createCore` and shared by every channel. */
export interface AssistantDeps {
  faq: Faq;
  calls: Call[];
  t: Translate;
  clock: Clock;
  prefs: LanguagePreferences;
}

/** One answer in machine-readable form (`gnlc ask --json`). */
export interface AskResult {
  faqId: string | null;
  lang: Lang;
  score: number;
  answer: string;
  facts?: CallFacts;
  candidates: Candidate[];
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

/** Topics offered on the menu, in this order. */
const MENU = ['eligibility', 'benefits', 'how-to-apply', 'deadline', 'application-form', 'contact'];

/**
 * The channel-neutral bot: takes a Turn, returns Replies. It answers FAQ questions in the language
 * they are written in, handles greetings, help and language switches, and never guesses below the
 * matcher's confidence threshold.
 */
export class Assistant {
  readonly matcher: FaqMatcher;
  readonly answers: AnswerRenderer;
  private readonly words: CommandWords;

  constructor(private readonly deps: AssistantDeps) {
    const commandWords = Object.fromEntries(
      LANGS.map((l) => [l, ['greeting', 'help', 'language'].flatMap((k) => deps.t(l, `common:commands.${k}`).split('|'))]),
    );
    this.matcher = new FaqMatcher(deps.faq, commandWords);
    this.answers = new AnswerRenderer(deps.faq, deps.calls, deps.t);
    this.words = new CommandWords(deps.t);
  }

  /** Answers one question (no conversation state): the `gnlc ask` command. */
  ask(text: string, opts: AskOptions = {}): AskResult {
    const now = opts.now ?? this.deps.clock.now();
    const match = this.matcher.match(text, negotiateLocale(opts.locale));
    const lang = opts.lang ?? match.textLang ?? negotiateLocale(opts.locale) ?? 'en';
    const entry = match.id ? this.answers.entry(match.id) : undefined;
    if (!entry) {
      return { faqId: null, lang, score: match.score, answer: this.unknown(lang, match.candidates).text, candidates: match.candidates };
    }
    const a = this.answers.render(entry, lang, { now, timeZone: opts.timeZone });
    return { faqId: entry.id, lang, score: match.score, answer: a.text, facts: a.facts, candidates: match.candidates };
  }

  /** Handles one turn of a conversation. */
  async handle(turn: Turn): Promise<Reply[]> {
    const key = userKey(turn);
    const pref = await this.deps.prefs.get(key);
    const locale = negotiateLocale(turn.user.locale);
    if (turn.action) return this.onAction(turn, pref?.chosen ?? pref?.last ?? locale ?? 'en');
    const text = (turn.text ?? '').trim();
    const fallback = pref?.chosen ?? pref?.last ?? locale ?? 'en';
    if (!text) return [this.menu(fallback, this.deps.t(fallback, 'common:empty'))];

    const langCmd = this.words.language(text);
    if (langCmd && typeof langCmd === 'string') {
      await this.deps.prefs.set(key, { chosen: langCmd, last: langCmd });
      return [{ lang: langCmd, text: this.deps.t(langCmd, 'common:language_set') }];
    }
    if (langCmd) {
      const list = LANGS.map((l) => new Intl.DisplayNames([fallback], { type: 'language' }).of(l)).join(', ');
      return [{ lang: fallback, text: this.deps.t(fallback, 'common:language_unknown', { value: langCmd.unknown, list }) }];
    }

    const match = this.matcher.match(text, pref?.last ?? locale);
    const lang = pref?.chosen ?? match.textLang ?? fallback;
    if (match.textLang) await this.deps.prefs.set(key, { ...pref, last: match.textLang });

    if (this.words.is('help', text)) return [this.menu(lang, this.deps.t(lang, 'common:help'))];
    if (!match.id && this.words.isGreeting(text)) return [this.greeting(lang)];
    const entry = match.id ? this.answers.entry(match.id) : undefined;
    if (entry) return [this.answerReply(entry.id, lang, turn)];
    return [this.unknown(lang, match.candidates)];
  }

  /** The language to greet a user in before they have written anything: their locale, else English. */
  languageFor(locale: string | undefined): Lang {
    return negotiateLocale(locale) ?? 'en';
  }

  /** The welcome message (with the simulated-clock notice when the clock is not real). */
  greeting(lang: Lang): Reply {
    const parts = [this.deps.t(lang, 'common:greeting')];
    if (this.deps.clock.simulated) {
      parts.push(this.deps.t(lang, 'common:simulated_clock', { date: formatDay(this.deps.clock.now().toISOString().slice(0, 10), lang) }));
    }
    return this.menu(lang, parts.join('\n\n'));
  }

  private onAction(turn: Turn, lang: Lang): Reply[] {
    const { id, value } = turn.action!;
    if (id === FAQ_ACTIONS.topic && value && this.answers.entry(value)) return [this.answerReply(value, lang, turn)];
    if (id === FAQ_ACTIONS.menu) return [this.menu(lang, this.deps.t(lang, 'common:menu_intro'))];
    return [this.menu(lang, this.deps.t(lang, 'common:stale_action'))];
  }

  private answerReply(id: string, lang: Lang, turn: Turn): Reply {
    const a = this.answers.render(this.answers.entry(id)!, lang, { now: this.deps.clock.now(), timeZone: turn.user.timeZone });
    return { lang, text: a.text, context: a.context };
  }

  private menu(lang: Lang, text: string): Reply {
    return { lang, text: `${text}\n\n${this.deps.t(lang, 'common:menu_intro')}`, actions: MENU.map((id) => this.topicAction(id, lang)) };
  }

  private topicAction(id: string, lang: Lang): Action {
    return { id: FAQ_ACTIONS.topic, label: this.answers.title(id, lang), value: id };
  }

  /** "I don't know" with the closest topics as choices and the coordination team's contact. */
  private unknown(lang: Lang, candidates: Candidate[]): Reply {
    const c = this.deps.faq.contact;
    const close = candidates.filter((x) => x.score > 0.1).slice(0, 3).map((x) => x.id);
    const lines = [this.deps.t(lang, 'common:unknown')];
    if (close.length) lines.push(`${this.deps.t(lang, 'common:unknown_choices')} ${close.map((id) => this.answers.title(id, lang)).join(' · ')}`);
    lines.push(this.deps.t(lang, 'common:contact_line', { email: c.email, phone: c.phone }));
    return { lang, text: lines.join('\n\n'), actions: (close.length ? close : MENU).map((id) => this.topicAction(id, lang)) };
  }
}
