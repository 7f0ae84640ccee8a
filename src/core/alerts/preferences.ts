import type { Translate } from '../../i18n/index.ts';
import type { Conversation } from '../records.ts';
import { INTAKE_ACTIONS } from '../actions.ts';
import { phaseAt, startOf } from '../calls/engine.ts';
import { formatDay } from '../calls/format.ts';
import type { Call } from '../calls/schema.ts';
import type { Clock } from '../clock.ts';
import { type Lang, sentences } from '../lang.ts';
import type { Action, Reply } from '../reply.ts';
import type { Handler } from '../router/context.ts';
import { WordLists } from '../word-lists.ts';
import { ALERT_ACTIONS, type AlertText } from './text.ts';

/** Typed commands of the alerts, in every language (locales/<lng>/alerts.json `commands`). */
const ALERT_WORDS = ['subscribe', 'stop', 'alerts'] as const;
type AlertWord = (typeof ALERT_WORDS)[number];

/**
 * A person's alert settings: "tell me when the next call opens" (subscribe), "stop alerts", and "alerts"
 * to see what they will get. Mutates the conversation it is given; the caller saves it.
 */
export class AlertPreferences {
  private readonly words: WordLists<AlertWord>;

  constructor(private readonly deps: { t: Translate; clock: Clock; calls: readonly Call[]; text: AlertText }) {
    this.words = new WordLists(deps.t, 'alerts', ALERT_WORDS);
  }

  /** The alerts' handler: their buttons and typed commands. */
  readonly handle: Handler = ({ action, command, conversation, lang, zone }) =>
    action ? this.onAction(conversation, action.id, lang, zone) : this.onText(conversation, command ?? '', lang, zone);

  /** A typed alerts command (`command`: the text through normalizeCommand); undefined when the text is not one. */
  onText(conv: Conversation, command: string, lang: Lang, zone?: string): Reply[] | undefined {
    if (this.words.has('subscribe', command)) return this.subscribe(conv, lang, zone);
    if (this.words.has('stop', command)) return this.stop(conv, lang);
    if (this.words.has('alerts', command)) return [this.settings(conv, lang)];
    return undefined;
  }

  /** The alerts' buttons; undefined for other actions. */
  onAction(conv: Conversation, id: string, lang: Lang, zone?: string): Reply[] | undefined {
    if (id === ALERT_ACTIONS.subscribe) return this.subscribe(conv, lang, zone);
    if (id === ALERT_ACTIONS.stop) return this.stop(conv, lang);
    return undefined;
  }

  /** True when the text is the word "alerts" in some language (coordinators get the schedule instead). */
  isAlertsWord(text: string): boolean {
    return this.words.is('alerts', text);
  }

  private subscribe(conv: Conversation, lang: Lang, zone?: string): Reply[] {
    const now = this.deps.clock.now();
    conv.alerts = { nextCall: now.toISOString() };
    const t = (key: string, vars?: Record<string, unknown>) => this.deps.t(lang, key, vars);
    const next = this.deps.calls.find((c) => startOf(c.cityWindow.opens, c.timeZone).getTime() > now.getTime());
    const info = phaseAt(this.deps.calls, now);
    if (info.phase === 'open') {
      const deadline = this.deps.text.deadline(info.call.cityWindow.closes, info.call, zone, lang);
      return [
        {
          lang,
          text: t('alerts:subscribed_open', { deadline }),
          actions: [this.deps.text.action(lang, INTAKE_ACTIONS.start, 'start', 'primary')],
        },
      ];
    }
    if (next)
      return [{ lang, text: t('alerts:subscribed_upcoming', { date: formatDay(next.cityWindow.opens, lang) }) }];
    return [{ lang, text: t('alerts:subscribed') }];
  }

  private stop(conv: Conversation, lang: Lang): Reply[] {
    conv.alerts = { off: true };
    return [
      {
        lang,
        text: this.deps.t(lang, 'alerts:stopped'),
        actions: [this.deps.text.action(lang, ALERT_ACTIONS.subscribe, 'subscribe')],
      },
    ];
  }

  /** What this person gets, with buttons to change it. */
  settings(conv: Conversation, lang: Lang): Reply {
    const t = (key: string) => this.deps.t(lang, key);
    if (conv.alerts?.off)
      return {
        lang,
        text: t('alerts:settings_off'),
        actions: [this.deps.text.action(lang, ALERT_ACTIONS.subscribe, 'subscribe')],
      };
    const lines = [t('alerts:settings_on')];
    const actions: Action[] = [];
    if (conv.alerts?.nextCall) lines.push(t('alerts:settings_next_call'));
    else actions.push(this.deps.text.action(lang, ALERT_ACTIONS.subscribe, 'subscribe'));
    actions.push(this.deps.text.action(lang, ALERT_ACTIONS.stop, 'stop'));
    return { lang, text: sentences(lang, lines), actions };
  }
}
