#!/usr/bin/env node
// Listing instances: lxtop's client against the daemon's own CLI, on the sandbox daemon.
//
//   npm run build && node bench/list-instances.mjs [lxd|incus] [--runs 10] [--count 40] [--running 20] [--concurrency 8]
//
// What is timed, per run, in the same process run so both see the same daemon load:
//   client: connect (socket probe + GET /1.0) + list recursion=1 + GET …/state of every running
//           instance, `concurrency` at a time: what `lxc list` shows (status, addresses, …).
//   cli:    `lxc list --format csv` (`incus list` for Incus) with LXD_DIR / INCUS_DIR pointing at the
//           sandbox daemon; it asks for recursion=2, so the server gathers every state itself.
// Runs alternate (client, cli, client, …) so a slow moment hits both. Prints medians and the ratio.
// Needs ≥ `count` instances with ≥ `running` running: seeds seed-1..count with `scripts/sandbox seed`
// when short (through the client when the script is missing or fails).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist/lxd/index.js');
if (!existsSync(built)) {
  console.error(`bench: ${built} is missing: run \`npm run build\` first`);
  process.exit(2);
}
const { connect } = await import(built);

const args = process.argv.slice(2);
const daemon = args.find((a) => a === 'lxd' || a === 'incus') ?? 'lxd';
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const runs = opt('runs', 10);
const want = opt('count', 40);
const wantRunning = opt('running', 20);
const concurrency = opt('concurrency', 8);

const sandbox = process.env.LXTOP_SANDBOX ?? '/var/tmp/lxtop-sandbox';
const dir = join(sandbox, daemon);
const socket = join(dir, 'unix.socket');
const cli = daemon === 'incus' ? 'incus' : 'lxc';
// The CLI talks to the sandbox daemon, with the sandbox's client config (never ~/.config).
const cliEnv =
  daemon === 'incus'
    ? { ...process.env, INCUS_DIR: dir, INCUS_CONF: join(sandbox, '.incus') }
    : { ...process.env, LXD_DIR: dir, LXD_CONF: join(sandbox, '.lxc') };

/** Runs `fn` over `items`, at most `limit` at a time. */
async function pool(items, limit, fn) {
  const out = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

async function counts() {
  const c = await connect({ socket });
  try {
    const list = await c.listInstances();
    return { total: list.length, running: list.filter((i) => i.status === 'Running').length };
  } finally {
    await c.close();
  }
}

/** seed-1..count, the first `running` started: the names `scripts/sandbox seed` uses. */
async function seedThroughClient() {
  const c = await connect({ socket });
  try {
    const have = new Map((await c.listInstances()).map((i) => [i.name, i.status]));
    const todo = Array.from({ length: want }, (_, i) => ({ name: `seed-${i + 1}`, start: i < wantRunning }));
    await pool(todo, 8, async ({ name, start }) => {
      if (!have.has(name)) await c.waitOperation((await c.createInstance({ name, image: { alias: 'busybox' } })).id, 120);
      if (start && have.get(name) !== 'Running') await c.waitOperation((await c.changeState(name, 'start')).id, 120);
    });
  } finally {
    await c.close();
  }
}

async function ensureInstances() {
  let n = await counts();
  if (n.total >= want && n.running >= wantRunning) return n;
  console.error(`bench: ${n.total} instances (${n.running} running); seeding ${want} / ${wantRunning}`);
  const script = join(root, 'scripts/sandbox');
  const seeded = existsSync(script) && spawnSync(script, ['seed', daemon, String(want), String(wantRunning)], { stdio: 'inherit' }).status === 0;
  if (!seeded) {
    console.error('bench: scripts/sandbox seed unavailable or failed; seeding through the client');
    await seedThroughClient();
  }
  n = await counts();
  if (n.total < want || n.running < wantRunning) throw new Error(`still only ${n.total} instances, ${n.running} running`);
  return n;
}

/** What `lxc list` shows, through the client: one fresh connection per run, like a CLI start. */
async function clientList() {
  const t0 = performance.now();
  const c = await connect({ socket });
  await c.server();
  const list = await c.listInstances();
  // The TUI can draw the table here; states fill in after.
  const listed = performance.now() - t0;
  const running = list.filter((i) => i.status === 'Running');
  const states = await pool(running, concurrency, (i) => c.instanceState(i.name));
  await c.close();
  const ms = performance.now() - t0;
  if (states.some((s) => typeof s.processes !== 'number')) throw new Error('a state without processes');
  return { ms, listed, rows: list.length };
}

function cliList() {
  const t0 = performance.now();
  const r = spawnSync(cli, ['list', '--format', 'csv'], { env: cliEnv, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cli} list failed: ${r.stderr}`);
  return { ms, rows: r.stdout.trim().split('\n').filter(Boolean).length };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const n = await ensureInstances();
console.log(`bench list-instances: ${daemon} (${socket}), ${n.total} instances, ${n.running} running, ${runs} runs each, state concurrency ${concurrency}`);
// One unmeasured round of each warms the daemon's caches and the page cache for the CLI binary.
await clientList();
cliList();
const ours = [];
const firstList = [];
const theirs = [];
for (let i = 0; i < runs; i++) {
  const a = await clientList();
  const b = cliList();
  if (a.rows !== b.rows) console.error(`bench: run ${i + 1}: client saw ${a.rows} instances, ${cli} ${b.rows}`);
  ours.push(a.ms);
  firstList.push(a.listed);
  theirs.push(b.ms);
}
const fmt = (x) => `${x.toFixed(1)} ms`;
const mo = median(ours);
const mt = median(theirs);
console.log(`  ${'lxtop client (recursion=1 + state)'.padEnd(40)} median ${fmt(mo).padStart(10)}   min ${fmt(Math.min(...ours))}  max ${fmt(Math.max(...ours))}`);
console.log(`  ${`${cli} list --format csv`.padEnd(40)} median ${fmt(mt).padStart(10)}   min ${fmt(Math.min(...theirs))}  max ${fmt(Math.max(...theirs))}`);
console.log(`  ratio ${cli} / client: ${(mt / mo).toFixed(2)}x`);
console.log(`  (client: table without state after connect + list recursion=1, median ${fmt(median(firstList))})`);
