import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTimers } from '../../../src/store/timers.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('named timers', () => {
  it('one timer per name: scheduling again replaces it; has() while it waits', async () => {
    const t = createTimers(() => true);
    const fired: string[] = [];
    t.schedule('a', 100, () => void fired.push('first'));
    t.schedule('a', 200, () => void fired.push('second'));
    expect(t.has('a')).toBe(true);
    await vi.advanceTimersByTimeAsync(150);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(50);
    expect(fired).toEqual(['second']);
    expect(t.has('a')).toBe(false);
  });

  it('nothing is scheduled, and nothing fires, while inactive; clearAll drops every timer', async () => {
    let active = false;
    const t = createTimers(() => active);
    const fn = vi.fn();
    t.schedule('a', 10, fn);
    expect(t.has('a')).toBe(false);
    active = true;
    t.schedule('a', 10, fn);
    t.schedule('b', 10, fn);
    active = false;
    await vi.advanceTimersByTimeAsync(20);
    expect(fn).not.toHaveBeenCalled();
    active = true;
    t.schedule('a', 10, fn);
    t.schedule('b', -5, fn); // a negative delay is 0
    t.clearAll();
    await vi.advanceTimersByTimeAsync(20);
    expect(fn).not.toHaveBeenCalled();
    expect(t.has('a') || t.has('b')).toBe(false);
  });

  it('repeat: first run after `first` (default the period), then every period after each run', async () => {
    let active = true;
    const t = createTimers(() => active);
    const now: number[] = [];
    const later: number[] = [];
    t.repeat('now', 1000, () => void now.push(Date.now()), 0);
    t.repeat('later', 1000, () => void later.push(Date.now()));
    await vi.advanceTimersByTimeAsync(2500);
    expect(now).toEqual([0, 1000, 2000]);
    expect(later).toEqual([1000, 2000]);
    active = false;
    await vi.advanceTimersByTimeAsync(2000);
    expect(now.length + later.length).toBe(5);
  });
});
