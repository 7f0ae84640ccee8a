import { describe, expect, it } from 'vitest';
import { ALERT_ACTIONS } from '../../../src/core/alerts/text.ts';
import { INTAKE_ACTIONS } from '../../../src/core/actions.ts';
import { LANGS } from '../../../src/core/lang.ts';
import { FAQ_ACTIONS } from '../../../src/core/reply.ts';
import { Chat, command } from '../../conversation.ts';
import { inRoom, submitApplication, world } from '../../endorsement-world.ts';

describe('asking for alerts and stopping them', () => {
  it.each(LANGS)('%s: "tell me when the next call opens", then "stop alerts", typed in the language', async (lang) => {
    const w = world({ at: '2026-01-10T10:00:00Z' });
    const t = w.core.i18n.t;
    const chat = new Chat(w.core.assistant, `user-${lang}`, lang, 'Asia/Tokyo');
    await chat.press(FAQ_ACTIONS.language, lang);
    await chat.say(command(t, lang, 'subscribe', 'alerts'));
    // No later call is known: the bot says it will tell them, in their language.
    expect(chat.text).toBe(t(lang, 'alerts:subscribed'));
    let conv = await w.store.conversations.get(`local:user-${lang}`);
    expect(conv?.alerts).toEqual({ nextCall: '2026-01-10T10:00:00.000Z' });
    expect(conv?.timeZone).toBe('Asia/Tokyo');
    await chat.say(command(t, lang, 'alerts', 'alerts'));
    expect(chat.text).toContain(t(lang, 'alerts:settings_next_call'));
    await chat.say(command(t, lang, 'stop', 'alerts'));
    expect(chat.text).toBe(t(lang, 'alerts:stopped'));
    expect(chat.last[0]!.actions?.map((a) => a.id)).toEqual([ALERT_ACTIONS.subscribe]);
    conv = await w.store.conversations.get(`local:user-${lang}`);
    expect(conv?.alerts).toEqual({ off: true });
    await chat.say(command(t, lang, 'alerts', 'alerts'));
    expect(chat.text).toBe(t(lang, 'alerts:settings_off'));
  });

  const callOpenOrNot =
    'while a call is open the bot says so (deadline on the person’s clock) and offers to start; ' +
    'before one it names the opening day';
  it(callOpenOrNot, async () => {
    const open = world({ at: '2025-06-01T10:00:00Z' });
    const chat = new Chat(open.core.assistant, 'mx', 'es-MX', 'America/Mexico_City');
    await chat.press(ALERT_ACTIONS.subscribe);
    expect(chat.text).toContain('15:59');
    expect(chat.last[0]!.actions?.map((a) => a.id)).toEqual([INTAKE_ACTIONS.start]);

    const before = world({ at: '2025-05-01T10:00:00Z' });
    const early = new Chat(before.core.assistant, 'early', 'en-GB');
    await early.say('tell me when the next call opens');
    expect(early.text).toContain('15 May 2025');
  });

  it('a closed call’s deadline answer offers the button, and pressing it subscribes', async () => {
    const w = world({ at: '2026-11-21T10:00:00Z' });
    const chat = new Chat(w.core.assistant, 'late', 'en-GB');
    await chat.say('When is the deadline to apply?');
    const button = chat.last[0]!.actions?.find((a) => a.id === ALERT_ACTIONS.subscribe);
    expect(button?.label).toBe('Tell me when the next call opens');
    await chat.press(button!.id, button!.value);
    expect((await w.store.conversations.get('local:late'))?.alerts?.nextCall).toBe('2026-11-21T10:00:00.000Z');
  });

  it('coordinators ask "alerts" and see what is scheduled for 30 days; others see their own settings', async () => {
    const w = world({ at: '2025-06-01T08:00:00Z' });
    await submitApplication(w.core, 'ana', 'Hamburg', 'DE');
    const draft = new Chat(w.core.assistant, 'bo', 'en-GB', 'Asia/Tokyo');
    await draft.press(INTAKE_ACTIONS.start);
    await draft.say('Kyoto');
    const [plan] = await w.core.assistant.handle(inRoom('coord', 'coordinators').say('alerts'));
    const lines = plan!.text.split('\n');
    expect(lines[0]).toBe('Alerts scheduled for the next 30 days (times in Central European Time):');
    // The digest of Monday 2 June, the closing reminders, the escalation of Hamburg's application 14 days on,
    // the commission's deadline reminders fall after 1 July: not listed.
    expect(lines).toContain('• 2 Jun 2025, 09:00: weekly digest → the coordinators (2025 call)');
    expect(lines).toContain('• 8 Jun 2025, 09:00: city applications close in 7 days → the coordinators (2025 call)');
    expect(lines).toContain(
      '• 15 Jun 2025, 10:00: an application waiting more than 14 days → the coordinators (2025 call)',
    );
    // Bo's reminder at 09:00 in Tokyo on 9 June (the deadline's last minute there is 16 June, 06:59),
    // at 02:00 in Hamburg.
    expect(lines).toContain('• 9 Jun 2025, 02:00: unfinished draft, closing in 7 days → 1 applicant (2025 call)');
    expect(lines.some((l) => l.includes('commission deadline'))).toBe(false);
    expect((await w.store.audit.list()).at(-1)).toMatchObject({ action: 'alerts', outcome: 'done' });

    const [own] = await w.core.assistant.handle({
      platform: 'local',
      user: { id: 'bo' },
      room: { id: 'dm:bo', direct: true },
      text: 'alerts',
    });
    expect(own!.text).toBe(w.core.i18n.t('en', 'alerts:settings_on'));
  });
});
