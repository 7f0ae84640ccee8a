import type { Translate } from '../../i18n/index.ts';
import type { CommandWords } from '../commands.ts';
import { LANGS, type Lang } from '../lang.ts';
import type { Conversation } from '../records.ts';
import { FAQ_ACTIONS, type Reply } from '../reply.ts';
import type { Handler } from './context.ts';

/**
 * "language: français" or a language button: switches the conversation's language (or says which languages
 * exist); a draft goes on in the new one (`resume` shows where it stands).
 */
export function languageSwitch(deps: {
  t: Translate;
  words: CommandWords;
  resume: (conv: Conversation, lang: Lang) => Reply[];
}): Handler {
  const { t, words, resume } = deps;
  return (ctx) => {
    const { action, text, lang, conversation: conv } = ctx;
    let choice: Lang | { unknown: string } | undefined;
    if (action) choice = action.id === FAQ_ACTIONS.language ? words.languageCode(action.value ?? '') : undefined;
    else choice = words.language(text ?? '');
    if (!choice) return undefined;
    if (typeof choice === 'string') {
      conv.lang = { chosen: choice, last: choice };
      const set: Reply = { lang: choice, text: t(choice, 'common:language_set') };
      return conv.intake ? [set, ...resume(conv, choice).slice(1)] : [set];
    }
    const names = new Intl.DisplayNames([lang], { type: 'language' });
    const list = LANGS.map((l) => names.of(l) ?? l);
    return [{ lang, text: t(lang, 'common:language_unknown', { value: choice.unknown, list }) }];
  };
}
