import type { Translate } from '../../i18n/index.ts';
import type { FaqReplies } from '../faq/replies.ts';
import type { Handler } from './context.ts';

/**
 * The longest text a turn is read at, in UTF-16 code units (more than any answer of the form: the longest
 * takes 200 words). Reading costs more than linear time in places (ICU word segmentation, for one), so a
 * much longer message (Slack allows 40,000 characters) would hold up every other conversation for seconds;
 * it is refused with a message instead. Also the longest action value: the bot's buttons carry far less.
 */
export const MAX_TEXT = 4000;

/** The first handler: turns no feature should read (an oversized press, an empty or overlong text). */
export function guards(deps: { t: Translate; replies: FaqReplies }): Handler {
  const { t, replies } = deps;
  return ({ action, text, lang }) => {
    if (action) {
      const { id, value, values = [] } = action;
      // No button of this bot carries that much: a forged or garbled press, answered as an outdated one.
      const sizes = [id.length, value?.length ?? 0, values.join(',').length];
      if (sizes.some((n) => n > MAX_TEXT)) return [replies.menu(lang, t(lang, 'common:stale_action'))];
      return undefined;
    }
    if (!text) return [replies.menu(lang, t(lang, 'common:empty'))];
    if (text.length > MAX_TEXT) {
      return [{ lang, text: t(lang, 'common:too_long', { count: text.length, max: MAX_TEXT }) }];
    }
    return undefined;
  };
}
