import type { CommandWords } from '../commands.ts';
import { languageOf, negotiateLocale, type Lang } from '../lang.ts';
import { FAQ_ACTIONS } from '../reply.ts';
import type { Handler, TurnContext } from '../router/context.ts';
import type { AnswerRenderer } from './answer.ts';
import type { FaqMatcher } from './matcher.ts';
import type { FaqReplies } from './replies.ts';
import { words } from './text.ts';

/**
 * Reads a text outside the form: which entry it asks about and which language it is written in. The turn is
 * answered in that language from here on, and the conversation remembers it (unless the person chose one, or the
 * text is `neutral`).
 */
export function readText(matcher: FaqMatcher, neutral: (text: string) => boolean = () => false): Handler {
  return (ctx) => {
    if (ctx.text === undefined || ctx.match) return undefined;
    const conv = ctx.conversation;
    const m = matcher.match(ctx.text, conv.lang.last ?? negotiateLocale(ctx.turn.user.locale));
    ctx.match = m;
    // A text such as a yes or a no ("no" is English and Spanish), or a word or two the detector guesses at ("Luis",
    // "Sra"), leaves a conversation in the language it has.
    const guessed = m.detection.by === 'detector' && words(ctx.text, 'en').length <= 2;
    const textLang = conv.lang.last && (neutral(ctx.text) || guessed) ? undefined : m.textLang;
    ctx.lang = languageOf(conv, ctx.turn.user.locale, textLang);
    if (textLang) conv.lang = { ...conv.lang, last: textLang };
    return undefined;
  };
}

/**
 * "help", thanks ("merci beaucoup") and a text of greetings only ("Bonjour !"): whatever they resemble (a request
 * to apply, an entry), they get the help, "you're welcome" and the greeting.
 */
export function helpAndGreeting(deps: {
  replies: FaqReplies;
  words: CommandWords;
  yesOrNo: (text: string) => boolean;
}): Handler {
  const { replies, words } = deps;
  return ({ lang, action, text = '' }) => {
    if (action) return undefined;
    if (words.isHelp(text)) return [replies.help(lang)];
    // Thanks, goodbyes and an "ok" are not requests to apply (the classifier reads "ok" as "ok, let's do it"): an
    // acknowledgement gets the topics again.
    if (words.isThanks(text)) return [words.isOkay(text) ? replies.okay(lang) : replies.thanks(lang)];
    if (words.isGreeting(text)) return [replies.greeting(lang)];
    // A yes or no when nothing was asked (an offer to start is answered before): what can be asked, and done.
    if (deps.yesOrNo(text)) return [replies.menu(lang, replies.t(lang, 'common:nothing_asked'))];
    return undefined;
  };
}

/**
 * The entries a message of several questions asks about, one per question in its order ("Who can apply? When is the
 * deadline?"), when it asks about more than one and the whole message's entry (`whole`) is among them; else
 * undefined. At most three. (A follow-up such as "Which part?" read alone finds some other entry: the whole
 * message's entry then not being one of the questions' says they are one question.)
 */
export function entriesAsked(matcher: FaqMatcher, text: string, lang: Lang, whole: string): string[] | undefined {
  if ((text.match(/[?？؟]/gu)?.length ?? 0) < 2) return undefined;
  const questions = text
    .split(/(?<=[?？؟])\s*/u)
    .map((q) => q.trim())
    // A question of one or two words ("Which part?", "And when?") follows on from the one before.
    .filter((q) => words(q, lang).length >= 3);
  if (questions.length < 2) return undefined;
  const ids: string[] = [];
  for (const q of questions) {
    const id = matcher.match(q, lang).id;
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids.length > 1 && ids.includes(whole) ? ids.slice(0, 3) : undefined;
}

/** The last handler: a topic's button, the FAQ's answer (one per question asked), else "I don't know". */
export function faqHandler(deps: {
  replies: FaqReplies;
  answers: AnswerRenderer;
  matcher: FaqMatcher;
  words: CommandWords;
  /** Whether the person decides for a commission (the commission's dates concern them first). */
  endorser: (turn: TurnContext['turn']) => boolean;
}): Handler {
  const { replies, answers, endorser } = deps;
  // An answer that offers to start the form: a typed yes then starts it (see answerToStart).
  const answer = (ctx: TurnContext, ids: string[], asker: 'city' | 'commission') => {
    replies.offer(ctx.conversation.key, ids);
    return ids.map((id) => replies.answer(id, ctx.lang, ctx.turn.user.timeZone, asker));
  };
  return (ctx) => {
    const { lang, action, match } = ctx;
    if (action) {
      if (action.id === FAQ_ACTIONS.topic && action.value && answers.entry(action.value)) {
        return answer(ctx, [action.value], endorser(ctx.turn) ? 'commission' : 'city');
      }
      if (action.id === FAQ_ACTIONS.menu) return [replies.help(lang)];
      return [replies.menu(lang, replies.t(lang, 'common:stale_action'))];
    }
    if (match?.id) {
      const asker = endorser(ctx.turn) ? 'commission' : 'city';
      return answer(ctx, entriesAsked(deps.matcher, ctx.text ?? '', lang, match.id) ?? [match.id], asker);
    }
    // "Hello! I'm Sarah from Bristol city council": who is writing, asking nothing yet, is greeted.
    const text = ctx.text ?? '';
    if (deps.words.introduces(text)) return [replies.greeting(lang)];
    return [replies.refuse(lang, match?.scope ?? 'unclear', match?.candidates ?? [], match?.topic)];
  };
}
