import { randomUUID } from 'node:crypto';
import { NotifyError, type Notifier, type Posted } from '../../core/notifier.ts';
import type { Reply } from '../../core/reply.ts';

/** Where local messages go: the JSON chat writes lines, the terminal prints them. */
export type LocalSink = (message: { room: string; id: string; reply: Reply; update: boolean }) => void;

/**
 * Messages to local rooms (`local:room:commission-DE`) and people (`local:user:ana`, shown in room
 * `dm:ana`), so the whole endorsement flow can be tried without Slack or Teams. Each message gets an
 * id, and an update names the id it replaces.
 */
export class LocalNotifier implements Notifier {
  readonly platform = 'local' as const;
  private sink: LocalSink | undefined;

  /** Where messages go from now on (nothing is shown until a chat attaches). */
  attach(sink: LocalSink): void {
    this.sink = sink;
  }

  async send(key: string, replies: Reply[]): Promise<Posted[]> {
    const room = localRoom(key);
    return replies.map((reply) => {
      const id = `m-${randomUUID().slice(0, 8)}`;
      this.sink?.({ room, id, reply, update: false });
      return { key, id };
    });
  }

  async update(posted: Posted, reply: Reply): Promise<void> {
    this.sink?.({ room: localRoom(posted.key), id: posted.id, reply, update: true });
  }
}

/** The room a local address shows in: a room by its id, a person in their `dm:<id>`. */
function localRoom(key: string): string {
  const m = /^local:(room|user):(.+)$/.exec(key);
  if (!m) throw new NotifyError('unknown_address', `not a local address: ${key}`);
  return m[1] === 'user' ? `dm:${m[2]}` : m[2]!;
}
