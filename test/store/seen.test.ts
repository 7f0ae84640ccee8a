import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SeenFiles } from '../../src/store/seen.ts';

/** The request ids already handled, on disk: what a restarted process still drops as a repeat. */
describe('seen request ids on disk', () => {
  it('claims made at once are written together, each once, and a new process still knows them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gnlc-seen-'));
    let now = Date.UTC(2025, 5, 1, 10, 0, 0);
    const first = new SeenFiles(dir, () => now);
    const ids = Array.from({ length: 50 }, (_, i) => `Ev${i}`);
    // Fifty claims in one tick (one batch), the same fifty again (repeats), then one in the next window.
    const claimed = await Promise.all([...ids, ...ids].map((id) => first.claim(id, 60_000)));
    expect(claimed.filter(Boolean)).toHaveLength(50);
    now += 10 * 60_000;
    expect(await first.claim('EvLater', 30 * 60_000)).toBe(true);
    await first.close();
    const files = readdirSync(path.join(dir, 'seen'));
    expect(files).toHaveLength(2);
    const lines = files.flatMap((f) =>
      readFileSync(path.join(dir, 'seen', f), 'utf8')
        .trim()
        .split('\n'),
    );
    expect(lines.map((l) => JSON.parse(l).key).sort()).toEqual([...ids, 'EvLater'].sort());
    // A restarted process: an id of the last 60 s window has expired, the later one has not.
    const second = new SeenFiles(dir, () => now + 1000);
    expect(await second.claim('EvLater', 60_000)).toBe(false);
    expect(await second.claim('Ev7', 60_000)).toBe(true);
    await second.close();
  });
});
