import { words } from '../faq/text.ts';
import { LANGS, type Lang } from '../lang.ts';
import type { Intake } from '../records.ts';
import { normalizeCommand } from '../word-lists.ts';
import type { FormText } from './display.ts';
import { FIELDS, type FieldDef, type Parsed } from './form.ts';
import type { FormWords } from './words.ts';

/**
 * Reads what a person types for a field: choices by label in any of the six languages, by number or by a
 * unique beginning; yes/no for the pledge; the field's own parser for the others.
 */
export class AnswerReader {
  constructor(
    private readonly text: FormText,
    private readonly words: FormWords,
  ) {}

  /** `today`: the applicant's day (YYYY-MM-DD, in their zone). */
  parse(field: FieldDef, typed: string, intake: Intake, lang: Lang, today: string): Parsed {
    if (field.kind === 'confirm') {
      if (this.words.is('yes', typed)) return { ok: true, value: true };
      return { ok: false, error: this.words.is('no', typed) ? 'pledge_required' : 'pick_choice' };
    }
    if (field.kind === 'choice') {
      const whole = this.choice(field, typed);
      if (whole) return { ok: true, value: field.multiple ? [whole] : whole };
      const pieces = field.multiple ? typed.split(/\s*[,;，、；،\n]\s*/u).filter(Boolean) : [typed];
      const values: string[] = [];
      for (const piece of pieces) {
        const v = this.choice(field, piece);
        if (!v) return { ok: false, error: 'pick_choice' };
        if (!values.includes(v)) values.push(v);
      }
      return { ok: true, value: field.multiple ? field.choices!.filter((c) => values.includes(c)) : values[0] };
    }
    if (field.kind === 'date' && this.words.is('today', typed)) return { ok: true, value: today };
    return field.parse(typed, { lang, answers: intake.answers, today, currentYear: Number(today.slice(0, 4)) });
  }

  /** The choice a typed text names, if exactly one. */
  choice(field: FieldDef, typed: string): string | undefined {
    const n = normalizeCommand(typed);
    const choices = field.choices ?? [];
    if (/^\d+$/.test(n) && field.kind !== 'rating') return choices[Number(n) - 1];
    for (const c of choices) {
      if (normalizeCommand(c) === n) return c;
      for (const l of LANGS) if (normalizeCommand(this.text.choice(field, c, l)) === n) return c;
    }
    // A unique label that starts with what was typed ("equity" → "Equity and inclusion").
    if (n.length >= 4) {
      const hits = choices.filter((c) =>
        LANGS.some((l) => normalizeCommand(this.text.choice(field, c, l)).startsWith(n)),
      );
      if (hits.length === 1) return hits[0];
    }
    return undefined;
  }

  /** Fields whose label, in any language, is `name`, else contains every word of it ("edit phone"). */
  fields(name: string): FieldDef[] {
    const wanted = words(name, 'en');
    const exact = FIELDS.filter((f) =>
      LANGS.some((l) => normalizeCommand(this.text.label(f, l)) === normalizeCommand(name)),
    );
    if (exact.length) return exact;
    return FIELDS.filter((f) =>
      LANGS.some((l) => {
        const label = words(this.text.label(f, l), l);
        return wanted.every((w) => label.some((x) => x === w || (w.length >= 4 && x.startsWith(w))));
      }),
    );
  }
}

/** "contact.salutation=ms" → ["contact.salutation", "ms"]. */
export function splitChoice(value: string | undefined): [string, string] {
  const i = (value ?? '').lastIndexOf('=');
  return i < 0 ? ['', ''] : [value!.slice(0, i), value!.slice(i + 1)];
}
