import { describe, expect, it } from 'vitest';
import { DetachDetector, parseDetachSequence } from '../../../src/console/detach.js';

/** Feeds each string as one chunk; returns what was forwarded and whether it detached. */
function run(chunks: string[], spec?: string): { sent: string; detach: boolean } {
  const d = new DetachDetector(parseDetachSequence(spec));
  let sent = '';
  for (const c of chunks) {
    const step = d.feed(Buffer.from(c, 'latin1'));
    sent += step.forward.toString('latin1');
    if (step.detach) return { sent, detach: true };
  }
  return { sent, detach: false };
}

describe('detach sequence', () => {
  it('detaches on ~. at the very start of the session', () => {
    expect(run(['~', '.'])).toEqual({ sent: '', detach: true });
    expect(run(['~.'])).toEqual({ sent: '', detach: true });
  });

  it('detaches on ~. right after Enter (CR in raw mode) or LF, typed byte by byte', () => {
    expect(run(['l', 's', '\r', '~', '.'])).toEqual({ sent: 'ls\r', detach: true });
    expect(run(['ls\n~.'])).toEqual({ sent: 'ls\n', detach: true });
  });

  it('drops whatever follows the sequence in the same chunk', () => {
    expect(run(['\r~.rest'])).toEqual({ sent: '\r', detach: true });
  });

  it('ignores ~. in the middle of a line', () => {
    expect(run(['echo ~.', '\r'])).toEqual({ sent: 'echo ~.\r', detach: false });
    expect(run(['a', '~', '.'])).toEqual({ sent: 'a~.', detach: false });
  });

  it('holds a ~ at line start, then sends it when the next key is something else', () => {
    const d = new DetachDetector(parseDetachSequence(undefined));
    expect(d.feed(Buffer.from('~')).forward.length).toBe(0);
    expect(d.feed(Buffer.from('/')).forward.toString()).toBe('~/');
  });

  it('sends one ~ for ~~ and then leaves line-start state', () => {
    expect(run(['~', '~', '.'])).toEqual({ sent: '~.', detach: false });
  });

  it('keeps Ctrl-C, Ctrl-Z and Ctrl-\\ as bytes', () => {
    expect(run(['\x03', '\x1a', '\x1c'])).toEqual({ sent: '\x03\x1a\x1c', detach: false });
  });

  it('forwards the very chunk when nothing is held (no copy)', () => {
    const d = new DetachDetector(parseDetachSequence(undefined));
    d.feed(Buffer.from('x'));
    const chunk = Buffer.from('some pasted text\rmore');
    expect(d.feed(chunk).forward).toBe(chunk);
  });

  it('is configurable, and a control-character sequence counts anywhere', () => {
    expect(run(['abc\x1d'], '^]')).toEqual({ sent: 'abc', detach: true });
    expect(run(['\r%q'], '%q')).toEqual({ sent: '\r', detach: true });
    expect(run(['\r~.'], '%q')).toEqual({ sent: '\r~.', detach: false });
  });

  it('can be disabled', () => {
    expect(run(['~.'], 'none')).toEqual({ sent: '~.', detach: false });
    expect(run(['~.'], '')).toEqual({ sent: '~.', detach: false });
  });

  it('handles a longer sequence that fails part-way', () => {
    expect(run(['\r', '~', '~', 'x'], '~~.')).toEqual({ sent: '\r~~x', detach: false });
    expect(run(['\r~~', '.'], '~~.')).toEqual({ sent: '\r', detach: true });
  });

  it('after a failed match, Enter re-arms the detector', () => {
    expect(run(['~x\r', '~.'])).toEqual({ sent: '~x\r', detach: true });
  });
});

describe('parseDetachSequence', () => {
  it('decodes ^X notation', () => {
    expect(parseDetachSequence('^]')).toEqual(Buffer.from([0x1d]));
    expect(parseDetachSequence('^a')).toEqual(Buffer.from([0x01]));
    expect(parseDetachSequence(undefined)).toEqual(Buffer.from('~.'));
    expect(parseDetachSequence('none')).toBeNull();
  });
});
