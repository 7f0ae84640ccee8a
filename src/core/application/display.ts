import type { Translate } from '../../i18n/index.ts';
import type { Lang } from '../lang.ts';
import type { Card } from '../reply.ts';
import { FIELDS, SECTIONS, type FieldDef } from './form.ts';
import { countryName } from './parse.ts';

/** Labels, prompts and values of the form in one language. */
export class FormText {
  constructor(private readonly t: Translate) {}

  label(field: FieldDef, lang: Lang): string {
    return this.t(lang, `form:fields.${field.key}.label`);
  }

  /** The question for a field; ratings share one sentence, the pledge names the city. */
  prompt(field: FieldDef, lang: Lang, answers: Readonly<Record<string, unknown>>): string {
    if (field.section === 'challenges') {
      const area = this.label(field, lang).replace(/^[^:：]*[:：]\s*/u, '');
      return this.t(lang, 'form:rating_prompt', { area });
    }
    return this.t(lang, `form:fields.${field.key}.prompt`, { city: answers['city.name'] ?? '…' });
  }

  help(field: FieldDef, lang: Lang): string {
    return this.t(
      lang,
      field.section === 'challenges' ? 'form:fields.challenges.help' : `form:fields.${field.key}.help`,
    );
  }

  example(field: FieldDef, lang: Lang): string | undefined {
    if (field.section === 'challenges' || field.kind === 'choice') return undefined;
    return this.t(lang, `form:fields.${field.key}.example`);
  }

  /** The label of one choice of a field. */
  choice(field: FieldDef, value: string, lang: Lang): string {
    if (field.kind === 'rating') return value;
    if (field.kind === 'confirm') return this.t(lang, value === 'yes' ? 'form:buttons.yes' : 'form:buttons.no');
    return this.t(lang, `form:choices.${choiceGroup(field)}.${value}`);
  }

  /** A stored value shown to a person. */
  value(field: FieldDef, value: unknown, lang: Lang): string {
    if (value === undefined || value === null) return this.t(lang, 'common:no_value');
    if (field.kind === 'country') return `${countryName(String(value), lang)} (${String(value)})`;
    if (field.kind === 'confirm') return this.t(lang, value === true ? 'form:buttons.yes' : 'form:buttons.no');
    if (field.kind === 'rating') return `${String(value)}/5`;
    if (field.kind === 'choice') {
      const values = Array.isArray(value) ? value : [value];
      return values.map((v) => this.choice(field, String(v), lang)).join(', ');
    }
    if (field.kind === 'number') return new Intl.NumberFormat(lang).format(value as number);
    return String(value);
  }

  /** The review card: every answer grouped by section. */
  reviewCard(answers: Readonly<Record<string, unknown>>, lang: Lang): Card {
    return {
      title: this.t(lang, 'form:review_title'),
      sections: SECTIONS.map((section) => ({
        title: this.t(lang, `form:sections.${section}`),
        facts: FIELDS.filter((f) => f.section === section).map((f) => ({
          label: this.label(f, lang),
          value: this.value(f, answers[f.key], lang),
        })),
      })),
    };
  }
}

/** Which `form:choices` group holds a choice field's labels. */
export function choiceGroup(field: FieldDef): string {
  return field.key.endsWith('.salutation') ? 'salutation' : field.key === 'contact.language' ? 'language' : field.key;
}
