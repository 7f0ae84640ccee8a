/** Bolt's logger over the process logger, and the slash command as a neutral turn. */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { FAQ_ACTIONS, INTAKE_ACTIONS } from '../../core/actions.ts';
import type { Turn } from '../../core/turn.ts';
import type { Logger } from '../../log.ts';
import { plainText } from './mrkdwn.ts';

/** `/gnlc help|apply|status|language <code>` as a Turn; anything else is a question in its own words. */
export function slashTurn(text: string): Pick<Turn, 'text' | 'action'> {
  const [sub = '', ...rest] = text.trim().split(/\s+/);
  switch (sub.toLowerCase()) {
    case '':
    case 'help':
      return { action: { id: FAQ_ACTIONS.menu } };
    case 'apply':
      return { action: { id: INTAKE_ACTIONS.start } };
    case 'status':
      return { action: { id: INTAKE_ACTIONS.status } };
    case 'language':
      return { action: { id: FAQ_ACTIONS.language, value: rest.join(' ') } };
    default:
      return { text: plainText(text) };
  }
}

/** Bolt's logger interface over the process logger. */
export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  return {
    // Bolt's debug lines quote whole payloads (what people typed, their e-mail addresses): not logged.
    debug: () => undefined,
    info: (...m) => log.info(m.map(String).join(' ')),
    warn: (...m) => log.warn(m.map(String).join(' ')),
    error: (...m) => log.error(m.map(String).join(' ')),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
