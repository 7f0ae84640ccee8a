import { z } from 'zod';
import type { Lang } from './lang.ts';

const ActionValue = z.object({ id: z.string(), label: z.string(), value: z.string().optional() }).passthrough();
/** A reply as it is stored until delivered (the outbox, the web chat's kept notices): its shape, checked. */
export const ReplyValue = z
  .object({ lang: z.string(), text: z.string(), actions: z.array(ActionValue).optional() })
  .passthrough();

/** A button the user can press; `id` is a stable action id shared by card builders and handlers. */
export interface Action {
  id: string;
  label: string;
  value?: string;
  style?: 'primary' | 'danger';
  /** A choice already picked in a question with several answers (channels mark it their way). */
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
  | 'text'
  | 'choice'
  | 'email'
  | 'url'
  | 'phone'
  | 'number'
  | 'year'
  | 'rating'
  | 'country'
  | 'confirm'
  | 'date';

/** One answer a question offers: `value` goes back as the action's value, `label` is what the person reads. */
export interface Choice {
  value: string;
  label: string;
  /** Already picked (a question with several answers). */
  selected?: boolean;
}

/**
 * What the bot waits for. A question with choices says how a pick comes back: a press sends
 * `{ id: choose, value }`; for several answers, each press toggles one and `done` ends the pick, or a channel
 * with a multi-select input sends the whole selection at once as `{ id: choose, values }`.
 */
export interface Question {
  field: string;
  kind: ExpectKind;
  choices?: Choice[];
  /** The action id a pick is sent with (when there are choices). */
  choose?: string;
  multiple?: boolean;
  /** Ends the pick of a question with several answers. */
  done?: Action;
}

/** One outbound message in neutral form; renderers turn it into Block Kit, Adaptive Cards or terminal text. */
export interface Reply {
  text: string;
  lang: Lang;
  /** Buttons besides the question's choices (skip, back, submit, topics…). */
  actions?: Action[];
  card?: Card;
  expects?: Question;
  /**
   * The message asks something once (a question of the form, the review, a confirmation): after a press its
   * buttons are spent, and channels that can redraw a message show it without them.
   */
  oneShot?: boolean;
  /** The FAQ entry this message answers (machine-readable: `gnlc chat --json`, evaluations). */
  faqId?: string;
  /**
   * Why the bot did not answer a question: it is not about the GNLC (`off-topic`), the sources do not say
   * (`unknown`), or it could be about several topics (`unclear`).
   */
  scope?: 'off-topic' | 'unknown' | 'unclear';
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

/**
 * Every button of a reply, in order, for channels that show choices as buttons: the question's choices, the
 * button that ends a multiple pick, then the other actions.
 */
export function buttons(reply: Pick<Reply, 'actions' | 'expects'>): Action[] {
  const q = reply.expects;
  const picks: Action[] = q?.choose
    ? (q.choices ?? []).map((c) => ({
        id: q.choose!,
        label: c.label,
        value: c.value,
        ...(c.selected ? { selected: true } : {}),
      }))
    : [];
  return [...picks, ...(q?.done ? [q.done] : []), ...(reply.actions ?? [])];
}

export { FAQ_ACTIONS } from './actions.ts';
