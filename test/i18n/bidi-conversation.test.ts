import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { createCore } from '../../src/core/create.ts';
import type { Reply } from '../../src/core/reply.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { answerAll, Chat, command, validAnswers } from '../conversation.ts';
import { createBidi, ltrRuns, visualLines } from '../../scripts/bidi.ts';
import { renderText } from '../../src/channels/local/render.ts';

/**
 * What code puts together, not only the templates: an Arabic application with Latin names, a telephone number,
 * a web and an e-mail address, its review card, its status and its submission, rendered by the bidirectional
 * algorithm line by line and fact by fact. Every left-to-right run reads in order, every line with Arabic in it
 * reads right to left.
 */
describe('an Arabic conversation reads in order', () => {
  it('the review card, the status and the submission', async () => {
    const core = createCore({ clock: fixedClock(new Date('2025-06-01T10:00:00Z')), store: createMemoryStore() });
    const t = core.i18n.t;
    const chat = new Chat(core.assistant, 'bidi-ar');
    const seen: Reply[] = [];
    const keep = () => seen.push(...chat.last);
    await chat.say(command(t, 'ar', 'apply_phrases'));
    keep();
    await answerAll(chat, { ...validAnswers('ar', t), 'city.name': 'Bad Homburg vor der Höhe' }, keep);
    for (const word of ['review', 'status', 'submit', 'yes'] as const) {
      await chat.say(command(t, 'ar', word));
      keep();
    }
    expect(chat.text).toContain('GNLC-2025-KE');
    const bidi = createBidi();
    // As the terminal shows them (a fact's label and value on one line); Slack and Teams put them apart.
    const shown = seen.map((r) => renderText(r));
    const wrong: string[] = [];
    for (const text of shown) {
      for (const { raw, logical, visual, rtl } of visualLines(bidi, text)) {
        if (/\p{Script=Arabic}/u.test(logical) && !rtl) wrong.push(`reads left to right: ${logical}`);
        for (const run of ltrRuns(raw)) if (!visual.includes(run)) wrong.push(`"${run}" reordered: ${visual}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
