#!/usr/bin/env node
// Seeds a project of its own on the sandbox LXD for the scale benchmarks, so the many instances
// never show up in the default project other tests list:
//
//   node bench/scale-seed.mjs [--project scale] [--count 300] [--running 20] [--daemon lxd] [--jobs 6]
//
// Creates the project (images and profiles shared with `default`, so the busybox image and the
// default profile's root disk apply), then `<project>-1..count` from the busybox image, the first
// `running` started. Idempotent: what exists is kept. Exported `ensureProject` is used by the
// benchmarks themselves.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Runs a command; stdin is not a pipe (`lxc init` would read a config from one). */
function run(bin, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${bin} ${args.join(' ')}: exit ${code}: ${err.trim()}`))));
  });
}

export function daemonTool(daemon = 'lxd') {
  const sandbox = process.env.LXTOP_SANDBOX ?? '/var/tmp/lxtop-sandbox';
  const dir = join(sandbox, daemon);
  const env =
    daemon === 'incus'
      ? { ...process.env, INCUS_DIR: dir, INCUS_CONF: join(sandbox, '.incus') }
      : { ...process.env, LXD_DIR: dir, LXD_CONF: join(sandbox, '.lxc') };
  const bin = daemon === 'incus' ? 'incus' : 'lxc';
  return {
    bin,
    env,
    socket: join(dir, 'unix.socket'),
    /** The daemon's own client; resolves with stdout. */
    cli: (...args) => run(bin, args, env),
  };
}

/** Makes sure `project` holds `count` instances `<project>-N`, the first `running` of them started. */
export async function ensureProject({ daemon = 'lxd', project = 'scale', count = 300, running = 20, jobs = 6, log = console.error } = {}) {
  const { cli } = daemonTool(daemon);
  const projects = await cli('project', 'list', '--format', 'csv');
  if (!projects.split('\n').some((l) => l.split(',')[0].replace(/ \(current\)$/, '') === project)) {
    log(`seed: create project ${project}`);
    await cli('project', 'create', project, '-c', 'features.images=false', '-c', 'features.profiles=false');
  }
  const have = new Map(
    (await cli('list', '--project', project, '--format', 'csv', '-c', 'ns'))
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(',')),
  );
  const todo = [];
  for (let i = 1; i <= count; i++) {
    const name = `${project}-${i}`;
    const start = i <= running;
    if (!have.has(name)) todo.push({ name, create: true, start });
    else if (start && have.get(name) !== 'RUNNING') todo.push({ name, create: false, start });
  }
  if (todo.length === 0) return { count, running };
  log(`seed: ${todo.length} instances to create or start in project ${project}`);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < todo.length) {
      const t = todo[next++];
      if (t.create) await cli('init', 'busybox', t.name, '--project', project);
      if (t.start) await cli('start', t.name, '--project', project);
      if (++done % 25 === 0) log(`seed: ${done}/${todo.length}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, todo.length) }, worker));
  return { count, running };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const get = (flag, dflt) => {
    const i = argv.indexOf(flag);
    return i === -1 ? dflt : argv[i + 1];
  };
  await ensureProject({
    daemon: get('--daemon', 'lxd'),
    project: get('--project', 'scale'),
    count: Number(get('--count', 300)),
    running: Number(get('--running', 20)),
    jobs: Number(get('--jobs', 6)),
  });
  console.error('seed: done');
}
