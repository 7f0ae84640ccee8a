import { describe, expect, it } from 'vitest';
import { Kept } from '../../src/lib/memo.ts';

describe('Kept', () => {
  it('makes a key once, and drops the oldest made past its bound', () => {
    const made: string[] = [];
    const kept = new Kept<string>(2);
    const upper = (k: string) => {
      made.push(k);
      return k.toUpperCase();
    };
    expect(kept.get('a', upper)).toBe('A');
    expect(kept.get('a', upper)).toBe('A');
    expect(kept.get('b', upper)).toBe('B');
    expect(made).toEqual(['a', 'b']);
    // A third key drops "a", the oldest: asked again, it is made again.
    kept.get('c', upper);
    kept.get('b', upper);
    kept.get('a', upper);
    expect(made).toEqual(['a', 'b', 'c', 'a']);
  });
});
