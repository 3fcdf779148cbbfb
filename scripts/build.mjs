#!/usr/bin/env node
// Builds dist/ with esbuild (`npm run build` typechecks with tsc first). Why a bundle: loading the
// TypeScript output meant reading and compiling hundreds of small files (ink, react, undici, ...) at
// every start, most of lxtop's CPU before its first frame. Code splitting keeps each lazy
// `await import()` a chunk of its own, so ws, the console, the remote and configuration code still
// load only when they are first needed. dist/meta.json (esbuild's metafile) says which sources each
// output holds: test/faults/startup-modules.test.ts reads it.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inkInternals } from '../src/patches/ink-internals.mjs';
import { yogaWithoutFetch } from '../src/patches/yoga-without-fetch.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist`;
// Chunk names carry a content hash: without a clean dist/ stale ones would pile up. dist/bin (the
// single executables, scripts/build-binary.mjs) is another build's, and stays.
for (const entry of existsSync(outdir) ? readdirSync(outdir) : []) if (entry !== 'bin') rmSync(`${outdir}/${entry}`, { recursive: true, force: true });

// The patches applied when bundling live with the others in src/patches/: yoga-layout decoding its
// WebAssembly without fetch(), and the virtual module through which src/patches/ink-output.ts
// reaches the bundle's own Ink.
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
  // Anything external that lxtop needs at run time would have to be one of package.json's runtime
  // `dependencies`; there are none: everything else is in the bundle (ws's optional bufferutil and
  // utf-8-validate, left out too, are tried in a try/catch).
  external: ['react-devtools-core'],
  plugins: [yogaWithoutFetch, inkInternals(root)],
  // CommonJS packages in the bundle (ws, undici, react) call require() for Node's built-ins, which
  // an ES module does not have.
  banner: { js: "import { createRequire as __lxtopCreateRequire } from 'node:module'; const require = __lxtopCreateRequire(import.meta.url);" },
});
writeFileSync(`${outdir}/meta.json`, JSON.stringify(result.metafile));
