import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { keyedPaths } from '../../src/store/files.ts';
import fc from 'fast-check';

/**
 * The suite's properties draw from one fixed seed, so that it gives the same verdict on every run; set
 * FC_SEED to explore others (fast-check prints the seed and the shrunk case of a failure). `npm run fuzz` is
 * the run that draws a fresh seed every time.
 */
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261121) });

/** Any UTF-16 code unit, lone surrogates included (what `unit: 'binary'` never makes: it makes code points). */
export const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Control and format characters: C0, DEL, C1, zero-width, bidi overrides, line and paragraph separators, BOM. */
export const controlChar = fc
  .oneof(
    fc.integer({ min: 0, max: 0x1f }),
    fc.integer({ min: 0x7f, max: 0x9f }),
    fc.constantFrom(
      0x200b,
      0x200c,
      0x200d,
      0x200e,
      0x200f,
      0x2028,
      0x2029,
      0x202a,
      0x202e,
      0x2066,
      0xfeff,
      0xfffe,
      0xffff,
    ),
  )
  .map((c) => String.fromCharCode(c));

/** Texts that mean something to JavaScript, JSON, i18next, regular expressions or a shell rather than to a person. */
export const SPECIAL_TEXTS = [
  '__proto__',
  'constructor',
  'prototype',
  'constructor.prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '[[[[[[[[[[[[',
  ']]]]',
  '{',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e309',
  '0x1F',
  '0b101',
  '1_000',
  '9007199254740993',
  '１２３',
  '٢٠٢٤',
  '½',
  '²',
  '{{max}}',
  '{{count}}',
  '$t(form:errors.too_long)',
  '%s%d%n',
  '<script>alert(1)</script>',
  '<at>x',
  '&amp;&lt;',
  '<!channel>',
  '<@U123|x>',
  '\uD800',
  '\uDFFF',
  'a\uD800b',
  '\uDC00\uD800',
  '\u0000',
  '\u202Eevil',
  '\uFEFF',
  ' ',
  '\n\n',
  '\t',
  '💥'.repeat(50),
  'e\u0301'.repeat(30),
  '../../etc/passwd',
  'C:\\Windows',
  'DROP TABLE applications;--',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection attempt, typed as plain text
  '${process.exit(1)}',
  '`rm -rf /`',
];

/** Patterns that cost quadratic time in a backtracking regular expression or ICU's word segmenter when repeated. */
export const HUGE_PATTERNS = [' ', 'a', ' !', ', ', '1.', '<at>', '界', 'ab ', '\t\n', '\uD800', '💥'];

/** A message far longer than any answer: a pattern repeated to 4,001–100,000 code units. */
export const hugeText = fc
  .tuple(fc.constantFrom(...HUGE_PATTERNS), fc.integer({ min: 4_001, max: 100_000 }), fc.constantFrom('', '1', 'x'))
  .map(([p, n, edge]) => `${edge}${p.repeat(Math.ceil(n / p.length))}${edge}`.slice(0, Math.max(n, 4_001)));

/** Random text of every kind above (huge texts only when `huge`). */
export function hostileText(opts: { huge?: boolean; near?: string } = {}): fc.Arbitrary<string> {
  const arbs: fc.Arbitrary<string>[] = [
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: utf16Unit, maxLength: 40 }),
    fc.string({ unit: fc.oneof(controlChar, fc.constantFrom('a', 'é', ' ', '1', ',', '.', '?')), maxLength: 40 }),
    fc.constantFrom(...SPECIAL_TEXTS),
    fc.json({ maxDepth: 3 }),
  ];
  if (opts.huge) arbs.push(hugeText);
  // A valid answer with something hostile put in it.
  if (opts.near) {
    const near = opts.near;
    arbs.push(
      fc
        .tuple(fc.nat({ max: near.length }), fc.oneof(controlChar, utf16Unit, fc.constantFrom(...SPECIAL_TEXTS)))
        .map(([i, x]) => near.slice(0, i) + x + near.slice(i)),
    );
  }
  return fc.oneof(...arbs);
}

/** Every file of a store folder and its content (the health probe, rewritten by every /healthz, left out). */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(d, name);
      const rel = path.relative(dir, file);
      if (rel === 'health') continue;
      if (statSync(file).isDirectory()) walk(file);
      else out.set(rel, readFileSync(file, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** The files that differ between two snapshots (added, removed or changed). */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).sort();
}

/** The record key a file of the lowdb store is named after (`conversations/ab/<hex(key)>.json`). */
export function keyOfFile(rel: string): string | undefined {
  const m = /^(?:conversations|addresses|alerts)\/[0-9a-f]{2}\/([0-9a-f]+)\.json$/.exec(rel.split(path.sep).join('/'));
  return m ? Buffer.from(m[1]!, 'hex').toString('utf8') : undefined;
}

/** The path of a conversation's file in the lowdb store. */
export function conversationFile(dir: string, key: string): string {
  return keyedPaths(dir, 'conversations', key).file;
}

/** The keys Object.prototype has now: a polluted prototype gains one (`polluted`, or any other). */
export function prototypeKeys(): string[] {
  return [...Object.getOwnPropertyNames(Object.prototype), ...Object.getOwnPropertyNames(Array.prototype)].sort();
}

/** Throws when Object.prototype or Array.prototype gained a property since `before`. */
export function expectUnpolluted(before: string[]): void {
  const probe = {} as Record<string, unknown>;
  if (probe.polluted !== undefined || (Object.prototype as Record<string, unknown>).polluted !== undefined)
    throw new Error('Object.prototype polluted');
  const now = prototypeKeys();
  if (now.join() !== before.join())
    throw new Error(`prototype keys changed: ${now.filter((k) => !before.includes(k)).join(', ')}`);
}
