// The exact versions the patches in this folder were written against and read: package.json pins
// each of them (ink in devDependencies, the others, which Ink brings, in overrides), and
// test/unit/patches/guards.test.ts fails when the pin, this table or what is installed differ.
// Upgrading one of them means reading every patch that names it again, then changing all three.
export const WRITTEN_FOR = {
  /** ink-output.ts, ink-stdout.ts, ink-ci-env.ts */
  ink: '6.8.0',
  /** ink-output.ts: the ANSI tokenizer Ink's Output uses, whose functions the fast path calls */
  '@alcalzone/ansi-tokenize': '0.2.5',
  /** ink-ci-env.ts: what Ink asks "is this CI?" */
  'is-in-ci': '2.0.0',
  /** string-width-narrow.mjs: how Ink and cli-truncate measure a line, patched when bundling */
  'string-width': '8.3.0',
  /** yoga-without-fetch.mjs: Ink's layout engine, patched when bundling */
  'yoga-layout': '3.2.1',
} as const;

export type PinnedPackage = keyof typeof WRITTEN_FOR;
