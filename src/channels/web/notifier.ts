/**
 * Proactive messages to web chat visitors (a commission's decision, an alert): written into every conversation
 * the visitor has open in this process, or kept until they open one (a visitor is rarely on the page when a
 * commission decides). `web:user:<id>` names a visitor, `web:room:<conversation>` one conversation.
 */
import type { TurnContext } from 'botbuilder';
import { LRUCache } from 'lru-cache';
import { NotifyError, type Notifier, type Posted } from '../../core/notifier.ts';
import type { Reply } from '../../core/reply.ts';
import type { TeamsSender } from '../teams/sender.ts';
import { WEB_BOT, WEB_CHANNEL_ID, type WebAdapter } from './adapter.ts';
import type { Transcript, Transcripts } from './transcripts.ts';

export class WebNotifier implements Notifier {
  readonly platform = 'web' as const;
  /** Notices for visitors with no conversation open, by user id, delivered when they open one. */
  private readonly pending = new LRUCache<string, Reply[][]>({ max: 10_000, ttl: 30 * 24 * 3_600_000 });

  constructor(private readonly deps: { adapter: WebAdapter; sender: TeamsSender; transcripts: Transcripts }) {}

  async send(key: string, replies: Reply[]): Promise<Posted[]> {
    const [platform, kind, ...rest] = key.split(':');
    const id = rest.join(':');
    if (platform !== 'web' || !id || (kind !== 'user' && kind !== 'room'))
      throw new NotifyError('unknown_address', `not a web chat address: ${key}`);
    const { transcripts } = this.deps;
    const open = kind === 'user' ? transcripts.ofUser(id) : [transcripts.get(id)].filter((t) => t !== undefined);
    if (!open.length) {
      if (kind === 'room') throw new NotifyError('not_reachable', `no web chat conversation ${id}`);
      this.pending.set(id, [...(this.pending.get(id) ?? []), replies].slice(-20));
      return [{ key, id: '' }];
    }
    const posted: Posted[] = [];
    for (const t of open) {
      const sent = await this.in(t, (ctx) => this.deps.sender.send(ctx, replies));
      // The first conversation's ids: the one an update replaces.
      if (!posted.length) posted.push(...sent.map((r) => ({ key: `web:room:${t.id}`, id: r.id })));
    }
    return posted;
  }

  async update(posted: Posted, reply: Reply): Promise<void> {
    const id = posted.key.startsWith('web:room:') ? posted.key.slice('web:room:'.length) : '';
    const t = this.deps.transcripts.get(id);
    if (!t || !posted.id) throw new NotifyError('not_reachable', `no web chat message to update under ${posted.key}`);
    await this.in(t, (ctx) => this.deps.sender.replace(ctx, posted.id, reply));
  }

  /** Delivers what was kept for a visitor into the conversation they just opened. */
  async deliverKept(t: Transcript): Promise<void> {
    const kept = this.pending.get(t.user);
    if (!kept) return;
    this.pending.delete(t.user);
    for (const replies of kept) await this.in(t, (ctx) => this.deps.sender.send(ctx, replies));
  }

  private async in<T>(t: Transcript, logic: (ctx: TurnContext) => Promise<T>): Promise<T> {
    let out: T | undefined;
    const reference = {
      channelId: WEB_CHANNEL_ID,
      serviceUrl: '',
      bot: WEB_BOT,
      user: { id: t.user, name: '' },
      conversation: { id: t.id, isGroup: false, conversationType: 'personal', name: '' },
    };
    await this.deps.adapter.continueConversation(reference, async (ctx) => {
      out = await logic(ctx);
    });
    return out as T;
  }
}
