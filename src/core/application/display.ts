import { type Translate, typeset } from '../../i18n/index.ts';
import type { Lang } from '../lang.ts';
import { formatDay } from '../calls/format.ts';
import type { Card } from '../reply.ts';
import { CHALLENGES } from './challenges.ts';
import { FIELDS, SECTIONS, type FieldDef } from './form.ts';
import { countryName, examplePhone, formatPhone } from './parse.ts';

/** Labels, prompts and values of the form in one language. */
export class FormText {
  constructor(private readonly t: Translate) {}

  label(field: FieldDef, lang: Lang): string {
    if (field.section === 'challenges') return this.t(lang, 'form:challenge_label', { area: this.area(field, lang) });
    return this.t(lang, `form:fields.${field.key}.label`);
  }

  /** A challenge's name (data/challenges.json). */
  private area(field: FieldDef, lang: Lang): string {
    const id = field.key.slice('challenges.'.length);
    return CHALLENGES.areas.find((a) => a.id === id)?.label[lang] ?? id;
  }

  /**
   * The question for a field; ratings share one sentence (the first says the list is provisional while it is),
   * the pledge names the city, its date offers `today` (YYYY-MM-DD).
   */
  prompt(field: FieldDef, lang: Lang, answers: Readonly<Record<string, unknown>>, today: string): string {
    if (field.section === 'challenges') {
      const text = this.t(lang, 'form:rating_prompt', { area: this.area(field, lang) });
      const first = FIELDS.find((f) => f.section === 'challenges') === field;
      return first && CHALLENGES.provisional ? `${text}\n${this.t(lang, 'form:challenges_provisional')}` : text;
    }
    return this.t(lang, `form:fields.${field.key}.prompt`, {
      city: answers['city.name'] ?? '…',
      today: formatDay(today, lang),
      example: this.example(field, lang, answers),
    });
  }

  help(field: FieldDef, lang: Lang): string {
    return this.t(
      lang,
      field.section === 'challenges' ? 'form:fields.challenges.help' : `form:fields.${field.key}.help`,
    );
  }

  /** An example answer; the telephone's is a number of the city's country. */
  example(field: FieldDef, lang: Lang, answers: Readonly<Record<string, unknown>> = {}): string | undefined {
    if (field.section === 'challenges' || field.kind === 'choice') return undefined;
    const country = answers['city.country'];
    const phone = field.kind === 'phone' && typeof country === 'string' ? examplePhone(country) : undefined;
    return phone ?? this.t(lang, `form:fields.${field.key}.example`);
  }

  /** The label of one choice of a field. */
  choice(field: FieldDef, value: string, lang: Lang): string {
    if (field.kind === 'rating') return value;
    if (field.kind === 'confirm') return this.t(lang, value === 'yes' ? 'form:buttons.yes' : 'form:buttons.no');
    return this.t(lang, `form:choices.${choiceGroup(field)}.${value}`);
  }

  /** A text in the language's quotation marks ("“Literacy”", "« Alphabétisation »"): items of a list set apart. */
  quoted(text: string, lang: Lang): string {
    return this.t(lang, 'form:quoted', { text, interpolation: { escapeValue: false } });
  }

  /** Other words for a choice in one language (`form:choice_words.<group>.<value>`, "|"-separated), if any. */
  synonyms(group: string, value: string, lang: Lang): string[] {
    if (group !== 'salutation' && group !== 'contact.language') return [];
    const list = this.t(lang, `form:choice_words.${group === 'salutation' ? group : 'language'}.${value}`);
    return list.split('|');
  }

  /** A stored value shown to a person, typeset in the language ("中国（CN）"). */
  value(field: FieldDef, value: unknown, lang: Lang): string {
    return typeset(lang, this.shown(field, value, lang));
  }

  private shown(field: FieldDef, value: unknown, lang: Lang): string {
    if (value === undefined || value === null) return this.t(lang, 'common:no_value');
    if (field.kind === 'country') return `${countryName(String(value), lang)} (${String(value)})`;
    if (field.kind === 'confirm') return this.t(lang, value === true ? 'form:buttons.yes' : 'form:buttons.no');
    if (field.kind === 'rating') return `${String(value)}/5`;
    if (field.kind === 'choice') {
      const values = Array.isArray(value) ? value : [value];
      return this.t(lang, 'common:list', { items: values.map((v) => this.choice(field, String(v), lang)) });
    }
    if (field.kind === 'number') return new Intl.NumberFormat(lang).format(value as number);
    if (field.kind === 'phone') return formatPhone(String(value));
    if (field.kind === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(String(value))) return formatDay(String(value), lang);
    return String(value);
  }

  /** The review card: every answer grouped by section. */
  reviewCard(answers: Readonly<Record<string, unknown>>, lang: Lang): Card {
    return {
      title: this.t(lang, 'form:review_title'),
      sections: SECTIONS.map((section) => {
        const title = this.t(lang, `form:sections.${section}`);
        return {
          title,
          facts: FIELDS.filter((f) => f.section === section).map((f) => ({
            label: withoutSection(this.label(f, lang), title),
            value: this.value(f, answers[f.key], lang),
          })),
        };
      }),
    };
  }
}

/** Which `form:choices` group holds a choice field's labels. */
export function choiceGroup(field: FieldDef): string {
  return field.key.endsWith('.salutation') ? 'salutation' : field.key === 'contact.language' ? 'language' : field.key;
}

/** A label without the section its card already names ("Mayor: surname" under "Mayor" is "surname"). */
function withoutSection(label: string, section: string): string {
  const m = /^([^:：]+?)\s*[:：]\s*(.+)$/u.exec(label);
  if (!m || !section.toLocaleLowerCase().includes(m[1]!.toLocaleLowerCase())) return label;
  return m[2]!.charAt(0).toLocaleUpperCase() + m[2]!.slice(1);
}
