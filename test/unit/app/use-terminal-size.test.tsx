// useTerminalSize: a fixed size when given one; else the terminal's, following resizes, with the
// screen wiped and the last frame drawn again whole on a resize.
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { useTerminalSize } from '../../../src/app/use-terminal-size.js';
import { CLEAR_SCREEN } from '../../../src/terminal.js';
import { settle } from '../views/helpers.js';

afterEach(() => cleanup());

function Size({ cols, rows }: { cols?: number; rows?: number }) {
  const size = useTerminalSize({ cols, rows });
  return <Text>{`${size.cols}x${size.rows}`}</Text>;
}

describe('useTerminalSize', () => {
  it('a fixed size wins and ignores resizes', async () => {
    const r = render(<Size cols={60} rows={12} />);
    await settle(10);
    expect(r.lastFrame()).toBe('60x12');
    r.stdout.emit('resize');
    await settle(10);
    expect(r.lastFrame()).toBe('60x12');
    expect(r.stdout.listenerCount('resize')).toBeLessThanOrEqual(1); // Ink's own, not ours
  });

  it('follows the terminal (24 rows when it does not say), wiping the screen on a resize', async () => {
    const r = render(<Size />);
    await settle(10);
    expect(r.lastFrame()).toBe('100x24');
    Object.defineProperty(r.stdout, 'columns', { value: 72, configurable: true });
    Object.defineProperty(r.stdout, 'rows', { value: 30, configurable: true });
    const before = r.frames.length;
    r.stdout.emit('resize');
    await settle(20);
    expect(r.lastFrame()).toBe('72x30');
    expect(r.frames.slice(before).some((f) => f.includes(CLEAR_SCREEN))).toBe(true);
    r.unmount();
    expect(r.stdout.listenerCount('resize')).toBe(0);
  });
});
