import { describe, expect, it } from 'vitest';
import { FAQ_ACTIONS } from '../../../src/core/actions.ts';
import { coreAt } from '../../helpers.ts';

const OPEN = '2025-06-01T10:00:00Z';

describe('answers for the asker', () => {
  it('a city asking for the commission deadline gets its own date first; a commission gets its own', async () => {
    const core = coreAt(OPEN);
    const now = core.clock.now();
    const city = { platform: 'local' as const, user: { id: 'focal' }, room: { id: 'dm:focal', direct: true } };
    const [forCity] = await core.assistant.handle({
      ...city,
      action: { id: FAQ_ACTIONS.topic, value: 'commission-deadline' },
    });
    expect(forCity!.faqId).toBe('commission-deadline');
    expect(forCity!.text.startsWith(core.assistant.answers.callSummary('en', now))).toBe(true);
    // An endorser (the local demo: whoever speaks in a commission's room) reads the commission's date first.
    const officer = {
      platform: 'local' as const,
      user: { id: 'officer' },
      room: { id: 'commission-DE', direct: false },
    };
    const [forCommission] = await core.assistant.handle({
      ...officer,
      action: { id: FAQ_ACTIONS.topic, value: 'commission-deadline' },
    });
    expect(forCommission!.text.startsWith(core.assistant.answers.callSummary('en', now))).toBe(false);
    expect(forCity!.text.endsWith(forCommission!.text)).toBe(true);
  });
});
