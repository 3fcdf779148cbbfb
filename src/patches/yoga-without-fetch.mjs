// Patch (applied when bundling, by scripts/build.mjs): yoga-layout 3.2.1, Ink's layout engine,
// decodes its inlined WebAssembly directly instead of through fetch().
//
// Works around a cost: yoga-layout carries its WebAssembly as a base64 data: URL and, when a global
// fetch exists (Node ≥ 18), reads it through fetch(). That loads Node's internal copy of undici
// (fetch, web streams, zlib) to decode a string: ~30-40 ms of CPU before Ink's first frame
// (9d2a1d4). Without fetch the same file decodes the string itself; this plugin makes yoga take
// that way by replacing its two `"function"!=typeof fetch` tests with `!0`.
//
// Guard: the build stops when the file no longer holds exactly those two tests (patchYogaSource
// throws), and test/unit/patches/guards.test.ts fails when the installed yoga-layout is not the one
// pinned (src/patches/pins.ts, package.json's overrides) or the patch no longer applies to it.
//
// What would let it go: a yoga-layout that decodes its inlined WebAssembly without fetch() (or
// ships it as a file beside its code), or a Node whose fetch is cheap to load.
import { readFileSync } from 'node:fs';

/** The file the plugin rewrites, and the test it replaces there. */
export const YOGA_FILE = /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/;
const FETCH_CHECK = '"function"!=typeof fetch';
const FETCH_CHECKS = 2;

/** yoga's source with the fetch tests replaced; throws when it does not hold exactly two. */
export function patchYogaSource(text, path = 'yoga-wasm-base64-esm.js') {
  const count = text.split(FETCH_CHECK).length - 1;
  if (count !== FETCH_CHECKS) {
    throw new Error(`${path}: expected ${FETCH_CHECKS} fetch checks, found ${count}; see src/patches/yoga-without-fetch.mjs`);
  }
  return text.replaceAll(FETCH_CHECK, '!0');
}

/** The esbuild plugin. */
export const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: YOGA_FILE }, (args) => ({ contents: patchYogaSource(readFileSync(args.path, 'utf8'), args.path), loader: 'js' }));
  },
};
