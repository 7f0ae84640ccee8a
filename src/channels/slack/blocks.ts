import type {
  ActionsBlock,
  Button,
  ContextBlock,
  KnownBlock,
  PlainTextOption,
  SectionBlock,
  StaticSelect,
} from '@slack/types';
import type { Translate } from '../../i18n/index.ts';
import { buttons, type Action, type Reply } from '../../core/reply.ts';
import { escapeMrkdwn } from './mrkdwn.ts';
import { FENCE, fenceSafe, splitPreformatted, splitText } from './split.ts';

export { splitPreformatted, splitText } from './split.ts';

/** Block Kit limits this renderer respects (Slack's documented maxima). */
export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  contextElements: 10,
  headerText: 150,
  buttonLabel: 75,
  buttonValue: 2000,
  actionId: 255,
  optionText: 75,
  optionValue: 150,
  optionsPerSelect: 100,
  /** The guideline this app follows for choices shown as buttons; more become a select menu. */
  buttonsPerBlock: 5,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
} as const;

/** Sections of text per message, so the `text` fallback stays far below Slack's 40,000 characters. */
const SECTIONS_PER_MESSAGE = 10;

/**
 * The block_id prefix of the buttons of a tracked reply (Reply.tracked): the core redraws that message
 * itself (Notifier.update), so a press on it must not be answered by the channel's own redraw.
 */
export const TRACKED_BLOCK = 'gnlc:tracked:';

/** One chat.postMessage payload: `text` is the notification and screen-reader fallback of the blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/**
 * Every button and select carries `gnlc:<core action id>:<n>[:c]`: the core id, a counter that keeps
 * action ids unique in a message, and `c` when Slack showed a confirmation dialog before sending it.
 */
export function actionIdFor(id: string, n: number, confirmed: boolean): string {
  return `gnlc:${id}:${n}${confirmed ? ':c' : ''}`;
}

/** The core action behind a Slack action id, or undefined for ids this app did not make. */
export function parseActionId(actionId: string): { id: string; confirmed: boolean } | undefined {
  const m = /^gnlc:([^:]+):\d+(:c)?$/.exec(actionId);
  return m ? { id: m[1]!, confirmed: Boolean(m[2]) } : undefined;
}

/** Cuts `s` to `max` characters with a visible ellipsis (labels only: message text is split, never cut). */
function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Renders neutral Replies to Block Kit messages, splitting whatever exceeds Slack's limits. */
export class BlockRenderer {
  constructor(private readonly t: Translate) {}

  /** All messages for a list of replies, in order. */
  messages(replies: Reply[]): SlackMessage[] {
    return replies.flatMap((r) => this.message(r));
  }

  /** One reply as one or more messages (more only when it exceeds a message's limits); buttons come last. */
  message(reply: Reply): SlackMessage[] {
    const { blocks, sections } = this.replyBlocks(reply, 0);
    const out: SlackMessage[] = [];
    let current: KnownBlock[] = [];
    let sectionCount = 0;
    for (const block of blocks) {
      const isText = sections.has(block);
      if (current.length >= LIMITS.blocksPerMessage || (isText && sectionCount >= SECTIONS_PER_MESSAGE)) {
        out.push(withFallback(current, reply.card?.title));
        current = [];
        sectionCount = 0;
      }
      current.push(block);
      if (isText) sectionCount++;
    }
    if (current.length) out.push(withFallback(current, reply.card?.title));
    return out;
  }

  /** Blocks for an App Home view (up to 100 blocks, no fallback text), replies separated by dividers. */
  view(replies: Reply[]): KnownBlock[] {
    let n = 0;
    const blocks: KnownBlock[] = [];
    for (const r of replies) {
      if (blocks.length) blocks.push({ type: 'divider' });
      blocks.push(...this.replyBlocks(r, n).blocks);
      n += buttons(r).length;
    }
    return blocks.slice(0, LIMITS.blocksPerView);
  }

  /**
   * A reply's blocks in order: its text as sections, the card, the files, small print, then the buttons
   * (numbered from `n`). `sections` are the long-text sections, at most SECTIONS_PER_MESSAGE per message.
   */
  private replyBlocks(reply: Reply, n: number): { blocks: KnownBlock[]; sections: Set<KnownBlock> } {
    const sections = splitText(escapeMrkdwn(reply.text), LIMITS.sectionText).map((chunk) => section(chunk));
    const files = (reply.files ?? []).flatMap((f) => fileSections(f.name, f.content));
    const actions = this.actions(buttons(reply), n, reply);
    // Numbered from `n` like the action ids, so two tracked replies in one App Home view never share a block_id.
    if (reply.tracked) {
      for (const [i, b] of actions.entries()) b.block_id = `${TRACKED_BLOCK}${n + i}`;
    }
    const blocks: KnownBlock[] = [
      ...sections,
      ...(reply.card ? this.card(reply.card) : []),
      ...files,
      ...(reply.context?.length ? contextBlocks(reply.context) : []),
      ...actions,
    ];
    return { blocks, sections: new Set([...sections, ...files]) };
  }

