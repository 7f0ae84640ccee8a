import type { Activity } from 'botbuilder';
import { buttons, type Action, type Reply } from '../../core/reply.ts';
import type { Translate } from '../../i18n/index.ts';
import type { CardData } from './activity.ts';
import { MAX_ACTIVITY_BYTES, activitySize, fileBox, fileHeading, packFiles, type FilePart } from './file-parts.ts';

export { activitySize, LINE_CONTINUED, MAX_ACTIVITY_BYTES } from './file-parts.ts';

/** MIME type of an Adaptive Card attachment. */
export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** Teams renders Adaptive Cards up to 1.5 in chats and channels. */
export const CARD_VERSION = '1.5';
/** Teams shows at most six actions in one action set; longer lists are split or become a choice input. */
const MAX_ACTIONS = 6;
/** Id of the choice input: its value merges into the submit data as `value`, the same shape as a button's data. */
const INPUT_ID = 'value';

type Json = Record<string, unknown>;

/** A rendered Adaptive Card (plain JSON, as sent in the attachment). */
export type AdaptiveCard = Json & { type: 'AdaptiveCard'; body: Json[]; actions?: Json[] };

/**
 * One-shot cards ask something of the form (a question, the review, a confirmation): once one of their buttons
 * was pressed they are refreshed without buttons, and a second press is ignored. Menus stay pressable.
 */
export function isOneShot(reply: Reply): boolean {
  return Boolean(reply.oneShot || reply.tracked || reply.expects || reply.card);
}

/** Plain lines as TextBlocks: a blank line starts a paragraph, every line wraps. */
function textBlocks(text: string, extra: Json = {}): Json[] {
  const out: Json[] = [];
  text.split(/\n{2,}/).forEach((para, p) => {
    para
      .split('\n')
      .filter((l) => l.trim())
      .forEach((line, i) => {
        out.push({
          type: 'TextBlock',
          text: line,
          wrap: true,
          ...(p > 0 && i === 0 ? { spacing: 'Medium' } : {}),
          ...extra,
        });
      });
  });
  return out;
}

function submit(a: Action, data: Json = {}): Json {
  const style = a.style === 'primary' ? 'positive' : a.style === 'danger' ? 'destructive' : undefined;
  return {
    type: 'Action.Submit',
    title: a.label,
    data: { action: a.id, ...(a.value !== undefined ? { value: a.value } : {}), ...data },
    ...(style ? { style } : {}),
  };
}

/**
 * Where a card is the natural way to answer, the question's choices become one input: ratings and
 * multi-choice questions as radio buttons / check boxes, a long list of choices as radio buttons, and any
 * long list of same-id buttons (more than Teams shows) as a drop-down. Returns the input, its submit action,
 * and the buttons left over.
 */
function inputFor(reply: Reply, t: Translate): { input: Json; send: Json; rest: Action[] } | undefined {
  const q = reply.expects;
  const choices = q?.choose ? (q.choices ?? []) : [];
  const common = {
    type: 'Input.ChoiceSet',
    id: INPUT_ID,
    label: t(reply.lang, 'teams:choice_label'),
    isRequired: true,
    errorMessage: t(reply.lang, 'teams:choice_required'),
  };
  const sendButton = (id: string, extra: Json = {}) =>
    submit({ id, label: t(reply.lang, 'teams:send'), style: 'primary' }, extra);
  const several = Boolean(q?.multiple && q.done);
  if (
    q?.choose &&
    choices.length > 1 &&
    (q.kind === 'choice' || q.kind === 'rating') &&
    (several || q.kind === 'rating' || choices.length > 4)
  ) {
    const picked = choices.filter((c) => c.selected).map((c) => c.value);
    const input = {
      ...common,
      style: 'expanded',
      choices: choices.map((c) => ({ title: c.label, value: c.value })),
      ...(several ? { isMultiSelect: true } : {}),
      ...(picked.length ? { value: picked.join(',') } : {}),
    };
    // For several picks, the question's "Done" button submits the whole selection.
    const send = several
      ? submit({ ...q.done!, id: q.choose, value: undefined }, { multi: true })
      : sendButton(q.choose);
    return { input, send, rest: reply.actions ?? [] };
  }
  const actions = buttons(reply);
  const counts = new Map<string, number>();
  for (const a of actions) counts.set(a.id, (counts.get(a.id) ?? 0) + 1);
  const [longId] = [...counts].find(([, n]) => n > MAX_ACTIONS) ?? [];
  if (longId === undefined) return undefined;
  const list = actions.filter((a) => a.id === longId);
  const input = { ...common, style: 'compact', choices: list.map((a) => ({ title: a.label, value: a.value ?? a.id })) };
  return { input, send: sendButton(longId), rest: actions.filter((a) => a.id !== longId) };
}

/** Options of `renderCard`. */
export interface CardOptions {
  /** After a press: what was chosen; the card is shown without inputs or buttons. */
  chosen?: string;
  /**
   * Elements placed after the card's structure and small print, before inputs and buttons (file parts); forces a
   * card.
   */
  extra?: Json[];
}

/**
 * The Adaptive Card (1.5) of a Reply, or undefined when the text alone says it all. The card holds the
 * structure (review facts, small print, inputs, buttons); the Reply's text goes in the message's `text`.
 */
