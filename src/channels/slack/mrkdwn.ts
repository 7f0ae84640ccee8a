/**
 * Slack's message text format. Outbound, only &, < and > must be escaped (Slack's rule for mrkdwn).
 * Inbound, Slack rewrites what people type: mentions become <@U123>, links <https://x|x>, e-mail
 * addresses <mailto:a@b.org|a@b.org>, and &, <, > arrive escaped; `plainText` undoes all of that.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Undoes `escapeMrkdwn` (Slack's three entities). */
export function unescapeMrkdwn(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** What the user typed, as plain text: mentions of `botUserId` removed, links and entities restored. */
export function plainText(text: string, botUserId?: string): string {
  return unescapeMrkdwn(
    text.replace(/<([^<>]+)>/g, (_m, inner: string) => {
      const [target, label] = inner.split('|', 2) as [string, string | undefined];
      if (target.startsWith('@')) return target.slice(1) === botUserId ? '' : `@${label ?? target.slice(1)}`;
      if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
      if (target.startsWith('!')) return label ?? `@${target.slice(1).split('^')[0]}`;
      if (label) return label;
      return target.replace(/^(mailto|tel):/, '');
    }),
  )
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/**
 * The users a Slack text mentions (`<@U123>`, `<@U123|ana>`; W… ids on Enterprise Grid), in order, each
 * once, without `botUserId`. The name is the mention's label when Slack sent one.
 */
export function mentionsIn(text: string, botUserId?: string): { id: string; name?: string }[] {
  const out = new Map<string, { id: string; name?: string }>();
  for (const m of text.matchAll(/<@([UW][A-Z0-9]+)(?:\|([^<>]*))?>/g)) {
    const id = m[1]!;
    const name = m[2] ? unescapeMrkdwn(m[2]).trim() : '';
    if (id === botUserId) continue;
    const seen = out.get(id);
    if (!seen) out.set(id, name ? { id, name } : { id });
    else if (!seen.name && name) seen.name = name;
  }
  return [...out.values()];
}
