import { describe, expect, it } from 'vitest';
import { INTAKE_ACTIONS } from '../../../src/core/actions.ts';
import { LANGS } from '../../../src/core/lang.ts';
import { PRIVACY_ACTIONS } from '../../../src/core/privacy/desk.ts';
import { FAQ_ACTIONS } from '../../../src/core/reply.ts';
import { ADDRESS_VERSION } from '../../../src/core/records.ts';
import { Chat, command } from '../../conversation.ts';
import { submitApplication, world } from '../../endorsement-world.ts';

describe('my data and delete my data', () => {
  it.each(LANGS)('%s: shows everything kept, asks before deleting, deletes, and starts afresh', async (lang) => {
    const w = world({ at: '2025-06-01T10:00:00Z' });
    const t = w.core.i18n.t;
    const chat = new Chat(w.core.assistant, `p-${lang}`, lang, 'Asia/Tokyo');
    const key = `local:p-${lang}`;
    await chat.press(FAQ_ACTIONS.language, lang);
    await chat.press(INTAKE_ACTIONS.start);
    await chat.say('Kyoto');
    await w.store.addresses.put({
      version: ADDRESS_VERSION,
      key: `local:user:p-${lang}`,
      platform: 'local',
      ref: { room: 'x' },
      updatedAt: '2025-06-01T10:00:00Z',
    });

    await chat.say(command(t, lang, 'show', 'privacy'));
    const shown = chat.last[0]!;
    expect(shown.lang).toBe(lang);
    const file = JSON.parse(shown.files![0]!.content);
    expect(file.account).toBe(key);
    expect(file.conversation.intake.answers['city.name']).toBe('Kyoto');
    expect(file.conversation.timeZone).toBe('Asia/Tokyo');

    // Asking is not deleting; "keep" keeps.
    await chat.say(command(t, lang, 'erase', 'privacy'));
    expect(chat.last[0]!.actions?.map((a) => a.id)).toEqual([PRIVACY_ACTIONS.erase, PRIVACY_ACTIONS.keep]);
    expect(await w.store.conversations.get(key)).toBeDefined();
    await chat.press(PRIVACY_ACTIONS.keep);
    expect(chat.text).toBe(t(lang, 'privacy:kept'));
    expect((await w.store.conversations.get(key))?.intake?.answers['city.name']).toBe('Kyoto');

    await chat.say(command(t, lang, 'erase', 'privacy'));
    await chat.press(PRIVACY_ACTIONS.erase);
    expect(chat.text).toBe(t(lang, 'privacy:erased'));
    expect(await w.store.conversations.get(key)).toBeUndefined();
    expect(await w.store.addresses.get(`local:user:p-${lang}`)).toBeUndefined();
    expect((await w.store.audit.list()).at(-1)).toMatchObject({
      actor: { key },
      action: 'erase_my_data',
      outcome: 'done',
    });
    // Nothing left; a stale "delete" press deletes nothing more.
    await chat.say(command(t, lang, 'show', 'privacy'));
    expect(chat.text).toBe(t(lang, 'privacy:nothing'));
    await chat.press(PRIVACY_ACTIONS.erase);
    expect(chat.text).toBe(t(lang, 'privacy:nothing'));
  });

  it('keeps submitted applications (official records), says so, and the audit log notes which were kept', async () => {
    const w = world({ at: '2025-06-01T10:00:00Z' });
    const id = await submitApplication(w.core, 'ana', 'Bonn', 'DE');
    const chat = new Chat(w.core.assistant, 'ana', 'en-GB');
    await chat.say('my data');
    const file = JSON.parse(chat.last[0]!.files![0]!.content);
    expect(file.applications.map((a: { id: string }) => a.id)).toEqual([id]);
    expect(file.applications[0].answers['contact.email']).toBeTruthy();
    await chat.say('delete my data');
    expect(chat.text).toContain(`Your submitted applications (${id}) are your city's official applications`);
    expect(chat.text).toContain('learningcities@unesco.org');
    await chat.press(PRIVACY_ACTIONS.erase);
    expect(await w.store.conversations.get('local:ana')).toBeUndefined();
    expect((await w.store.applications.get(id))?.status).toBe('submitted');
    expect((await w.store.audit.list()).at(-1)).toMatchObject({
      action: 'erase_my_data',
      detail: `applications kept: ${id}`,
    });
  });
});
