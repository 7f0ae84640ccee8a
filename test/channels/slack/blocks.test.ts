import { describe, expect, it } from 'vitest';
import {
  BlockRenderer,
  LIMITS,
  parseActionId,
  resolvedBlocks,
  splitPreformatted,
  splitText,
  TRACKED_BLOCK,
} from '../../../src/channels/slack/blocks.ts';
import { slackSettings } from '../../../src/channels/slack/config.ts';
import { mentionsIn, plainText, unescapeMrkdwn } from '../../../src/channels/slack/mrkdwn.ts';
import type { Action, Reply } from '../../../src/core/reply.ts';
import { sharedCore } from '../../helpers.ts';
import { limitErrors, typeErrors, type Sent } from './block-kit-check.ts';

const core = sharedCore();
const render = new BlockRenderer(core.i18n.t);
const asSent = (replies: Reply[]): Sent[] => render.messages(replies).map((m) => ({ kind: 'message', ...m }));

/** A long text of numbered sentences, so every piece can be found again after splitting. */
function longText(sentences: number): string {
  return Array.from({ length: sentences }, (_, i) => `Sentence ${i} says that <cities> & towns keep learning.`).join(
    ' ',
  );
}

describe('Block Kit rendering within Slack’s limits', () => {
  it('splits a long answer into sections and messages without losing a character', () => {
    const text = longText(3000); // ~170,000 characters
    const messages = render.messages([{ lang: 'en', text, actions: [{ id: 'menu', label: 'Menu', value: 'menu' }] }]);
    expect(messages.length).toBeGreaterThan(5);
    const sections = messages.flatMap((m) =>
      m.blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : [])),
    );
    expect(unescapeMrkdwn(sections.join(' ')).replace(/\s+/g, ' ')).toBe(text);
    // The buttons come with the last part only.
    expect(messages.slice(0, -1).every((m) => m.blocks.every((b) => b.type !== 'actions'))).toBe(true);
    expect(messages.at(-1)!.blocks.at(-1)!.type).toBe('actions');
    expect(limitErrors(asSent([{ lang: 'en', text }]))).toEqual([]);
  });

  it('splits at sentence ends when a paragraph is too long', () => {
    const parts = splitText('First sentence here. Second one is longer than the rest of it. Third.', 40);
    expect(parts).toEqual(['First sentence here.', 'Second one is longer than the rest of', 'it. Third.']);
  });

  it('shows up to five choices as buttons and more as a select menu; long labels are visibly shortened', () => {
    const many: Action[] = Array.from({ length: 7 }, (_, i) => ({
      id: 'choose',
      label: `Option ${i} ${'x'.repeat(i === 6 ? 90 : 3)}`,
      value: `f=${i}`,
    }));
    const [msg] = render.messages([
      { lang: 'fr', text: 'Choisissez', actions: [...many, { id: 'skip', label: 'Passer', value: 'skip' }] },
    ]);
    const actions = msg!.blocks.filter((b) => b.type === 'actions');
    const select = (actions[0] as any).elements[0];
    expect(select.type).toBe('static_select');
    expect(select.placeholder.text).toBe(core.i18n.t('fr', 'slack:choose'));
    expect(select.options).toHaveLength(7);
    expect(select.options[6].text.text).toHaveLength(75);
    expect(select.options[6].text.text.endsWith('…')).toBe(true);
    expect((actions[1] as any).elements.map((e: any) => e.type)).toEqual(['button']);
    const five = render.messages([{ lang: 'en', text: 'x', actions: many.slice(0, 5) }])[0]!;
    expect(
      five.blocks.filter((b) => b.type === 'actions').flatMap((b: any) => b.elements.map((e: any) => e.type)),
    ).toEqual(Array(5).fill('button'));
  });

  it('renders the review card as a header and fields, long answers as full sections', () => {
    const long = longText(60);
    const reply: Reply = {
      lang: 'en',
      text: 'Review',
      card: {
        title: 'Application',
        sections: [
          {
            title: 'City',
            facts: [
              ...Array.from({ length: 12 }, (_, i) => ({ label: `Q${i}`, value: `A${i}` })),
              { label: 'Motivation', value: long },
            ],
          },
        ],
      },
    };
    const sent = asSent([reply]);
    const blocks = (sent[0] as any).blocks as any[];
    expect(blocks[1]).toMatchObject({ type: 'header', text: { text: 'Application' } });
    expect(blocks.filter((b) => b.fields).map((b) => b.fields.length)).toEqual([10, 2]);
    expect(
      unescapeMrkdwn(
        blocks
          .filter((b) => b.text && !b.fields)
          .map((b) => b.text.text)
          .join(' '),
      ),
    ).toContain(long.slice(-200));
    expect(limitErrors(sent)).toEqual([]);
    expect(typeErrors(sent)).toEqual([]);
  });

  it('replaces the buttons of a pressed message by a note of the choice', () => {
    const [msg] = render.messages([
      {
        lang: 'en',
        text: 'Pick',
        actions: [
          { id: 'choose', label: 'Yes', value: 'f=yes' },
          { id: 'choose', label: 'No', value: 'f=no' },
        ],
      },
    ]);
    const after = resolvedBlocks(msg!.blocks, 'Yes');
    expect(after.map((b) => b.type)).toEqual(['section', 'context']);
    expect(JSON.stringify(after)).toContain('✓ Yes');
    const id = (msg!.blocks[1] as any).elements[1].action_id;
    expect(parseActionId(id)).toEqual({ id: 'choose', confirmed: false });
    expect(parseActionId('someone_else')).toBeUndefined();
  });

  it('the checks themselves catch a malformed payload and a payload over the limits', () => {
    const bad: Sent[] = [
      { kind: 'message', text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'a' }, colour: 'red' }] },
      {
        kind: 'message',
        text: 'x',
        blocks: [
          { type: 'actions', elements: [{ type: 'buton', action_id: 'a', text: { type: 'plain_text', text: 'b' } }] },
        ],
      },
    ];
    expect(typeErrors(bad).length).toBeGreaterThanOrEqual(2);
    const tooBig: Sent[] = [
      {
        kind: 'message',
        text: '',
        blocks: Array(51).fill({ type: 'section', text: { type: 'mrkdwn', text: 'y'.repeat(3001) } }),
      },
    ];
    const errors = limitErrors(tooBig);
    expect(errors.some((e) => e.includes('no text fallback'))).toBe(true);
    expect(errors.some((e) => e.includes('51 blocks'))).toBe(true);
    expect(errors.some((e) => e.includes('3001 characters'))).toBe(true);
  });
});

