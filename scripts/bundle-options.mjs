// The esbuild options every bundle of lxtop's sources shares: the CLI's build (scripts/build.mjs)
// and the benchmarks that render the App in process (bench/frame-common.mjs), so both run the same
// patched Ink and production React.
import { inkInternals } from '../src/patches/ink-internals.mjs';
import { stringWidthNarrow } from '../src/patches/string-width-narrow.mjs';
import { yogaWithoutFetch } from '../src/patches/yoga-without-fetch.mjs';

export function bundleOptions(root) {
  return {
    absWorkingDir: root,
    bundle: true,
    // Each lazy `await import()` a chunk of its own; Ink's DevTools import stays one never loaded.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    // React and its reconciler pick their development build (several times the CPU per frame) unless
    // this is "production"; with it the development code is not even in the bundle.
    define: { 'process.env.NODE_ENV': '"production"', 'process.env.LXTOP_BUNDLED': '"1"' },
    // Ink loads React DevTools only with DEV=true; it is an optional peer dependency, not installed.
    // Anything external that lxtop needs at run time would have to be one of package.json's runtime
    // `dependencies`; there are none: everything else is in the bundle (ws's optional bufferutil and
    // utf-8-validate, left out too, are tried in a try/catch).
    external: ['react-devtools-core'],
    // The patches applied when bundling live with the others in src/patches/: yoga-layout decoding
    // its WebAssembly without fetch(), and the virtual module through which
    // src/patches/ink-output.ts reaches the bundle's own Ink; string-width measuring lxtop's narrow
    // non-ASCII characters (▁…█, box drawing, braille, …, arrows) by its fast path.
    plugins: [yogaWithoutFetch, stringWidthNarrow, inkInternals(root)],
    // CommonJS packages in the bundle (ws, undici, react) call require() for Node's built-ins, which
    // an ES module does not have.
    banner: { js: "import { createRequire as __lxtopCreateRequire } from 'node:module'; const require = __lxtopCreateRequire(import.meta.url);" },
  };
}
