import type { Reply } from '../../core/reply.ts';

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
      for (const f of s.facts) out.push(`  ${f.label}: ${f.value}`);
    }
  }
  if (reply.context?.length) out.push(dim(reply.context.join('\n')));
  if (reply.actions?.length) out.push(reply.actions.map((a, i) => `[${i + 1}] ${a.label}`).join('   '));
  return out.join('\n');
}
