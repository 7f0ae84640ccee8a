/** Locale trees flattened to dotted keys, and the plural suffixes i18next adds to a key. */
export type Tree = { [k: string]: string | Tree };

export function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

/** The suffix of a plural form (`days_one`, `days_few`…): the key without it is what code asks for. */
export const PLURAL = /_(zero|one|two|few|many|other)$/;
