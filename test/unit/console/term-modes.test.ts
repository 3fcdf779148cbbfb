import { describe, expect, it } from 'vitest';
import { TermModeTracker } from '../../../src/console/term-modes.js';

const feed = (t: TermModeTracker, s: string): void => t.feed(Buffer.from(s, 'latin1'));

describe('TermModeTracker', () => {
  it('restores nothing when the program put everything back', () => {
    const t = new TermModeTracker();
    feed(t, 'hello\x1b[?1049h\x1b[?25lvim\x1b[?25h\x1b[?1049l');
    expect(t.restoreSequence()).toBe('');
  });

  it('leaves the alternate screen first, then shows the cursor', () => {
    const t = new TermModeTracker();
    feed(t, '\x1b[?1049h\x1b[?25l\x1b[?2004h');
    expect(t.restoreSequence()).toBe('\x1b[?1049l\x1b[?25h\x1b[?2004l');
  });

  it('follows combined modes (ESC[?1000;1006h)', () => {
    const t = new TermModeTracker();
    feed(t, '\x1b[?1000;1006h');
    expect([...t.modes].sort()).toEqual([1000, 1006]);
  });

  it('joins a sequence cut between chunks', () => {
    for (const cut of [1, 2, 3, 5, 7]) {
      const t = new TermModeTracker();
      const seq = 'abc\x1b[?1049h';
      feed(t, seq.slice(0, 3 + cut));
      feed(t, seq.slice(3 + cut) + 'more');
      expect([...t.modes], `cut at ${cut}`).toEqual([1049]);
    }
  });

  it('ignores modes it does not undo and other CSI sequences', () => {
    const t = new TermModeTracker();
    feed(t, '\x1b[?7l\x1b[2J\x1b[?12h');
    expect(t.restoreSequence()).toBe('');
  });
});
