/**
 * sortSmall must order exactly as Array.prototype.sort does (stable, same comparator), on both
 * sides of the length where it hands over to it.
 */
import { describe, expect, it } from 'vitest';
import { sortSmall } from '../src/sort-small.js';

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function numbers(seed: number, count: number, range: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % range;
  });
}

describe('sortSmall', () => {
  it.each([
    [[], []],
    [[1], [1]],
    [[2, 1], [1, 2]],
    [[3, 1, 2], [1, 2, 3]],
    [[1, 2, 3], [1, 2, 3]],
    [[5, 4, 3, 2, 1], [1, 2, 3, 4, 5]],
  ])('%j → %j', (input, expected) => {
    expect(sortSmall([...input], (a, b) => a - b)).toEqual(expected);
  });

  it('sorts in place and returns the same array', () => {
    const items = [3, 1, 2];
    expect(sortSmall(items, (a, b) => a - b)).toBe(items);
    expect(items).toEqual([1, 2, 3]);
  });

  it.each([2, 3, 8, 16, 17, 40])('keeps equal keys in their order, as Array.prototype.sort does (%i items)', (count) => {
    for (let seed = 1; seed <= 50; seed++) {
      // Few distinct keys, so ties are common; each item remembers where it was.
      const items = numbers(seed, count, 4).map((key, index) => ({ key, index }));
      const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
      expect(sortSmall([...items], byKey)).toEqual([...items].sort(byKey));
    }
  });
});
