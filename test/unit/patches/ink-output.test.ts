// src/patches/ink-output.ts replaces Ink's Output#get: the frames it builds must be the very bytes
// Ink's own builds, for generated frames (styled lines, wide and combining characters, several
// writes on a row, clips, rows out of range) and across frames (its row cache). Never skipped: when
// the patch does not install (another Ink), these fail, and guards.test.ts says why.
import { describe, expect, it } from 'vitest';
import { inkOutput, makeFastGet, makeLineNormaliser } from '../../../src/patches/ink-output.js';

// A small deterministic generator.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const CODES = [
  '\x1b[0m', '\x1b[m', '\x1b[1m', '\x1b[2m', '\x1b[22m', '\x1b[7m', '\x1b[27m', '\x1b[4m', '\x1b[24m', '\x1b[31m', '\x1b[32m',
  '\x1b[39m', '\x1b[90m', '\x1b[33m', '\x1b[41m', '\x1b[49m', '\x1b[1;31m', '\x1b[38;5;208m', '\x1b[38;2;1;2;3m', '\x1b[3m',
  '\x1b[23m', '\x1b[9m', '\x1b[29m',
];
const TEXTS = [
  'fake-1', ' ', '   ', 'Running', '50.0%', '↑', '…', '⟳', '—', '漢字', 'é', 'e\u0301', '\u0301', '👍', '👍🏽', '🇫🇷', 'a\u200db',
  '\x1b', '\x1b]8;;http://x\x07link\x1b]8;;\x07', '\x9b', '\x1b[5', 'm', '\x1b[?25l', '\t', 'x\ufe0f', '',
];

function line(r: () => number): string {
  let s = '';
  const n = Math.floor(r() * 8);
  for (let i = 0; i < n; i++) s += r() < 0.45 ? CODES[Math.floor(r() * CODES.length)] : TEXTS[Math.floor(r() * TEXTS.length)];
  return s;
}

const parts = inkOutput;

describe('the faster Ink Output#get', () => {
  it('is installed over Ink’s', () => {
    expect(parts, 'not installed: see test/unit/patches/guards.test.ts').not.toBeNull();
    expect(parts!.Output.prototype.get).not.toBe(parts!.originalGet);
  });

  it('normalises a line as Ink’s tokenizer does', () => {
    const tok = parts!.tok;
    const normalise = makeLineNormaliser(tok);
    const r = rng(1);
    for (let i = 0; i < 20_000; i++) {
      const l = line(r);
      expect(normalise(l), JSON.stringify(l)).toBe(tok.styledCharsToString(tok.styledCharsFromTokens(tok.tokenize(l))));
    }
  });

  it('builds the frames Ink builds, frame after frame', () => {
    const { Output, originalGet } = parts!;
    const fast = makeFastGet(parts!);
    const r = rng(2);
    const OutputCtor = Output as unknown as new (o: { width: number; height: number }) => {
      write(x: number, y: number, text: string, o: { transformers: ((s: string, i: number) => string)[] }): void;
      clip(c: object): void;
      unclip(): void;
    };
    const upper = (s: string) => s.toUpperCase();
    const bold = (s: string) => `\x1b[1m${s}\x1b[22m`;
    const frames: (() => void)[] = [];
    for (let f = 0; f < 600; f++) {
      const width = [20, 40, 80][Math.floor(r() * 3)];
      const height = 1 + Math.floor(r() * 8);
      const ops: ((o: InstanceType<typeof OutputCtor>) => void)[] = [];
      const n = Math.floor(r() * 10);
      let clipped = 0;
      for (let i = 0; i < n; i++) {
        const kind = r();
        if (kind < 0.1) {
          const c = { x1: Math.floor(r() * 10), x2: 10 + Math.floor(r() * 30), y1: r() < 0.5 ? Math.floor(r() * 3) : undefined, y2: r() < 0.5 ? 2 + Math.floor(r() * 6) : undefined };
          ops.push((o) => o.clip(c));
          clipped++;
        } else if (kind < 0.15 && clipped > 0) {
          ops.push((o) => o.unclip());
          clipped--;
        } else {
          const x = r() < 0.6 ? 0 : r() < 0.9 ? Math.floor(r() * (width + 3)) : -1;
          const y = r() < 0.9 ? Math.floor(r() * height) : r() < 0.5 ? -1 : height + 1;
          const lines = Array.from({ length: 1 + Math.floor(r() * 3) }, () => line(r) || 'x');
          const transformers = r() < 0.3 ? [upper] : r() < 0.3 ? [bold, upper] : [];
          ops.push((o) => o.write(x, y, lines.join('\n'), { transformers }));
        }
      }
      frames.push(() => {
        const a = new OutputCtor({ width, height });
        const b = new OutputCtor({ width, height });
        for (const op of ops) {
          op(a);
          op(b);
        }
        const want = originalGet.call(a as never);
        expect(fast.call(b as never)).toEqual(want);
      });
    }
    // Each frame twice, and some again later: the second build comes from the row cache.
    for (const [i, frame] of frames.entries()) {
      frame();
      frame();
      if (i > 0 && i % 7 === 0) frames[i - 1]();
    }
  });
});
