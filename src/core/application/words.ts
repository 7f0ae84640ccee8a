import type { Translate } from '../../i18n/index.ts';
import { LANGS } from '../lang.ts';
import { fold, words } from '../faq/text.ts';

/** Typed commands of the application form, in every language (locales/<lng>/form.json `commands`). */
export const FORM_COMMANDS = [
  'apply_exact', 'apply_phrases', 'continue', 'back', 'skip', 'review', 'cancel', 'help', 'edit', 'status', 'submit', 'yes', 'no', 'done',
] as const;
export type FormCommand = (typeof FORM_COMMANDS)[number];

/** Folds text for comparing with command words: case, accents, surrounding punctuation, inner spaces. */
export function normalizeCommand(text: string): string {
  const s = fold(text).replace(/[\u2019`]/g, "'").replace(/\s+/g, ' ').trim();
  if (/^[?？؟]+$/u.test(s)) return '?';
  return s.replace(/^[^\p{L}\p{N}/]+/u, '').replace(/[^\p{L}\p{N}']+$/u, '');
}

/** Recognises form commands typed in any of the six languages. */
export class FormWords {
  private readonly sets = new Map<FormCommand, Set<string>>();
  private readonly phrases: string[][] = [];

  constructor(t: Translate) {
    for (const kind of FORM_COMMANDS) {
      const set = new Set<string>();
      for (const lang of LANGS) for (const w of t(lang, `form:commands.${kind}`).split('|')) if (w.trim()) set.add(normalizeCommand(w));
      this.sets.set(kind, set);
    }
    for (const lang of LANGS) {
      for (const p of t(lang, 'form:commands.apply_phrases').split('|')) {
        const ws = words(p, lang);
        if (ws.length) this.phrases.push(ws);
      }
    }
  }

  /** True when the whole text is one of the command's words ("back", "retour", "назад"). */
  is(kind: FormCommand, text: string): boolean {
    return this.sets.get(kind)!.has(normalizeCommand(text));
  }

  /** "I want to apply", "je veux postuler", "我想申请": the whole text is a start command or contains a start phrase. */
  isApply(text: string): boolean {
    if (this.is('apply_exact', text) || this.is('apply_phrases', text)) return true;
    for (const lang of ['en', 'zh'] as const) {
      const ws = words(text, lang);
      if (this.phrases.some((p) => containsRun(ws, p))) return true;
    }
    return false;
  }

  /** For "edit <name>": the name after an edit word, or '' for a bare "edit"; undefined when not an edit command. */
  editTarget(text: string): string | undefined {
    const n = normalizeCommand(text);
    if (this.sets.get('edit')!.has(n)) return '';
    const [first, ...rest] = n.split(' ');
    if (first && rest.length && this.sets.get('edit')!.has(first)) return rest.join(' ');
    return undefined;
  }
}

/** True when `run` appears in `ws` as consecutive words. */
function containsRun(ws: string[], run: string[]): boolean {
  outer: for (let i = 0; i + run.length <= ws.length; i++) {
    for (let j = 0; j < run.length; j++) if (ws[i + j] !== run[j]) continue outer;
    return true;
  }
  return false;
}