  private card(card: NonNullable<Reply['card']>): KnownBlock[] {
    const blocks: KnownBlock[] = [
      { type: 'header', text: { type: 'plain_text', text: clip(card.title, LIMITS.headerText), emoji: true } },
    ];
    for (const s of card.sections) {
      if (s.title) blocks.push(section(`*${escapeMrkdwn(s.title)}*`));
      let fields: string[] = [];
      const flush = () => {
        if (fields.length) blocks.push({ type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) });
        fields = [];
      };
      for (const f of s.facts) {
        const text = `*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`;
        if (text.length > LIMITS.fieldText) {
          // A long answer (motivation, implementation) does not fit a field: full-width sections instead.
          flush();
          blocks.push(...splitText(text, LIMITS.sectionText).map((c) => section(c)));
          continue;
        }
        fields.push(text);
        if (fields.length === LIMITS.fieldsPerSection) flush();
      }
      flush();
    }
    return blocks;
  }

  /**
   * Buttons, at most five per actions block. A group of more than five choices with the same action
   * (topics, answer options) becomes a select menu instead, with at most 100 options each.
   */
  private actions(all: Action[], start: number, reply: Reply): ActionsBlock[] {
    let n = start;
    const groups = new Map<string, Action[]>();
    for (const a of all) groups.set(a.id, [...(groups.get(a.id) ?? []), a]);
    const elements: (Button | StaticSelect)[] = [];
    const selects: StaticSelect[] = [];
    for (const [id, group] of groups) {
      if (group.length > LIMITS.buttonsPerBlock) {
        for (let i = 0; i < group.length; i += LIMITS.optionsPerSelect) {
          selects.push(this.select(id, group.slice(i, i + LIMITS.optionsPerSelect), n++, reply));
        }
      } else for (const a of group) elements.push(button(a, n++));
    }
    const blocks: ActionsBlock[] = selects.map((s) => ({ type: 'actions', elements: [s] }));
    for (let i = 0; i < elements.length; i += LIMITS.buttonsPerBlock) {
      blocks.push({ type: 'actions', elements: elements.slice(i, i + LIMITS.buttonsPerBlock) });
    }
    return blocks;
  }

  private select(id: string, group: Action[], n: number, reply: Reply): StaticSelect {
    const options: PlainTextOption[] = group.map((a) => ({
      text: { type: 'plain_text', text: clip(shownLabel(a), LIMITS.optionText), emoji: true },
      value: checked(a.value ?? a.id, LIMITS.optionValue),
    }));
    return {
      type: 'static_select',
      action_id: actionIdFor(id, n, false),
      placeholder: {
        type: 'plain_text',
        text: clip(this.t(reply.lang, 'slack:choose'), LIMITS.optionText),
        emoji: true,
      },
      options,
    };
  }
}

function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/**
 * A file shown as text (a real upload would need the files:write scope): its name in bold, then its
 * content as preformatted mrkdwn in as many sections as it takes. Nothing is cut: the content is split
 * at line ends (or, for a line too long for one section, anywhere but inside an entity or a surrogate
 * pair), and the pieces, with their fences removed and entities undone, join back to the content.
 * The name goes with the first piece, so the two never land in different messages.
 */
function fileSections(name: string, content: string): SectionBlock[] {
  const title = `📄 *${escapeMrkdwn(clip(name, LIMITS.headerText))}*`;
  if (!content) return [section(title)];
  const pieces = splitPreformatted(
    escapeMrkdwn(fenceSafe(content)),
    (i) => LIMITS.sectionText - FENCE.length - (i === 0 ? title.length + 1 : 0),
  );
  return pieces.map((p, i) => section(`${i === 0 ? `${title}\n` : ''}${FENCE.open}${p}${FENCE.close}`));
}

function contextBlocks(notes: string[]): ContextBlock[] {
  const elements = notes
    .flatMap((n) => splitText(escapeMrkdwn(n), LIMITS.fieldText))
    .map((text) => ({ type: 'mrkdwn' as const, text }));
  const blocks: ContextBlock[] = [];
  for (let i = 0; i < elements.length; i += LIMITS.contextElements)
    blocks.push({ type: 'context', elements: elements.slice(i, i + LIMITS.contextElements) });
  return blocks;
}

/** A choice already picked (a question with several answers) is ticked. */
const shownLabel = (a: Action) => (a.selected ? `✓ ${a.label}` : a.label);

function button(a: Action, n: number): Button {
  const b: Button = {
    type: 'button',
    action_id: actionIdFor(a.id, n, Boolean(a.confirm)),
    text: { type: 'plain_text', text: clip(shownLabel(a), LIMITS.buttonLabel), emoji: true },
    value: checked(a.value ?? a.id, LIMITS.buttonValue),
  };
  if (a.style) b.style = a.style;
  if (a.confirm) {
    b.confirm = {
      title: { type: 'plain_text', text: clip(a.confirm.title, LIMITS.confirmTitle) },
      text: { type: 'plain_text', text: clip(a.confirm.text, LIMITS.confirmText) },
      confirm: { type: 'plain_text', text: clip(a.confirm.yes, LIMITS.confirmButton) },
      deny: { type: 'plain_text', text: clip(a.confirm.no, LIMITS.confirmButton) },
      ...(a.style === 'danger' ? { style: 'danger' as const } : {}),
    };
  }
  return b;
}

/** Action values come from the core (ids, codes); one that exceeds Slack's limit is a bug, not user input. */
function checked(value: string, max: number): string {
  if (value.length > max) throw new Error(`action value longer than ${max} characters: ${value.slice(0, 40)}…`);
  return value;
}

function withFallback(blocks: KnownBlock[], title?: string): SlackMessage {
  const texts = blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));
  return { text: texts.join('\n\n') || (title ? escapeMrkdwn(title) : '…'), blocks };
}

/**
 * The message after one of its buttons was pressed: every actions block is replaced by a note of what
 * was chosen, so the old buttons cannot be pressed twice.
 */
export function resolvedBlocks(blocks: KnownBlock[], chosen: string): KnownBlock[] {
  const out: KnownBlock[] = [];
  let noted = false;
  for (const b of blocks) {
    if (b.type !== 'actions') {
      out.push(b);
      continue;
    }
    if (!noted)
      out.push({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `✓ ${escapeMrkdwn(clip(chosen, LIMITS.fieldText - 2))}` }],
      });
    noted = true;
  }
  return out;
}
