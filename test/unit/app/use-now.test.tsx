// useNow: the tables' clock. A fixed clock in tests; otherwise a tick every `ms`, skipped when the
// caller says the frame would not change.
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { useNow } from '../../../src/app/use-now.js';
import { settle } from '../views/helpers.js';

const T0 = Date.parse('2025-01-15T12:00:00Z');

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function Clock({ ms, fixed, unchanged }: { ms: number; fixed?: () => number; unchanged?: { current: (at: number) => boolean } }) {
  return <Text>{String(useNow(ms, fixed, unchanged) - T0)}</Text>;
}

describe('useNow', () => {
  it('reads a fixed clock every render and starts no timer', async () => {
    vi.useFakeTimers({ now: T0, toFake: ['setInterval', 'clearInterval', 'Date'] });
    let at = T0 + 5;
    const r = render(<Clock ms={1000} fixed={() => at} />);
    await settle(10);
    expect(r.lastFrame()).toBe('5');
    expect(vi.getTimerCount()).toBe(0);
    at = T0 + 7;
    r.rerender(<Clock ms={1000} fixed={() => at} />);
    await settle(10);
    expect(r.lastFrame()).toBe('7');
  });

  it('ticks every ms, and skips the ticks the caller calls unchanged', async () => {
    vi.useFakeTimers({ now: T0, toFake: ['setInterval', 'clearInterval', 'Date'] });
    const unchanged = { current: (at: number) => at - T0 < 3000 };
    const r = render(<Clock ms={1000} unchanged={unchanged} />);
    await settle(10);
    expect(r.lastFrame()).toBe('0');
    const frames = r.frames.length;
    await vi.advanceTimersByTimeAsync(2000);
    await settle(10);
    expect(r.frames.length).toBe(frames);
    await vi.advanceTimersByTimeAsync(1000);
    await settle(10);
    expect(r.lastFrame()).toBe('3000');
    r.rerender(<Clock ms={15_000} unchanged={{ current: () => false }} />);
    await vi.advanceTimersByTimeAsync(14_000);
    await settle(10);
    expect(r.lastFrame()).toBe('3000');
    await vi.advanceTimersByTimeAsync(1000);
    await settle(10);
    expect(r.lastFrame()).toBe('18000');
    r.unmount();
    expect(vi.getTimerCount()).toBe(0);
  });
});
