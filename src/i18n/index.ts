import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type i18n as I18nInstance, type Resource } from 'i18next';
import { LANGS, type Lang } from '../core/lang.ts';
import { DataFileError } from '../core/data-file.ts';
import { memo } from '../lib/memo.ts';
import { finish, mark } from './typography.ts';
import { LOCALES_DIR } from '../paths.ts';

/** Translates `key` (namespace:key) in `lang`; variables are interpolated by i18next. */
export type Translate = (lang: Lang, key: string, vars?: Record<string, unknown>) => string;

/** The project's locales folder (`locales/<lng>/<namespace>.json`). */
export { LOCALES_DIR };

/** Reads every `locales/<lng>/*.json` file into i18next resources. */
export function readLocales(dir: string = LOCALES_DIR): Resource {
  const resources: Resource = {};
  for (const lng of LANGS) {
    const folder = path.join(dir, lng);
    const bundle: Record<string, Record<string, string>> = {};
    resources[lng] = bundle;
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.json'))) {
      const shown = path.relative(process.cwd(), path.join(folder, file));
      try {
        bundle[file.slice(0, -5)] = JSON.parse(readFileSync(path.join(folder, file), 'utf8'));
      } catch (err) {
        throw new DataFileError(shown, undefined, undefined, `not valid JSON (${(err as Error).message})`);
      }
    }
  }
  return resources;
}

/** The translation function over one synchronous i18next instance. */
export interface I18n {
  t: Translate;
  instance: I18nInstance;
  namespaces: string[];
  /** Adds texts kept elsewhere (the FAQ's answers) as a namespace: they are then rendered like every message. */
  add(ns: string, texts: Partial<Record<Lang, object>>): void;
}

/** Creates an initialised i18next instance for the six languages (English as fallback). */
export function createI18n(dir: string = LOCALES_DIR): I18n {
  const resources = readLocales(dir);
  const namespaces = Object.keys(resources.en ?? {});
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...LANGS],
    ns: namespaces,
    defaultNS: 'common',
    initAsync: false,
    returnNull: false,
    // Output is plain chat text, not HTML: escaping would show "&amp;" to users.
    interpolation: { escapeValue: false },
  });
  const fixed = new Map(LANGS.map((l) => [l, instance.getFixedT(l)] as const));
  // A text without variables never changes (the resources are fixed at start): it is looked up once. i18next
  // resolves a key in about 15 µs, and a turn looks up dozens (button labels, command words, prompts).
  const plain = new Map<string, string>();
  const t: Translate = (lang, key, vars) => {
    if (vars && Object.keys(vars).length) {
      const count = typeof vars.count === 'number' ? vars.count : undefined;
      // i18next hands `replace` to nested $t(…) as their options: it carries the language, or a glossary name
      // nested in a message with values would come out in English.
      const replace = { ...values(lang, vars), lng: lang };
      return finish(lang, fixed.get(lang)!(key, { count, replace }) as string);
    }
    const id = `${lang}\u0000${key}`;
    let text = plain.get(id);
    if (text !== undefined) return text;
    const raw = fixed.get(lang)!(key, {}) as string;
    // A "|"-separated list is words the bot reads ("retour|back|назад"), not a message: no typography, no isolates.
    text = raw.includes('|') ? raw : finish(lang, raw);
    // Bounded: the project has a few thousand keys, and a key built from a hostile value must not grow it.
    if (plain.size < 20_000) plain.set(id, text);
    return text;
  };
  const add = (ns: string, texts: Partial<Record<Lang, object>>) => {
    for (const [lang, bundle] of Object.entries(texts)) instance.addResourceBundle(lang, ns, bundle, true, true);
    for (const id of plain.keys()) if (id.includes(`\u0000${ns}:`)) plain.delete(id);
  };
  return { t, instance, namespaces, add };
}

/**
 * The values as a message shows them: lists as the language joins them, numbers in its digits and grouping
 * ("20 000", "20,000"; a year stays "2026"), text values in an isolate when the message is right to left and
 * marked for `finish`.
 * `count` still chooses the plural form (i18next reads it from the options, the text from `replace`).
 */
function values(lang: Lang, vars: Record<string, unknown>): Record<string, unknown> {
  const rtl = RTL.has(lang);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars)) {
    if (typeof v === 'number') out[k] = numbers(lang).format(v);
    else if (typeof v === 'string') {
      const shown = rtl ? isolate(v) : v;
      out[k] = VERBATIM.has(k) ? shown : mark(shown);
    } else if (Array.isArray(v))
      out[k] = mark(lists(lang).format(v.map((x) => (rtl ? isolate(String(x)) : String(x)))));
    else out[k] = v;
  }
  return out;
}

/** Values that are what a person typed (an answer shown back, a commission's reason): shown as typed. */
const VERBATIM = new Set(['text', 'reason', 'value']);

/** A list the way the language writes one ("A, B and C", "A، وB", "A、B和C"). */
const lists = memo((lang: Lang) => new Intl.ListFormat(lang, { type: 'conjunction' }));
/** Numbers with the language's grouping, from five digits on (a year stays "2026"). */
const numbers = memo((lang: Lang) => new Intl.NumberFormat(lang, { useGrouping: 'min2', maximumFractionDigits: 2 }));

/** Languages written right to left. */
const RTL = new Set<Lang>(['ar']);
/** A left-to-right character (Latin, digits, "+") that a right-to-left line would reorder. */
const LTR = /[A-Za-z0-9+@]/;
/** A text whose first letter is right to left (an Arabic sentence): it needs no isolate of its own. */
const RTL_FIRST = /^[^\p{L}]*[\p{Script=Arabic}\p{Script=Hebrew}]|^\u2068/u;

/** A text put together by code (a card's fact, "中国（CN）"): the language's typography, as every message has. */
export function typeset(lang: Lang, text: string): string {
  return finish(lang, text, false);
}

/**
 * A value put beside text of `lang` by a channel (the terminal's "label: value" lines): in an isolate when the
 * language is right to left, so that "+962 6 123 4567" keeps its order after an Arabic label.
 */
export function directional(lang: Lang, text: string): string {
  return RTL.has(lang) ? isolate(text) : text;
}

/**
 * A value put into a right-to-left message, in a first-strong isolate (U+2068 … U+2069): a telephone number, an
 * id, an address or a Latin name keeps its own order inside Arabic text ("+962 7 9012 3456", not its groups
 * reversed). A value whose first letter is Arabic (a sentence put into another) is left as it is.
 */
export function isolate(value: string): string {
  return LTR.test(value) && !RTL_FIRST.test(value) ? `\u2068${value}\u2069` : value;
}
