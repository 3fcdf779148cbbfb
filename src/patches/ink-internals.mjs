// Part of the ink-output.ts patch, for the bundle (scripts/build.mjs): ink-output.ts replaces Ink's
// Output#get, and in the bundle it must patch the bundle's own Ink, not the copy in node_modules.
// This esbuild plugin provides the virtual module `lxtop:ink-internals` (ink-internals.d.ts): it
// re-exports Ink's Output and its tokenizer by their paths, which esbuild merges with the modules
// Ink itself imports (test/faults/startup-modules.test.ts checks the bundle holds one of each), and
// the installed Ink's version, which ink-output.ts compares with pins.ts before patching.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** @param {string} root the repository (with a trailing slash), where package.json is */
export function inkInternals(root) {
  return {
    name: 'ink-internals',
    setup(b) {
      b.onResolve({ filter: /^lxtop:ink-internals$/ }, () => ({ path: 'ink-internals', namespace: 'lxtop' }));
      b.onLoad({ filter: /.*/, namespace: 'lxtop' }, () => {
        const req = createRequire(`${root}package.json`);
        const inkEntry = req.resolve('ink');
        const inkDir = dirname(dirname(inkEntry));
        const tokPkg = createRequire(inkEntry).resolve('@alcalzone/ansi-tokenize/package.json');
        const { version } = JSON.parse(readFileSync(join(inkDir, 'package.json'), 'utf8'));
        return {
          contents: [
            `export { default as Output } from ${JSON.stringify(join(dirname(inkEntry), 'output.js'))};`,
            `export * as tok from ${JSON.stringify(join(dirname(tokPkg), 'build/index.js'))};`,
            `export const version = ${JSON.stringify(version)};`,
          ].join('\n'),
          resolveDir: root,
          loader: 'js',
        };
      });
    },
  };
}