/**
 * The content of each file shown in `messages`, read back as a person copying it would:
 * fences off, entities undone.
 */
function filesShown(messages: { blocks: any[] }[], names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  let current: string | undefined;
  for (const b of messages.flatMap((m) => m.blocks)) {
    if (b.type !== 'section' || !b.text) continue;
    let text: string = b.text.text;
    const title = names.find((n) => text.startsWith(`📄 *${n}*`));
    if (title) {
      current = title;
      out[title] = '';
      text = text.slice(`📄 *${title}*`.length).replace(/^\n/, '');
    }
    if (!current || !text.startsWith('```\n')) continue;
    expect(text.endsWith('```')).toBe(true);
    out[current] += unescapeMrkdwn(text.slice(4, -3)).replaceAll('\u200b', '');
  }
  return out;
}

describe('files shown as preformatted text', () => {
  // A CSV export with what breaks naive renderers: entities, mrkdwn, backticks, emoji, trailing spaces,
  // indentation, blank lines, and one line far longer than a section.
  const rows = Array.from(
    { length: 1000 },
    (_, i) => `GNLC-2025-KE-${String(i).padStart(3, '0')},"Town <${i}> & *sons*",endorsed,Ana 🧑🏽‍🏫 \`x\`  `,
  );
  const csv = [
    'id,city,status,by',
    ...rows,
    '',
    '   indented line',
    `"${'long&<>🙂`'.repeat(700)}"`,
    '```',
    'last,line',
  ].join('\n');
  const json = JSON.stringify(
    { applications: rows.slice(0, 50).map((r) => ({ row: r, note: '```code``` & <b>' })) },
    null,
    2,
  );
  const reply: Reply = {
    lang: 'en',
    text: 'Export of the 2025 call.',
    files: [
      { name: 'applications-2025.csv', mime: 'text/csv', content: csv },
      { name: 'applications-2025.json', mime: 'application/json', content: json },
    ],
    actions: [{ id: 'menu', label: 'Menu', value: 'menu' }],
  };

  it('shows every character of every file, in order, split under Slack’s limits', () => {
    const messages = render.messages([reply]);
    expect(messages.length).toBeGreaterThan(3);
    expect(filesShown(messages, ['applications-2025.csv', 'applications-2025.json'])).toEqual({
      'applications-2025.csv': csv,
      'applications-2025.json': json,
    });
    // The text comes first, the buttons last; each message keeps a text fallback.
    expect((messages[0]!.blocks[0] as any).text.text).toBe('Export of the 2025 call.');
    expect(messages.at(-1)!.blocks.at(-1)!.type).toBe('actions');
    expect(messages.every((m) => m.text.length > 0)).toBe(true);
    const sent: Sent[] = messages.map((m) => ({ kind: 'message', ...m }));
    expect(limitErrors(sent)).toEqual([]);
    expect(typeErrors(sent)).toEqual([]);
  });

  it('keeps a file’s name with its first piece and shows an empty file by its name', () => {
    const messages = render.messages([
      {
        lang: 'en',
        text: 'Export',
        files: [
          { name: 'none.csv', mime: 'text/csv', content: '' },
          { name: 'one.json', mime: 'application/json', content: '{}' },
        ],
      },
    ]);
    const texts = messages[0]!.blocks.map((b: any) => b.text.text);
    expect(texts).toEqual(['Export', '📄 *none.csv*', '📄 *one.json*\n```\n{}```']);
  });

  it('splits preformatted text at line ends, else never inside an entity, a surrogate pair or before a fence', () => {
    const text = `ab\n${'x&amp;y&lt;😀`z'.repeat(40)}\n\n  tail &gt;`;
    for (let max = 8; max <= 60; max++) {
      const pieces = splitPreformatted(text, () => max);
      expect(pieces.join('')).toBe(text);
      for (const p of pieces) {
        expect(p.length).toBeLessThanOrEqual(max);
        expect(p).not.toMatch(/&[a-z]{0,3}$/); // no entity cut open
        expect(p).not.toMatch(/[\ud800-\udbff]$/);
        expect(p.endsWith('`')).toBe(false);
      }
    }
    // The first piece can be given less room (the file's name goes with it).
    const [first, second] = splitPreformatted('a'.repeat(LIMITS.sectionText * 2), (i) =>
      i === 0 ? 100 : LIMITS.sectionText,
    );
    expect([first!.length, second!.length]).toEqual([100, LIMITS.sectionText]);
  });

  it('marks the buttons of a tracked reply, and only those, as the core’s to redraw', () => {
    const actions: Action[] = [{ id: 'endorse', label: 'Endorse', value: 'GNLC-2025-KE-001' }];
    const [tracked] = render.messages([{ lang: 'en', text: 'Card', actions, tracked: true }]);
    const [plain] = render.messages([{ lang: 'en', text: 'Card', actions }]);
    expect(tracked!.blocks.filter((b) => b.type === 'actions').map((b) => b.block_id)).toEqual([`${TRACKED_BLOCK}0`]);
    expect(plain!.blocks.filter((b) => b.type === 'actions').map((b) => b.block_id)).toEqual([undefined]);
  });
});

