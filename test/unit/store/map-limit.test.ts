import { describe, expect, it } from 'vitest';
import { mapLimit } from '../../../src/store/map-limit.js';

describe('mapLimit', () => {
  it('runs at most `limit` at once and survives a throwing worker', async () => {
    let active = 0;
    let max = 0;
    const seen: number[] = [];
    await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      active++;
      max = Math.max(max, active);
      await new Promise((r) => setTimeout(r, 1));
      active--;
      if (n === 2) throw new Error('boom');
      seen.push(n);
    });
    expect(max).toBe(3);
    expect(seen.sort()).toEqual([1, 3, 4, 5, 6, 7]);
  });
});
