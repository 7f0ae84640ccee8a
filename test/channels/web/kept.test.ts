/** The web chat's notices kept on disk for visitors who are away: written checked, read once, torn lines reported. */
import { appendFileSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeptNotices } from '../../../src/channels/web/kept.ts';
import type { Reply } from '../../../src/core/reply.ts';

const AT = new Date('2025-06-01T10:00:00Z');

describe('web chat: kept notices', () => {
  it('delivers each notice once, oldest first, skips a torn line and says so, refuses a bad visitor id', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-kept-'));
    const warned: Record<string, unknown>[] = [];
    const kept = new KeptNotices(
      dir,
      () => AT,
      (obj) => warned.push(obj),
    );
    const first: Reply = { lang: 'en', text: 'first' };
    const second: Reply = { lang: 'fr', text: 'second' };
    await kept.keep('visitor1', [first]);
    // A crash tore the end of a line written by another process.
    appendFileSync(path.join(dir, 'visitor1.jsonl'), '{"at":"2025-06-01T10:00:00.000Z","replies":[{"lang"\n');
    await kept.keep('visitor1', [second]);
    const got: Reply[][] = [];
    await kept.take('visitor1', async (replies) => {
      got.push(replies);
    });
    expect(got).toEqual([[first], [second]]);
    expect(warned).toEqual([{ visitor: 'visitor1', lines: 1 }]);
    expect(readdirSync(dir)).toEqual([]);
    await kept.take('visitor1', async () => {
      throw new Error('nothing is left to deliver');
    });
    await expect(kept.keep('../etc', [first])).rejects.toThrow(/visitor/);
    await expect(kept.keep('visitor2', [{ text: 'no language' } as Reply])).rejects.toThrow(/lang/);
    expect(existsSync(path.join(dir, 'visitor2.jsonl'))).toBe(false);
  });

  it('keeps again what could not be delivered', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-kept-'));
    const kept = new KeptNotices(dir, () => AT);
    await kept.keep('v', [{ lang: 'en', text: 'a' }]);
    await kept.keep('v', [{ lang: 'en', text: 'b' }]);
    let calls = 0;
    await expect(
      kept.take('v', async () => {
        if (++calls === 2) throw new Error('the page went away');
      }),
    ).rejects.toThrow('the page went away');
    const left: string[] = [];
    await kept.take('v', async (r) => {
      left.push(r[0]!.text);
    });
    expect(left).toEqual(['b']);
  });
});