describe('Slack text in and out', () => {
  it('turns what Slack delivers back into what the user typed', () => {
    expect(
      plainText(
        '<@UBOT> mail <mailto:a.b@city.org|a.b@city.org> site <http://www.city.org|www.city.org> &amp; &lt;3',
        'UBOT',
      ),
    ).toBe('mail a.b@city.org site www.city.org & <3');
    expect(plainText('<@UOTHER|ana> see <#C1|general> <!here> <https://x.org>', 'UBOT')).toBe(
      '@ana see #general @here https://x.org',
    );
  });

  it('finds the people a text mentions: each once, in order, with a label’s name, never the bot', () => {
    const raw = '<@UBOT> add <@UANA> <@W0BOB|Bob &amp; co> <#C1|general> <!here> <@UANA|ana> <mailto:a@b.org|a@b.org>';
    expect(mentionsIn(raw, 'UBOT')).toEqual([
      { id: 'UANA', name: 'ana' },
      { id: 'W0BOB', name: 'Bob & co' },
    ]);
    expect(mentionsIn('no one here <#C1> <!channel>', 'UBOT')).toEqual([]);
  });
});

describe('Slack settings', () => {
  it('is off with no SLACK_ variable, and picks Socket Mode or HTTP from what is set', () => {
    expect(slackSettings({})).toBeUndefined();
    expect(slackSettings({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toMatchObject({ mode: 'socket' });
    expect(
      slackSettings({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'http://127.0.0.1:9/api' }),
    ).toEqual({
      mode: 'http',
      botToken: 'xoxb-1',
      signingSecret: 's',
      apiUrl: 'http://127.0.0.1:9/api/',
      appToken: undefined,
    });
  });

  it('stops with a message naming the variable and what to do', () => {
    expect(() => slackSettings({ SLACK_SIGNING_SECRET: 's' })).toThrow(
      /SLACK_BOT_TOKEN is not set.*OAuth & Permissions/s,
    );
    expect(() => slackSettings({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_APP_TOKEN nor SLACK_SIGNING_SECRET/);
    expect(() => slackSettings({ SLACK_BOT_TOKEN: 'xoxp-user', SLACK_APP_TOKEN: 'xapp-1' })).toThrow(
      /must be a bot token starting with "xoxb-"/,
    );
    expect(() => slackSettings({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-2' })).toThrow(
      /SLACK_APP_TOKEN must start with "xapp-"/,
    );
    expect(() =>
      slackSettings({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_API_URL: 'ftp://x' }),
    ).toThrow(/SLACK_API_URL="ftp:\/\/x" is not an http\(s\) URL/);
  });
});
