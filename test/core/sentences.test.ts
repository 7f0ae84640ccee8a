import { describe, expect, it } from 'vitest';
import { sentences } from '../../src/core/lang.ts';
import { coreAt } from '../helpers.ts';

describe('sentences of one message', () => {
  it('are spaced, except in Chinese', () => {
    expect(sentences('fr', ['Une phrase.', 'Une autre.'])).toBe('Une phrase. Une autre.');
    expect(sentences('zh', ['这看起来不像网址。', '示例：https://www.hangzhou.gov.cn'])).toBe(
      '这看起来不像网址。示例：https://www.hangzhou.gov.cn',
    );
  });

  it('a Chinese alert setting reads without a space between its sentences', async () => {
    const core = coreAt('2025-06-01T10:00:00Z');
    const t = core.i18n.t;
    const turn = (text: string) =>
      core.assistant.handle({
        platform: 'local',
        user: { id: 'zh-alerts', locale: 'zh-CN' },
        room: { id: 'dm', direct: true },
        text,
      });
    await turn(t('zh', 'alerts:commands.subscribe').split('|')[0]!);
    const [reply] = await turn(t('zh', 'alerts:commands.alerts').split('|')[0]!);
    expect(reply!.text).toBe(t('zh', 'alerts:settings_on') + t('zh', 'alerts:settings_next_call'));
    expect(reply!.text).not.toMatch(/。 /u);
  });
});
