import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.ts';
import { DEFAULT_LIMITS, Limits, loadLimits } from '../../src/channels/limits.ts';

describe('abuse limits', () => {
  it('reads "<count>/<seconds>s" or "off" for each, the defaults for those unset, and names a wrong one', () => {
    expect(loadLimits({})).toEqual(DEFAULT_LIMITS);
    expect(loadLimits({ GNLC_LIMIT_PERSON: '5/60s', GNLC_LIMIT_ADDRESS: 'off' })).toEqual({
      person: { count: 5, seconds: 60 },
      newPeople: DEFAULT_LIMITS.newPeople,
    });
    expect(() => loadLimits({ GNLC_LIMIT_NEW_PEOPLE: '10 per minute' })).toThrow(ConfigError);
    expect(() => loadLimits({ GNLC_LIMIT_NEW_PEOPLE: '0/60s' })).toThrow(
      /GNLC_LIMIT_NEW_PEOPLE="0\/60s": count and seconds must be at least 1/,
    );
  });

  const perAddressLimits =
    'counts per address, tells a person once when they go over, and lets an address bring only so many new people';
  it(perAddressLimits, async () => {
    const limits = new Limits({
      address: { count: 3, seconds: 60 },
      person: { count: 2, seconds: 60 },
      newPeople: { count: 2, seconds: 60 },
    });
    expect([await limits.fromAddress('a'), await limits.fromAddress('a'), await limits.fromAddress('a')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(await limits.fromAddress('a')).toBeGreaterThan(0);
    expect(await limits.fromAddress('b')).toBeUndefined();
    const verdicts = [];
    for (let i = 0; i < 5; i++) verdicts.push(await limits.ofPerson('p'));
    expect(verdicts).toEqual(['ok', 'ok', 'tell', 'drop', 'drop']);
    const isNew = async () => false;
    expect(await limits.newPerson('a', 'n1', isNew)).toBeUndefined();
    expect(await limits.newPerson('a', 'n2', isNew)).toBeUndefined();
    expect(await limits.newPerson('a', 'n3', isNew)).toBeGreaterThan(0);
    // Known people (seen, or in the store) are not new.
    expect(await limits.newPerson('a', 'n1', isNew)).toBeUndefined();
    expect(await limits.newPerson('a', 'old', async () => true)).toBeUndefined();
    // A store that cannot answer does not turn the request into a failure (the turn reports the store's problem).
    expect(
      await limits.newPerson('a', 'unknown', async () => {
        throw new Error('damaged record');
      }),
    ).toBeUndefined();
  });
});
