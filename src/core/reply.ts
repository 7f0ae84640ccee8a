import type { Lang } from './lang.ts';

/** A button the user can press; `id` is a stable action id shared by card builders and handlers. */
export interface Action {
  id: string;
  label: string;
  value?: string;
  style?: 'primary' | 'danger';
  /** A choice already picked in a question with several answers (the label also starts with "✓ "). */
  selected?: boolean;
  /**
   * A destructive action: channels that have native confirmation dialogs (Slack) show this one and
   * send the action with `confirmed: true`; others send it plain and the core asks yes/no itself.
   */
  confirm?: { title: string; text: string; yes: string; no: string };
}

/** One label/value line of a card. */
export interface Fact {
  label: string;
  value: string;
}

/** A structured message (review summary, application card); channels render it natively. */
export interface Card {
  title: string;
  sections: { title?: string; facts: Fact[] }[];
}

/** The kind of value the bot waits for, so channels can offer the right input. */
export type ExpectKind =
  | 'text' | 'choice' | 'email' | 'url' | 'phone' | 'number' | 'year' | 'rating' | 'country' | 'confirm';

/** One outbound message in neutral form; renderers turn it into Block Kit, Adaptive Cards or terminal text. */
export interface Reply {
  text: string;
  lang: Lang;
  actions?: Action[];
  card?: Card;
  expects?: { field: string; kind: ExpectKind };
  /** Plain-text notes shown in small print (sources, time zone). */
  context?: string[];
  /**
   * The core keeps this message up to date itself (Notifier.update: an application card whose decision
   * changes it); channels must not redraw it after a press, or their redraw could land after the core's.
   */
  tracked?: boolean;
  /** Files that go with the message (an export): channels attach them or show them as preformatted text. */
  files?: { name: string; mime: 'text/csv' | 'application/json'; content: string }[];
}

export { FAQ_ACTIONS } from './actions.ts';