export function renderCard(reply: Reply, t: Translate, opts: CardOptions = {}): AdaptiveCard | undefined {
  if (!reply.card && !reply.context?.length && !reply.actions?.length && opts.chosen === undefined && !opts.extra)
    return undefined;
  const body: Json[] = [];
  if (reply.card) {
    body.push({
      type: 'TextBlock',
      text: reply.card.title,
      wrap: true,
      style: 'heading',
      weight: 'Bolder',
      size: 'Medium',
    });
    for (const s of reply.card.sections) {
      if (s.title) body.push({ type: 'TextBlock', text: s.title, wrap: true, weight: 'Bolder', spacing: 'Medium' });
      if (s.facts.length)
        body.push({
          type: 'FactSet',
          facts: s.facts.map((f) => ({ title: f.label, value: f.value || t(reply.lang, 'common:no_value') })),
        });
    }
  }
  for (const line of reply.context ?? []) body.push(...textBlocks(line, { isSubtle: true, size: 'Small' }));
  body.push(...(opts.extra ?? []));
  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    ...(reply.lang === 'ar' ? { rtl: true } : {}),
    body,
  };
  if (opts.chosen !== undefined) {
    body.push({
      type: 'TextBlock',
      text: t(reply.lang, 'teams:chosen', { choice: opts.chosen }),
      wrap: true,
      weight: 'Bolder',
      spacing: 'Medium',
    });
    return card;
  }
  let rest = buttons(reply);
  const input = inputFor(reply, t);
  if (input) {
    body.push(input.input);
    rest = input.rest;
  }
  const actions = [...(input ? [input.send] : []), ...rest.map((a) => submit(a))];
  if (actions.length <= MAX_ACTIONS) {
    if (actions.length) card.actions = actions;
  } else {
    for (let i = 0; i < actions.length; i += MAX_ACTIONS - 1)
      body.push({ type: 'ActionSet', actions: actions.slice(i, i + MAX_ACTIONS - 1) });
  }
  return card;
}

/** The message activity of a Reply: the text (always, plain) and the card when there is one. */
export function renderReply(reply: Reply, t: Translate, opts: CardOptions = {}): Partial<Activity> {
  const card = renderCard(reply, t, opts);
  return {
    type: 'message',
    text: reply.text,
    textFormat: 'plain',
    locale: reply.lang,
    ...(card ? { attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }] } : {}),
  };
}

/** The label of what a press chose, for the refreshed card: the button's, or the picked choices' labels. */
export function chosenLabel(reply: Reply, data: CardData): string {
  const actions = buttons(reply);
  const values = data.multi ? (data.value ?? '').split(',').filter(Boolean) : [data.value];
  const labels = values.map(
    (v) =>
      actions.find((a) => a.id === data.action && a.value === v) ??
      actions.find((a) => a.value === v && v !== undefined),
  );
  if (labels.every(Boolean) && labels.length) return labels.map((a) => a!.label).join(', ');
  const own = actions.find((a) => a.id === data.action);
  return own ? own.label : (data.value ?? data.action);
}

/**
 * The message activities of a Reply: its own (text and card, as `renderReply`), then, when its files do not
 * all fit in it, further messages with the rest of them. Each file is shown whole, line by line, as
 * preformatted monospace text under its name; parts of a file split across messages are numbered "(2/3)".
 */
export function renderActivities(reply: Reply, t: Translate, opts: CardOptions = {}): Partial<Activity>[] {
  const files = reply.files ?? [];
  if (!files.length) return [renderReply(reply, t, opts)];
  const emptyCard = (): AdaptiveCard => ({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    ...(reply.lang === 'ar' ? { rtl: true } : {}),
    body: [],
  });
  const further = (card: AdaptiveCard, summary: string): Partial<Activity> => ({
    type: 'message',
    locale: reply.lang,
    summary,
    attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }],
  });
  const firstRoom = MAX_ACTIVITY_BYTES - activitySize(renderReply(reply, t, { ...opts, extra: [] }));
  const emptyRoom =
    MAX_ACTIVITY_BYTES - Math.max(...files.map((f) => activitySize(further(emptyCard(), `${f.name} (9999/9999)`))));
  const messages = packFiles(files, firstRoom, emptyRoom);
  const total = new Map<number, number>();
  for (const p of messages.flat()) total.set(p.file, (total.get(p.file) ?? 0) + 1);
  const seen = new Map<number, number>();
  const blocks = (parts: FilePart[]) =>
    parts.flatMap((p) => {
      const n = (seen.get(p.file) ?? 0) + 1;
      seen.set(p.file, n);
      const of = total.get(p.file)!;
      return [fileHeading(of > 1 ? `${files[p.file]!.name} (${n}/${of})` : files[p.file]!.name), fileBox(p.lines)];
    });
  const [first = [], ...rest] = messages;
  const out = [renderReply(reply, t, { ...opts, ...(first.length ? { extra: blocks(first) } : {}) })];
  for (const parts of rest) {
    const card = emptyCard();
    card.body = blocks(parts);
    const heading = (card.body[0]!.inlines as Json[])[0]!.text as string;
    out.push(further(card, heading));
  }
  return out;
}
