/**
 * The bookkeeping of one-shot cards: the Replies behind the cards sent, how often the core replaced each, and
 * the presses already taken, so that a second press is dropped and a pressed card redrawn without its buttons.
 */
import type { Activity } from 'botbuilder';
import { LRUCache } from 'lru-cache';
import { buttons, type Reply } from '../../core/reply.ts';
import type { Logger } from '../../log.ts';
import { baseConversationId, userId, type CardData } from './activity.ts';
import { chosenLabel, isOneShot } from './cards.ts';

/** The outcome of the one-shot guard for a press (see OneShotCards.claim). */
export interface Claim {
  /** A second press of a card already pressed: dropped. */
  repeat: boolean;
  /** `<conversation>|<card activity id>` of a card this process sent. */
  key?: string;
  /** The entry of the press in the guard (per card, and per person for a tracked card). */
  guard?: string;
  /** The Reply the card was rendered from. */
  card?: Reply;
  /** The label of what was chosen. */
  chosen?: string;
  /** How often the core had replaced the card when it was pressed. */
  replaced?: number;
}

/** `<conversation>|<card activity id>`: a card's key, the conversation without its thread. */
export function cardKey(conversationId: string | undefined, id: string): string {
  return `${baseConversationId(conversationId ?? '')}|${id}`;
}

export class OneShotCards {
  /** The Replies behind recently sent one-shot cards, so a pressed card can be redrawn without its buttons. */
  private readonly sent = new LRUCache<string, Reply>({ max: 20_000 });
  /** Card activities whose one-shot buttons were already pressed (a double click, a retried submit). */
  private readonly pressed = new LRUCache<string, true>({ max: 100_000, ttl: 7 * 24 * 3_600_000 });
  /**
   * Cards the core replaced (Notifier.update → replace): how often (did a press lead to a redraw?) and how
   * often with buttons drawn anew (new buttons are pressable again).
   */
  private readonly replaced = new LRUCache<string, { times: number; buttons: number }>({ max: 20_000 });

  constructor(private readonly log: Logger) {}

  /** A card sent (its key: cardKey): remembered when its buttons are one-shot. */
  sentCard(key: string, reply: Reply): void {
    if (isOneShot(reply)) this.sent.set(key, reply);
  }

  /** A card the core replaced with `reply`: presses on it are then judged by the new card. */
  replacedCard(key: string, reply: Reply): void {
    const before = this.replaced.get(key) ?? { times: 0, buttons: 0 };
    this.replaced.set(key, { times: before.times + 1, buttons: before.buttons + (buttons(reply).length ? 1 : 0) });
    if (isOneShot(reply)) this.sent.set(key, reply);
    else this.sent.delete(key);
  }

  /**
   * The one-shot guard of a pressed card (`replyToId`): a repeat press is refused; the first press gets the
   * card's Reply and the label of what was chosen, to redraw it. A card the core tracks (an application
   * before a commission) is guarded per person: one person's double click is dropped, while another
   * member's press still reaches the core, which tells them who decided first.
   */
  claim(a: Partial<Activity>, data: CardData): Claim {
    if (!a.replyToId) return { repeat: false };
    const key = cardKey(a.conversation?.id, a.replyToId);
    const card = this.sent.get(key);
    if (!card) return { repeat: false };
    const chosen = chosenLabel(card, data);
    const { times, buttons } = this.replaced.get(key) ?? { times: 0, buttons: 0 };
    const guard = `${key}#${buttons}${card.tracked ? `|${userId(a)}` : ''}`;
    if (this.pressed.has(guard)) {
      this.log.debug({ card: a.replyToId }, 'teams: second press on a one-shot card ignored');
      return { repeat: true, key, card, chosen };
    }
    this.pressed.set(guard, true);
    return { repeat: false, key, guard, card, chosen, replaced: times };
  }

  /**
   * After a press on a tracked card: when the core did not replace the card meanwhile (it refused the press
   * or failed), the person may press again (and be told again, or succeed this time). A press that led to
   * the core's update keeps its guard: that person's second press is dropped.
   */
  settle(claim: Claim): void {
    if (claim.repeat || !claim.key || !claim.guard || !claim.card?.tracked) return;
    if ((this.replaced.get(claim.key)?.times ?? 0) === claim.replaced) this.pressed.delete(claim.guard);
  }
}
