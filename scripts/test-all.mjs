#!/usr/bin/env node
// `npm test` after the builds: the whole suite on the machine's node (binary.test.ts among it,
// through dist/bin), then the unit suite again on Node 24, the binary's base (pinned in
// binary/node24-<arch>, from the npm registry), then the exec and remote end-to-end suites through
// the binary (LXTOP_TEST_BINARY: the console, signals, remotes with their certificates). Each pass ends with the summary reporter's line;
// the last line here adds them up (`N passed, N failed`), as CI reads it. A pass that
// prints no total (its runner died) counts as one failure.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pinnedNode } from './build-binary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = `${root}node_modules/vitest/vitest.mjs`;
const args = process.argv.slice(2); // e.g. file filters, passed to the first pass only
const arch = process.arch === 'arm64' ? 'arm64' : 'x64';

const passes = [
  { label: `node ${process.version}, every test`, node: process.execPath, args: ['run', '--config', 'test/vitest.config.ts', ...args] },
  { label: 'Node 24 (the binary\'s), unit tests', node: pinnedNode(`node24-${arch}`, arch), args: ['run', '--config', 'test/vitest.config.ts', 'test/unit'] },
  {
    label: 'through the binary, exec and remote end-to-end tests',
    node: process.execPath,
    args: ['run', '--config', 'test/vitest.config.ts', 'test/e2e/exec-lxd.test.ts', 'test/e2e/remote-cli.test.ts'],
    env: { LXTOP_TEST_BINARY: `${root}dist/bin/lxtop-linux-${arch}` },
  },
];
if (args.length > 0) passes.length = 1;

function runPass({ node, args: passArgs, env = {} }) {
  return new Promise((resolve) => {
    const child = spawn(node, [vitest, ...passArgs], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b) => {
      process.stdout.write(b);
      out += b.toString();
    });
    child.on('close', (code) => {
      const last = [...out.matchAll(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm)].at(-1);
      // The summary reporter's lines naming failed tests and those that passed only on a retry.
      const named = out.match(/^(?:FAILED|PASSED ON RETRY) .*$/gm) ?? [];
      resolve({ code, counts: last ? last.slice(1).map((n) => Number(n ?? 0)) : null, named });
    });
  });
}

const total = [0, 0, 0];
let status = 0;
const lines = [];
const namedTests = [];
for (const pass of passes) {
  console.log(`\n== ${pass.label}`);
  const { code, counts, named } = await runPass(pass);
  namedTests.push(...named.map((line) => `${line}  [${pass.label}]`));
  const [p, f, s] = counts ?? [0, 1, 0];
  total[0] += p;
  total[1] += f;
  total[2] += s;
  if (code !== 0 || counts === null) status = 1;
  lines.push(`${pass.label}: ${p} passed, ${f} failed${s ? `, ${s} skipped` : ''}${counts ? '' : ' (no total printed)'}`);
}
// The failed tests, and those that passed only on a retry, by name near the end: CI keeps
// only the output's tail.
if (namedTests.length > 0) console.log(`\n${namedTests.join('\n')}`);
console.log(`\n${lines.join('\n')}`);
// The last line is exactly `N passed, N failed` (what CI reads); skipped tests, never counted as
// passed, are said on the line before.
if (total[2]) console.log(`\n${total[2]} skipped (not counted as passed)`);
console.log(`\n${total[0]} passed, ${total[1]} failed`);
process.exit(status);
