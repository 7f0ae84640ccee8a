/**
 * Proactive messages to web chat visitors (a commission's decision, an application card, an alert): written into
 * every conversation the visitor has open in this process, or kept on disk until they open one (a visitor is
 * rarely on the page when a commission decides). `web:user:<id>` names a visitor, `web:room:<conversation>` one
 * conversation, and `web:room:commission-<CC>` the web desk of a commission: each of its endorsers on the web.
 */
import type { TurnContext } from 'botbuilder';
import { NotifyError, type Notifier, type Posted } from '../../core/notifier.ts';
import type { Reply } from '../../core/reply.ts';
import type { TeamsSender } from '../teams/sender.ts';
import { WEB_BOT, WEB_CHANNEL_ID, type WebAdapter } from './adapter.ts';
import type { KeptNotices } from './kept.ts';
import type { Transcript, Transcripts } from './transcripts.ts';

const DESK = /^commission-([A-Z]{2})$/;

export class WebNotifier implements Notifier {
  readonly platform = 'web' as const;

  constructor(
    private readonly deps: {
      adapter: WebAdapter;
      sender: TeamsSender;
      transcripts: Transcripts;
      kept: KeptNotices;
      now: () => Date;
      /** The web chat visitors who endorse for a country's commission. */
      endorsers: (country: string) => string[];
    },
  ) {}

  async send(key: string, replies: Reply[]): Promise<Posted[]> {
    const [platform, kind, ...rest] = key.split(':');
    const id = rest.join(':');
    if (platform !== 'web' || !id || (kind !== 'user' && kind !== 'room'))
      throw new NotifyError('unknown_address', `not a web chat address: ${key}`);
    const desk = kind === 'room' ? DESK.exec(id) : null;
    if (kind === 'room' && !desk) {
      const t = this.deps.transcripts.get(id);
      if (!t) throw new NotifyError('not_reachable', `no web chat conversation ${id}`);
      return this.into([t], replies);
    }
    const visitors = desk ? this.deps.endorsers(desk[1]!) : [id];
    if (!visitors.length) throw new NotifyError('not_reachable', `no endorser on the web for ${id}`);
    // An application's card for an endorser is not kept: their page shows the waiting ones when it opens.
    const keep = !desk || !replies.some((r) => r.card);
    const posted: Posted[] = [];
    for (const visitor of visitors) {
      const open = this.deps.transcripts.ofUser(visitor, this.deps.now().getTime());
      if (open.length) posted.push(...(await this.into(open, replies, keep)));
      else if (keep) await this.deps.kept.keep(visitor, replies);
    }
    return posted;
  }

  async update(posted: Posted, reply: Reply): Promise<void> {
    const id = posted.key.startsWith('web:room:') ? posted.key.slice('web:room:'.length) : '';
    const t = this.deps.transcripts.get(id);
    if (!t || !posted.id) throw new NotifyError('not_reachable', `no web chat message to update under ${posted.key}`);
    await this.in(t, (ctx) => this.deps.sender.replace(ctx, posted.id, reply));
  }

  /**
   * Delivers into the conversation a visitor just opened what their earlier pages were sent but did not read
   * (closed meanwhile), then what was kept on disk for them.
   */
  async deliverKept(t: Transcript): Promise<void> {
    // Each is remembered again until this page reads it (it may be closed as quickly).
    const deliver = async (replies: Reply[]) => {
      await this.in(t, (ctx) => this.deps.sender.send(ctx, replies));
      t.unread.push({ upTo: this.deps.transcripts.last(t), replies });
    };
    for (const earlier of this.deps.transcripts.ofUser(t.user)) {
      if (earlier === t) continue;
      const unread = earlier.unread;
      earlier.unread = [];
      for (const { replies } of unread) await deliver(replies);
    }
    await this.deps.kept.take(t.user, deliver);
  }

  /**
   * Writes into each conversation; the posts (one per conversation and message) are what an update redraws. A
   * notice to the visitor (`track`) is remembered until the page has read it.
   */
  private async into(open: Transcript[], replies: Reply[], track = false): Promise<Posted[]> {
    const posted: Posted[] = [];
    for (const t of open) {
      const sent = await this.in(t, (ctx) => this.deps.sender.send(ctx, replies));
      if (track) t.unread.push({ upTo: this.deps.transcripts.last(t), replies });
      posted.push(...sent.map((r) => ({ key: `web:room:${t.id}`, id: r.id })));
    }
    return posted;
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
