import type { Resource } from 'i18next';
import { readLocales } from '../../i18n/index.ts';

/** The locale files, read once for the form's word lists (units, approximations, multipliers, state names…). */
export const LOCALES: Resource = readLocales();

/**
 * A list of `form.json` in every language (`path` may be nested: "units.area"), "|"-separated: its entries
 * trimmed, without repeats, longest first ("kilomètres carrés" before "km").
 */
export function formList(path: string, resources: Resource = LOCALES): string[] {
  const words = new Set<string>();
  for (const bundle of Object.values(resources)) {
    let node: unknown = bundle.form;
    for (const key of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[key];
    if (typeof node === 'string') for (const w of node.split('|')) if (w.trim()) words.add(w.trim());
  }
  return [...words].sort((a, b) => b.length - a.length);
}
