/**
 * The listeners of the Bolt App: direct messages, mentions (answered in a thread), buttons and menus, the
 * /gnlc command and the App Home, each made a Turn and answered.
 */
import type { App, BlockAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { Translate } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';
import { RecentIds } from '../recent-ids.ts';
import { parseActionId, resolvedBlocks, TRACKED_BLOCK } from './blocks.ts';
import { slashTurn } from './bolt.ts';
import type { SlackHome } from './home.ts';
import { SLASH_COMMAND } from './http.ts';
import type { SlackTurns } from './turns.ts';
import { callWebApi } from './web-api.ts';

/** The fields of Slack events this channel reads (Bolt's types are unions too wide to narrow cheaply). */
interface InboundMessage {
  user?: string;
  text?: string;
  channel: string;
  channel_type?: string;
  ts: string;
  thread_ts?: string;
  subtype?: string;
  bot_id?: string;
}

export class SlackListeners {
  /** Presses on untracked messages: one per message (the first wins). */
  private readonly pressed = new RecentIds();
  /** Presses on tracked messages, remembered for a few seconds only: a double click, not a second person. */
  private readonly trackedPresses = new RecentIds(5_000);

  constructor(private readonly deps: { t: Translate; log: Logger; turns: SlackTurns; home: SlackHome }) {}

  listen(app: App): void {
    const { turns, home, log } = this.deps;

    app.event('message', async ({ event, context, client }) => {
      const m = event as unknown as InboundMessage;
      // Only what people type in the app's DM: no edits, joins or other subtypes, nothing from bots.
      if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user) return;
      const turn = await turns.turn(
        m.user,
        { id: m.channel, direct: true },
        await turns.typed(m.text, context.botUserId),
      );
      await turns.reply(client, m.channel, turn, m.thread_ts);
    });

    app.event('app_mention', async ({ event, context, client }) => {
      const m = event as unknown as InboundMessage;
      if (m.bot_id || !m.user) return;
      const turn = await turns.turn(
        m.user,
        { id: m.channel, direct: false },
        await turns.typed(m.text, context.botUserId),
      );
      await turns.reply(client, m.channel, turn, m.thread_ts ?? m.ts);
    });

    app.event('app_home_opened', async ({ event, client }) => {
      if (event.tab === 'home') await home.publish(client, event.user);
    });

    app.action<BlockAction>({ type: 'block_actions', action_id: /^gnlc:/ }, async ({ ack, body, action, client }) => {
      await ack();
      const parsed = parseActionId(action.action_id);
      if (!parsed) return;
      let value: string | undefined;
      let chosen = '';
      if (action.type === 'button') [value, chosen] = [action.value, action.text?.text ?? ''];
      else if (action.type === 'static_select')
        [value, chosen] = [action.selected_option?.value, action.selected_option?.text.text ?? ''];
      const press = { action: { id: parsed.id, value, confirmed: parsed.confirmed || undefined } };
      const userId = body.user.id;
      if (body.message && body.channel) {
        const channel = body.channel.id;
        if (action.block_id?.startsWith(TRACKED_BLOCK)) {
          // A tracked message (an application card) is the core's to redraw (Notifier.update), and its
          // buttons stay live for the others in the room when a press changes nothing (not an endorser,
          // a reason still to type): only a double click of the same button by the same person is dropped.
          if (
            !this.trackedPresses.firstTime(`${channel}:${body.message.ts}:${userId}:${action.action_id}:${value ?? ''}`)
          )
            return;
        } else {
          // One press per message: a double click or a second press on old buttons is dropped.
          if (!this.pressed.firstTime(`press:${channel}:${body.message.ts}`)) return;
          await callWebApi(log, 'chat.update', () =>
            client.chat.update({
              channel,
              ts: body.message!.ts,
              text: body.message!.text ?? '',
              blocks: resolvedBlocks((body.message!.blocks ?? []) as KnownBlock[], chosen),
            }),
          );
        }
        const turn = await turns.turn(userId, { id: channel, direct: channel.startsWith('D') }, press);
        await turns.reply(client, channel, turn, body.message.thread_ts);
      } else {
        // A button of the App Home: the conversation goes on in the app's DM, and the Home is refreshed.
        const turn = await turns.turn(userId, { id: userId, direct: true }, press);
        await turns.reply(client, userId, turn);
        await home.publish(client, userId);
      }
    });

    app.command(SLASH_COMMAND, async ({ ack, command, client, respond }) => {
      await ack();
      const turn = await turns.turn(command.user_id, { id: command.user_id, direct: true }, slashTurn(command.text));
      // The answer goes to the app's DM, where the conversation (and a form) can go on.
      const { posted, lang } = await turns.reply(client, command.user_id, turn);
      if (posted && posted !== command.channel_id) {
        await callWebApi(log, 'respond', () =>
          respond({ response_type: 'ephemeral', text: this.deps.t(lang, 'slack:answered_in_dm') }),
        );
      }
    });

    app.error(async (err) => {
      log.error({ err: err.message, code: (err as { code?: string }).code }, 'slack handler failed');
    });
  }
}
