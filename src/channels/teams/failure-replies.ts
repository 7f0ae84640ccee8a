/** What a person is told when their turn is not answered: over their rate limit, or a failed turn. */
import { INVOKE_RESPONSE_KEY, type Activity, type TurnContext } from 'botbuilder';
import type { Assistant } from '../../core/assistant.ts';
import type { Lang } from '../../core/lang.ts';
import type { Translate } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';
import { turnBase, type BotPlatform } from './activity.ts';
import { invokeResponse } from './sender.ts';

export class FailureReplies {
  constructor(private readonly deps: { assistant: Assistant; t: Translate; log: Logger; platform: BotPlatform }) {}

  /** A person over their rate limit, told once in their language to slow down; nothing they sent is handled. */
  async tooFast(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const lang = await this.languageOf(a);
    const text = this.deps.t(lang, 'common:rate_limited');
    await ctx.sendActivity({ type: 'message', text, textFormat: 'plain', locale: lang });
    if (a.type === 'invoke')
      await invokeResponse(ctx, {
        status: 200,
        body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text },
      });
  }

  /** A failed turn: logged, and the user told in their language; a card action still gets its 200 answer. */
  async failed(ctx: TurnContext, err: unknown): Promise<void> {
    const a = ctx.activity;
    this.deps.log.error(
      { err, id: a.id, type: a.type, name: a.name, conversation: a.conversation?.id },
      'teams: turn failed',
    );
    const lang = await this.languageOf(a);
    const text = this.deps.t(lang, 'common:error');
    try {
      await ctx.sendActivity({ type: 'message', text, textFormat: 'plain', locale: lang });
    } catch (sendErr) {
      this.deps.log.warn(
        { err: sendErr, conversation: a.conversation?.id },
        'teams: could not tell the user that the turn failed',
      );
    }
    if (a.type === 'invoke' && !ctx.turnState.get(INVOKE_RESPONSE_KEY)) {
      await invokeResponse(ctx, {
        status: 200,
        body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text },
      });
    }
  }

  /**
   * The language the user's conversation is in, else their locale's (the store may be what failed: then the
   * locale's).
   */
  private languageOf(a: Partial<Activity>): Promise<Lang> {
    return this.deps.assistant.languageOfPerson(turnBase(a, this.deps.platform));
  }
}
