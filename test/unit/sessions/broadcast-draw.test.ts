// The broadcast screen's geometry and input line (broadcast-draw.ts).
import { describe, expect, it } from 'vitest';
import { tileLayout, typedAfter, typedLine } from '../../../src/sessions/broadcast-draw.js';

describe('tileLayout', () => {
  it('stacks the tiles, each a title and its screen, above the help and input lines', () => {
    const l = tileLayout(140, 30, 2);
    expect(l).toEqual({ cols: 140, height: 13, tiles: [{ top: 1 }, { top: 15 }], helpRow: 29, inputRow: 30 });
  });

  it('shows the tiles that fit when there are more than rows (one screen row each at least)', () => {
    const l = tileLayout(80, 10, 12);
    expect(l.height).toBe(1);
    expect(l.tiles.length).toBe(4);
    expect(l.tiles.at(-1)!.top + l.height).toBeLessThan(l.helpRow);
  });

  it('20x6 does not break: two tiles of one row', () => {
    const l = tileLayout(20, 6, 2);
    expect(l).toEqual({ cols: 20, height: 1, tiles: [{ top: 1 }, { top: 3 }], helpRow: 5, inputRow: 6 });
    expect(tileLayout(20, 2, 3).tiles).toEqual([]);
  });
});

describe('the input line', () => {
  it('shows what was typed since Enter; backspace, Ctrl-U and arrows as a line editor shows them', () => {
    expect(typedAfter('', 'echo hi')).toBe('echo hi');
    expect(typedAfter('echo hi', '\x7f\x7fho')).toBe('echo ho');
    expect(typedAfter('echo', '\x1b[A\x1bOB x')).toBe('echo x');
    expect(typedAfter('echo', '\r')).toBe('');
    expect(typedAfter('echo', '\x15ls')).toBe('ls');
  });

  it('keeps the end of a long line in view', () => {
    expect(typedLine('abcdef', 4)).toBe('cdef');
    expect(typedLine('abc', 4)).toBe('abc');
  });
});
