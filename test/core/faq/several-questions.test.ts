import { describe, expect, it } from 'vitest';
import { Chat } from '../../conversation.ts';
import { coreAt } from '../../helpers.ts';

/** A message of several questions gets an answer to each, in its order; one question, one answer. */
describe('several questions in one message', () => {
  const core = coreAt('2025-06-01T10:00:00Z');
  const asked = async (user: string, text: string) => {
    const chat = new Chat(core.assistant, user);
    return (await chat.say(text)).map((r) => r.faqId);
  };

  it.each([
    ['en', 'Hello, who can apply? And when is the deadline?', ['eligibility', 'deadline']],
    ['fr', 'Qui peut postuler ? Quels sont les avantages ?', ['eligibility', 'benefits']],
    ['es', '¿Quién puede postular? ¿Cuándo es la fecha límite?', ['eligibility', 'deadline']],
    ['zh', '谁可以申请？截止日期是什么时候？', ['eligibility', 'deadline']],
  ])('%s: each question answered', async (lang, text, ids) => {
    expect(await asked(`several-${lang}`, text)).toEqual(ids);
  });

  it('one question, or a greeting and a question, gets one answer', async () => {
    expect(await asked('one-1', 'Who can apply?')).toEqual(['eligibility']);
    expect(await asked('one-2', 'Bonjour ? Qui peut postuler ?')).toEqual(['eligibility']);
    expect(await asked('one-3', 'Who can apply? Who is eligible?')).toEqual(['eligibility']);
  });
});
