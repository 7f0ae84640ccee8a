import type { Translate } from '../i18n/index.ts';
import { LANGS, isLang, type Lang } from './lang.ts';
import { fold, words } from './faq/text.ts';

/** Recognises the bot's typed commands in all six languages (the words live in locales/<lng>/common.json). */
export class CommandWords {
  private readonly sets = new Map<string, Set<string>>();
  private readonly languageNames = new Map<string, Lang>();

  constructor(t: Translate) {
    for (const kind of ['language', 'help', 'greeting']) {
      const set = new Set<string>();
      for (const lang of LANGS) for (const w of t(lang, `common:commands.${kind}`).split('|')) set.add(fold(w.trim()));
      this.sets.set(kind, set);
    }
    // Every language's name in every language ("anglais", "Inglés", "английский", "英语", "الإنجليزية"),
    // from the runtime's CLDR data rather than a hand-made table.
    for (const display of LANGS) {
      const names = new Intl.DisplayNames([display], { type: 'language' });
      for (const lang of LANGS) {
        const name = names.of(lang);
        if (name) this.languageNames.set(fold(name), lang);
      }
    }
    for (const lang of LANGS) this.languageNames.set(lang, lang);
  }

  /** True when `phrase` (folded) is one of the words of a command kind. */
  is(kind: 'help' | 'greeting', text: string): boolean {
    return this.sets.get(kind)!.has(clean(text));
  }

  /**
   * Parses "language: français", "langue anglais", "idioma: es", "язык: русский", "语言：中文".
   * Returns the language, `{ unknown }` for a language we do not speak, or undefined when the text is
   * not a language command at all.
   */
  language(text: string): Lang | { unknown: string } | undefined {
    const m = /^\s*([^\s:：]+)\s*[:：]?\s*(.+?)\s*$/u.exec(text);
    if (!m) return undefined;
    if (!this.sets.get('language')!.has(fold(m[1]!))) return undefined;
    const value = clean(m[2]!);
    const found = this.languageNames.get(value) ?? (isLang(value) ? value : undefined);
    return found ?? { unknown: m[2]!.trim() };
  }

  /** True when the text is only greetings (and punctuation): "hello", "bonjour !", "你好". */
  isGreeting(text: string): boolean {
    const greetings = this.sets.get('greeting')!;
    if (greetings.has(clean(text))) return true;
    const ws = words(text, 'en');
    if (ws.length === 0 || ws.length > 4) return false;
    return ws.every((w) => greetings.has(w)) || greetings.has(ws.join(' '));
  }
}

/** Folds and strips surrounding punctuation and spaces. */
function clean(text: string): string {
  return fold(text).replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '').replace(/\s+/g, ' ');
}
