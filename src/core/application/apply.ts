import { phaseAt } from '../calls/engine.ts';
import type { Call } from '../calls/schema.ts';
import type { Translate } from '../../i18n/index.ts';
import type { Clock } from '../clock.ts';
import type { Lang } from '../lang.ts';
import type { Conversation } from '../records.ts';
import type { Action, Reply } from '../reply.ts';
import type { TurnContext } from '../router/context.ts';
import type { FormReplies } from './questions.ts';
import { INTENT, REQUEST_SURE } from './reading.ts';
import { normalizeCommand } from '../word-lists.ts';
import { words } from '../faq/text.ts';
import type { FormWords } from './words.ts';

/** What a request to apply needs of the form's dialog, and of the core (IntakeDeps has them). */
interface Dialog {
  words: FormWords;
  replies: FormReplies;
  start(conv: Conversation, lang: Lang): Reply[];
}
interface ApplyDeps {
  t: Translate;
  isThanks(text: string): boolean;
  clock: Clock;
  calls: readonly Call[];
  isQuestion(text: string): boolean;
  callDates(lang: Lang): string;
  subscribeAction(lang: Lang): Action;
}

/**
 * Outside the form, a request to apply (once the text's language is known) starts the form; a question about
 * applying ("who can apply?") is the FAQ's, and when the FAQ cannot answer it the bot asks before starting.
 */
export function applyTurn(
  dialog: Dialog,
  deps: ApplyDeps,
  { conversation: conv, lang, text = '', match }: TurnContext,
): Reply[] | undefined {
  const question = deps.isQuestion(text);
  // One word the apply lists do not know ("Cotonou", "Lomé") is not a request, whatever the classifier says.
  const likelihood = words(text, lang).length > 1 ? (match?.requestLikelihood ?? 0) : 0;
  const request = dialog.words.isApply(text) || (match?.request && likelihood >= REQUEST_SURE);
  // A statement that may be a request ("Queremos presentar nuestra candidatura", "Soy la coordinadora…").
  const maybe = (match?.request && likelihood > 0) || (!question && likelihood >= INTENT);
  if (!request && !maybe) return undefined;
  // A question about applying is the FAQ's: answered, or told the sources do not say ("can a district
  // apply?"); any other, and a statement that may be a request, get "do you want to start now?".
  if (question && (match?.id || match?.scope === 'unknown')) return undefined;
  // A request's words inside a sentence the classifier does not read as one (a question without "?"): asked.
  const doubtful = likelihood < INTENT && !dialog.words.isApplyCommand(text);
  if (question || !request || doubtful) {
    conv.askedToStart = deps.clock.now().toISOString();
    return [dialog.replies.askToStart(lang)];
  }
  conv.lang = { ...conv.lang, last: lang };
  return startOrNotOpen(dialog, deps, conv, lang);
}

/** Marks an offer of a draft (no call being open) in `askedToStart`: a yes to it starts the draft. */
const DRAFT = 'draft:';

/**
 * No call open: said first, with what can be done (a draft to submit later, a message when one opens), and a typed
 * yes (or the draft button's words) then starts the draft.
 */
function startOrNotOpen(dialog: Dialog, deps: ApplyDeps, conv: Conversation, lang: Lang): Reply[] {
  if (conv.intake || phaseAt(deps.calls, deps.clock.now()).phase === 'open') return dialog.start(conv, lang);
  conv.askedToStart = `${DRAFT}${deps.clock.now().toISOString()}`;
  return [dialog.replies.notOpen(lang, deps.callDates(lang), deps.subscribeAction(lang))];
}

/**
 * Outside the form, a typed yes or no to "do you want to start your application now?" or to an answer that offers
 * the form (asked once: the next message answers it or not): yes starts it as a request would, no says when to ask;
 * and a request for a draft, which starts one.
 */
export function answerToStart(dialog: Dialog, deps: ApplyDeps, ctx: TurnContext, offered: boolean) {
  const { conversation: conv, lang, text = '' } = ctx;
  const asked = conv.askedToStart ?? (offered ? 'offered' : undefined);
  delete conv.askedToStart;
  // "Préparer un brouillon": a draft, which needs no call open (asked as a question, it is the FAQ's).
  if (!conv.intake && dialog.words.asksDraft(text) && !deps.isQuestion(text)) return dialog.start(conv, lang);
  if (!asked || conv.intake) return undefined;
  const draft = asked.startsWith(DRAFT);
  if (draft && normalizeCommand(text) === normalizeCommand(deps.t(lang, 'form:buttons.draft')))
    return dialog.start(conv, lang);
  // A plain yes: not "ok" or "vale" (thanks, acknowledged), nor "oui, prévenez-moi quand ça ouvre" (the alert).
  const yes = dialog.words.plainYes(text) && !deps.isThanks(text);
  if (yes) return draft ? dialog.start(conv, lang) : startOrNotOpen(dialog, deps, conv, lang);
  return dialog.words.is('no', text) ? [{ lang, text: deps.t(lang, 'form:start_later') }] : undefined;
}
