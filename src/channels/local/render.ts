import { buttons, type Action, type Reply } from '../../core/reply.ts';
import { directional } from '../../i18n/index.ts';

/** A button's label as the terminal shows it: a choice already picked is ticked. */
export function buttonLabel(a: Action): string {
  return a.selected ? `✓ ${a.label}` : a.label;
}

/**
 * Renders a Reply as terminal text: the message, small-print notes, a card's sections, and the
 * actions numbered so the user can press one by typing its number.
 */
export function renderText(reply: Reply, color = false): string {
  const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[0m` : s);
  const out = [reply.text];
  if (reply.card) {
    out.push(`== ${reply.card.title} ==`);
    for (const s of reply.card.sections) {
      if (s.title) out.push(`-- ${s.title}`);
      for (const f of s.facts) out.push(`  ${f.label}: ${directional(reply.lang, f.value)}`);
    }
  }
  if (reply.context?.length) out.push(dim(reply.context.join('\n')));
  const all = buttons(reply);
  if (all.length) out.push(all.map((a, i) => `[${i + 1}] ${buttonLabel(a)}`).join('   '));
  return out.join('\n');
}
