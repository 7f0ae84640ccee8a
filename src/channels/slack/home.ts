/** The App Home: what a person has (the welcome with the topics, then their draft and applications). */
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Assistant } from '../../core/assistant.ts';
import type { Translate } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';
import type { BlockRenderer } from './blocks.ts';
import type { SlackTurns } from './turns.ts';
import { callWebApi } from './web-api.ts';

export class SlackHome {
  constructor(
    private readonly deps: {
      assistant: Assistant;
      t: Translate;
      log: Logger;
      turns: SlackTurns;
      blocks: BlockRenderer;
    },
  ) {}

  async publish(client: WebClient, userId: string): Promise<void> {
    const turn = await this.deps.turns.turn(userId, { id: userId, direct: true }, {});
    const replies = await this.deps.assistant.overview(turn);
    const title = this.deps.t(replies[0]!.lang, 'slack:home_title');
    const blocks: KnownBlock[] = [
      { type: 'header', text: { type: 'plain_text', text: title, emoji: true } },
      ...this.deps.blocks.view(replies),
    ];
    await callWebApi(this.deps.log, 'views.publish', () =>
      client.views.publish({ user_id: userId, view: { type: 'home', blocks } }),
    );
  }
}
