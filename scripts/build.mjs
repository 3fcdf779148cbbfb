#!/usr/bin/env node
// Builds dist/ with esbuild (`npm run build` typechecks with tsc first). Why a bundle: loading the
// TypeScript output meant reading and compiling hundreds of small files (ink, react, undici, ...) at
// every start, most of lxtop's CPU before its first frame. Code splitting keeps each lazy
// `await import()` a chunk of its own, so ws, the console, the remote and configuration code still
// load only when they are first needed. dist/meta.json (esbuild's metafile) says which sources each
// output holds: test/faults/startup-modules.test.ts reads it.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleOptions } from './bundle-options.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist`;
// Chunk names carry a content hash: without a clean dist/ stale ones would pile up. dist/bin (the
// single executables, scripts/build-binary.mjs) is another build's, and stays.
for (const entry of existsSync(outdir) ? readdirSync(outdir) : []) if (entry !== 'bin') rmSync(`${outdir}/${entry}`, { recursive: true, force: true });

const result = await build({
  ...bundleOptions(root),
  entryPoints: {
    cli: 'src/main.ts',
    // The benchmarks' own client (bench/tui-common.mjs, bench/list-instances.mjs).
    'lxd/index': 'src/lxd/index.ts',
  },
  outdir,
  minify: true,
  sourcemap: 'linked',
  metafile: true,
  chunkNames: 'chunks/[name]-[hash]',
});
writeFileSync(`${outdir}/meta.json`, JSON.stringify(result.metafile));
// The `lxtop` command itself (package.json "bin"): a shell launcher for cli.js (why: scripts/launcher.sh).
copyFileSync(`${root}scripts/launcher.sh`, `${outdir}/lxtop`);
chmodSync(`${outdir}/lxtop`, 0o755);
