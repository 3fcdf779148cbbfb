#!/usr/bin/env node
// Builds dist/ with esbuild (`npm run build` typechecks with tsc first). Why a bundle: loading the
// TypeScript output meant reading and compiling hundreds of small files (ink, react, undici, ...) at
// every start, most of lxtop's CPU before its first frame. Code splitting keeps each lazy
// `await import()` a chunk of its own, so ws, the console, the remote and configuration code still
// load only when they are first needed. dist/meta.json (esbuild's metafile) says which sources each
// output holds: test/faults/startup-modules.test.ts reads it.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist`;
// Chunk names carry a content hash: without a clean dist/ stale ones would pile up.
rmSync(outdir, { recursive: true, force: true });

// Ink's layout engine (yoga-layout) carries its WebAssembly as a base64 data: URL and, when a global
// fetch exists, reads it through fetch(): that loads Node's internal copy of undici (fetch, web
// streams, zlib), ~30 ms of CPU before Ink's first frame, to decode a string. Without fetch the
// same file decodes it directly. If a new yoga-layout changes this code the build stops here.
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const check = '"function"!=typeof fetch';
      const count = text.split(check).length - 1;
      if (count !== 2) throw new Error(`${args.path}: expected 2 fetch checks, found ${count}; see scripts/build.mjs`);
      return { contents: text.replaceAll(check, '!0'), loader: 'js' };
    });
  },
};

// src/views/ink-output.ts replaces Ink's Output#get with a faster one. In the bundle it must patch
// the bundle's own Ink, not the copy in node_modules: this virtual module re-exports Ink's Output
// and its tokenizer by their paths, which esbuild merges with the modules Ink itself imports.
const inkInternals = {
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

const result = await build({
  absWorkingDir: root,
  entryPoints: {
    cli: 'src/cli.tsx',
    // The benchmarks' own client (bench/tui-common.mjs, bench/list-instances.mjs).
    'lxd/index': 'src/lxd/index.ts',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
  // React and its reconciler pick their development build (several times the CPU per frame) unless
  // this is "production"; with it the development code is not even in the bundle.
  define: { 'process.env.NODE_ENV': '"production"', 'process.env.LXTOP_BUNDLED': '"1"' },
  // Ink loads React DevTools only with DEV=true; it is an optional peer dependency, not installed.
  external: ['react-devtools-core'],
  plugins: [yogaWithoutFetch, inkInternals],
  // CommonJS packages in the bundle (ws, undici, react) call require() for Node's built-ins, which
  // an ES module does not have.
  banner: { js: "import { createRequire as __lxtopCreateRequire } from 'node:module'; const require = __lxtopCreateRequire(import.meta.url);" },
});
writeFileSync(`${outdir}/meta.json`, JSON.stringify(result.metafile));
