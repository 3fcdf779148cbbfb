// Patch (applied when bundling, by scripts/build.mjs): string-width 8.3.0, which Ink and cli-truncate
// measure every line of every frame with, takes its fast path (width = length) for the narrow
// characters lxtop draws, not only for printable ASCII.
//
// Works around a cost: a line with one character outside 0x20-0x7E (a sparkline's ▁▂▃, a box or
// braille graph, the … of a cut cell, the ↑/↓ of a footer) goes through Intl.Segmenter and several
// Unicode-property regular expressions per character: 305 µs for a 160-column line against 2.6 µs
// for an ASCII one, measured with the history column on (idle CPU +0.7 to +1.9 % of a core with 50
// rows). The characters added here are all one column wide when East Asian "ambiguous" characters
// are narrow (string-width's default, ambiguousIsNarrow): U+2026 …, the arrows U+2190-U+2193, box
// drawing and block elements U+2500-U+259F (East Asian Width A or N) and braille U+2800-U+28FF (N).
// With ambiguousIsNarrow false the original path runs.
//
// Guard: the build stops when the file no longer holds the ASCII fast path this extends
// (patchStringWidthSource throws), and test/unit/patches/guards.test.ts fails when the installed
// string-width is not the pinned one, or the patched function measures any of those characters, or
// a sample of other text, differently from the original.
//
// What would let it go: a string-width whose fast path covers these characters.
import { readFileSync } from 'node:fs';

export const STRING_WIDTH_FILE = /[\\/]node_modules[\\/]string-width[\\/]index\.js$/;
/** A copy nested under another package (wrap-ansi's string-width 7): not the one pinned. */
const NESTED = /node_modules[\\/](@[^\\/]+[\\/])?[^\\/]+[\\/]node_modules[\\/]string-width[\\/]/;
const FAST_PATH = "\tif (/^[\\u0020-\\u007E]*$/.test(string)) {\n\t\treturn string.length;\n\t}";
const NARROW = "\tif (ambiguousIsNarrow && /^[\\u0020-\\u007E\\u2026\\u2190-\\u2193\\u2500-\\u259F\\u2800-\\u28FF]*$/.test(string)) {\n\t\treturn string.length;\n\t}\n";

/** string-width's source with the narrow fast path before its ASCII one; throws when that is not there once. */
export function patchStringWidthSource(text, path = 'string-width/index.js') {
  const count = text.split(FAST_PATH).length - 1;
  if (count !== 1) throw new Error(`${path}: expected string-width's ASCII fast path once, found ${count}; see src/patches/string-width-narrow.mjs`);
  return text.replace(FAST_PATH, `${NARROW}${FAST_PATH}`);
}

/** The esbuild plugin: only string-width 8 has the fast path (wrap-ansi's own 7.x is left as it is). */
export const stringWidthNarrow = {
  name: 'string-width-narrow',
  setup(b) {
    b.onLoad({ filter: STRING_WIDTH_FILE }, (args) =>
      NESTED.test(args.path) ? undefined : { contents: patchStringWidthSource(readFileSync(args.path, 'utf8'), args.path), loader: 'js' },
    );
  },
};
