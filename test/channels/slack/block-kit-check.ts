import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** A payload to check: what was sent to chat.postMessage / chat.update, or a views.publish view. */
export type Sent = { kind: 'message'; text?: unknown; blocks?: unknown } | { kind: 'view'; view: unknown };

/**
 * Checks payloads against the structure declared by `@slack/types` (the types Bolt's client is typed
 * with): each payload becomes an object literal typed as a message or a View and is type-checked by
 * the TypeScript compiler, so an unknown field, a wrong element type or a missing required property
 * is an error. Returns the compiler's messages, with the payload index.
 */
export function typeErrors(sent: Sent[]): string[] {
  const file = path.join(ROOT, '__block_kit_check__.ts');
  const lines = [
    "import type { KnownBlock, View } from '@slack/types';",
    'type Message = { text: string; blocks: KnownBlock[] };',
    ...sent.map((s, i) =>
      s.kind === 'view'
        ? `export const p${i}: View = ${JSON.stringify(s.view)};`
        : `export const p${i}: Message = ${JSON.stringify({ text: s.text, blocks: s.blocks })};`,
    ),
  ];
  const source = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    path.resolve(name) === file ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
    return `${line >= 2 ? `payload ${line - 2}` : 'check'}: ${msg.slice(0, 400)}`;
  });
}

type Obj = Record<string, any>;

/** Slack's documented size limits, checked independently of the renderer's own constants. */
export function limitErrors(sent: Sent[]): string[] {
  const errors: string[] = [];
  sent.forEach((s, i) => {
    const bad = (what: string) => errors.push(`payload ${i}: ${what}`);
    const blocks: Obj[] = s.kind === 'view' ? ((s.view as Obj).blocks ?? []) : ((s.blocks as Obj[]) ?? []);
    if (s.kind === 'message') {
      if (typeof s.text !== 'string' || !s.text.trim()) bad('no text fallback');
      else if (s.text.length > 40_000) bad('text fallback over 40,000 characters');
      if (blocks.length > 50) bad(`${blocks.length} blocks in a message (max 50)`);
    } else if (blocks.length > 100) bad(`${blocks.length} blocks in a view (max 100)`);
    const actionIds = new Set<string>();
    const textObj = (t: Obj | undefined, max: number, where: string) => {
      if (!t) return;
      if (typeof t.text !== 'string' || t.text.length === 0) bad(`${where}: empty text`);
      else if (t.text.length > max) bad(`${where}: ${t.text.length} characters (max ${max})`);
    };
    const element = (e: Obj, where: string) => {
      if (e.action_id !== undefined) {
        if (e.action_id.length > 255) bad(`${where}: action_id over 255 characters`);
        if (actionIds.has(e.action_id)) bad(`${where}: duplicate action_id ${e.action_id}`);
        actionIds.add(e.action_id);
      }
      if (e.type === 'button') {
        textObj(e.text, 75, `${where} button label`);
        if (e.value !== undefined && e.value.length > 2000) bad(`${where}: button value over 2,000 characters`);
      }
      if (e.type === 'static_select' || e.type === 'overflow') {
        const options: Obj[] = e.options ?? [];
        if (options.length > (e.type === 'overflow' ? 5 : 100)) bad(`${where}: ${options.length} options`);
        for (const o of options) {
          textObj(o.text, 75, `${where} option`);
          if (String(o.value).length > 150) bad(`${where}: option value over 150 characters`);
        }
      }
      if (e.confirm) {
        textObj(e.confirm.title, 100, `${where} confirm title`);
        textObj(e.confirm.text, 300, `${where} confirm text`);
        textObj(e.confirm.confirm, 30, `${where} confirm button`);
        textObj(e.confirm.deny, 30, `${where} deny button`);
      }
    };
    blocks.forEach((b, j) => {
      const where = `block ${j} (${b.type})`;
      if (b.block_id !== undefined && b.block_id.length > 255) bad(`${where}: block_id over 255 characters`);
      if (b.type === 'section') {
        if (!b.text && !b.fields) bad(`${where}: neither text nor fields`);
        textObj(b.text, 3000, where);
        if ((b.fields ?? []).length > 10) bad(`${where}: more than 10 fields`);
        for (const f of b.fields ?? []) textObj(f, 2000, `${where} field`);
        if (b.accessory) element(b.accessory, where);
      }
      if (b.type === 'header') textObj(b.text, 150, where);
      if (b.type === 'context') {
        if (b.elements.length > 10) bad(`${where}: more than 10 elements`);
        for (const e of b.elements) if (e.type !== 'image') textObj(e, 3000, `${where} element`);
      }
      if (b.type === 'actions') {
        if (b.elements.length > 25) bad(`${where}: more than 25 elements`);
        const buttons = b.elements.filter((e: Obj) => e.type === 'button').length;
        if (buttons > 5) bad(`${where}: ${buttons} buttons (this app shows at most 5 per block)`);
        for (const e of b.elements) element(e, where);
      }
    });
  });
  return errors;
}
