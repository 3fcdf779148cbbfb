#!/usr/bin/env node
// lxtop's command line: options, `--once`, `exec`, and the full-screen TUI. Nothing here touches
// the screen before the daemon answered: connection errors are printed plainly, exit status 1.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { CliUsageError, USAGE, parseCli, type CliOptions } from './app/args.js';
import type { LxdApi } from './lxd/api.js';
import type { LxdClient } from './lxd/client.js';
import type { TransportOptions } from './lxd/transport.js';
// Not config/index.js: that brings the configuration loader and its YAML parser, for remotes only.
import { parseTargetArgs } from './config/target-args.js';
import { ConfigError, type TargetOptions } from './config/types.js';
import { missingProject } from './app/project-check.js';
import { letInkRenderLive } from './patches/ink-ci-env.js';

// Ink allocates several MB per frame, all of it short-lived; V8's default heap growth let the heap
// reach about four times the live data between two major collections (peak RSS ~290 MB while
// scrolling 5,000 instances, ~230 MB with 100). Growing by half at most keeps the peak near 190 MB
// at 5,000 instances, for no measurable change in key → frame latency
// (test/faults/memory.test.ts, bench/scale-fake.mjs).
setFlagsFromString('--heap-growing-percent=50');
// `--once` lives for a few requests: TurboFan's compiles (on threads of their own) cost it more CPU
// than they save, ~15 % at 300 instances, and some memory.
const lxtopArgs = process.argv.slice(2);
if (lxtopArgs.slice(0, lxtopArgs.includes('--') ? lxtopArgs.indexOf('--') : undefined).includes('--once')) setFlagsFromString('--no-opt');

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Connects and checks the daemon answers; on failure prints the error (the socket paths tried, a
 * remote's refusal, or a changed certificate with both fingerprints) and exits 1. `--socket` wins;
 * otherwise the remote from `NAME:` / `--remote` / the configuration's default, like lxc does.
 */
async function connectOrExit(
  opts: CliOptions,
  target: TargetOptions,
  transport: TransportOptions = {},
): Promise<{ api: LxdClient; label: string | null }> {
  try {
    const { connect } = await import('./lxd/connect.js');
    if (opts.socket) return { api: await connect({ ...transport, socket: opts.socket, project: opts.project }), label: null };
    // No configuration anywhere (no lxc, incus or lxtop config.yml) and no remote named: the local
    // daemon, found the way the built-in `local` remote finds it, without loading the configuration
    // code and its YAML parser (about 25 ms before the first frame).
    if (!target.remote) {
      const { configSources } = await import('./config/paths.js');
      if (configSources().every((s) => !s.exists)) return { api: await connect({ ...transport, project: opts.project }), label: null };
    }
    const [{ loadConfig, resolveTarget, describeTarget }, { connectTarget }] = await Promise.all([
      import('./config/index.js'),
      import('./remote/connect.js'), // not remote/index.js: that brings the X.509 library, for `remote add`
    ]);
    const config = loadConfig();
    for (const warning of config.warnings) process.stderr.write(`lxtop: warning: ${warning}\n`);
    const resolved = resolveTarget(config, { ...target, project: opts.project ?? target.project });
    if (resolved.note) process.stderr.write(`lxtop: note: ${resolved.note}\n`);
    const api = await connectTarget(resolved, transport);
    return { api, label: resolved.kind === 'https' || target.remote ? describeTarget(resolved) : null };
  } catch (err) {
    process.stderr.write(`lxtop: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

/** What the header shows as the remote: `unix:/path/unix.socket` or the HTTPS URL. */
function remoteLabel(api: LxdClient): string {
  const endpoint = api.transport.endpoint as { kind: string; socket?: string; url?: string };
  if (endpoint.kind === 'unix' && endpoint.socket) return `unix:${endpoint.socket}`;
  return endpoint.url ?? 'local';
}

/**
 * The daemon budget, the daemon host's CPUs (this machine's for a local socket: a metrics
 * computation runs that parallel; an HTTPS remote's are not known, 4 assumed) and the key under
 * which the user's lxtops share `/state` samples of this daemon.
 */
function samplingOptions(opts: CliOptions, api: LxdClient): { daemonBudget: number; serverCores: number; shareKey: string } {
  const local = api.transport.endpoint.kind === 'unix';
  return { daemonBudget: opts.daemonBudget, serverCores: local ? availableParallelism() : 4, shareKey: remoteLabel(api) };
}

async function exitOnMissingProject(api: LxdApi, missing: string | null): Promise<void> {
  if (missing === null) return;
  process.stderr.write(`lxtop: ${missing}\n`);
  await api.close().catch(() => undefined);
  process.exit(1);
}

async function once(api: LxdApi, allProjects: boolean, module: Promise<typeof import('./app/once.js')>): Promise<number> {
  const { runOnce } = await module;
  const table = await runOnce(api, { allProjects });
  // A project the server does not have lists no instances (the table is its header alone): only
  // then is there a project to check.
  if (!allProjects && !table.includes('\n')) await exitOnMissingProject(api, await missingProject(api));
  process.stdout.write(`${table}\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'remote') {
    const { remoteMain } = await import('./remote/index.js');
    return remoteMain(argv.slice(1));
  }
  let opts: CliOptions;
  let target: TargetOptions;
  try {
    // `NAME:`, --remote and --all-projects name the target; the rest are lxtop's own options.
    const split = parseTargetArgs(argv);
    target = split.options;
    opts = parseCli(target.project ? [...split.rest, '--project', target.project] : split.rest);
  } catch (err) {
    if (err instanceof CliUsageError || err instanceof ConfigError) {
      process.stderr.write(`lxtop: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (opts.version) {
    process.stdout.write(`lxtop ${version()}\n`);
    return 0;
  }
  if (opts.exec) {
    const { execMain, parseExecArgs } = await import('./console/index.js');
    let needsDaemon: boolean;
    try {
      const parsed = parseExecArgs(opts.exec);
      needsDaemon = !parsed.help;
      if (parsed.remote !== undefined) target = { ...target, remote: parsed.remote };
    } catch {
      needsDaemon = false; // a usage error: execMain prints it without a daemon
    }
    if (!needsDaemon) return execMain(undefined as unknown as LxdApi, opts.exec);
    const { api } = await connectOrExit(opts, target);
    try {
      return await execMain(api, opts.exec);
    } finally {
      await api.close().catch(() => undefined);
    }
  }
  if (opts.logs) {
    const { logsMain } = await import('./app/logs-cli.js');
    return logsMain(opts.logs, async (remote, { long }) => {
      const { api } = await connectOrExit(opts, remote === undefined ? target : { ...target, remote }, long ? {} : { http: 'node' });
      return api;
    });
  }
  if (opts.events) {
    const { eventsMain } = await import('./app/events-cli.js');
    return eventsMain(opts.events, async () => (await connectOrExit(opts, target)).api, target.allProjects === true);
  }
  const fullScreen = !opts.once && process.stdout.isTTY === true && process.stdin.isTTY === true;
  if (fullScreen) {
    // Ink renders nothing live when it believes it runs in CI: this is an interactive terminal
    // whatever the environment says (src/patches/ink-ci-env.ts).
    letInkRenderLive();
    // (React's production build is chosen when bundling: scripts/build.mjs defines NODE_ENV.)
  }
  if (target.fleet) {
    const { fleetMain } = await import('./fleet/main.js');
    return fleetMain(opts, target, fullScreen);
  }
  // The first paint's modules load while the daemon answers the connection and the list.
  const paintModules = fullScreen ? Promise.all([import('./app/first-paint.js'), import('./terminal.js')]) : null;
  paintModules?.catch(() => undefined); // awaited below only once there is a list
  // The same for --once: its code loads while the daemon answers.
  const onceModule = opts.once ? import('./app/once.js') : null;
  onceModule?.catch(() => undefined);
  // --once makes a few requests and exits: Node's own HTTP client, not undici (see lxd/http-node.ts).
  const { api, label } = await connectOrExit(opts, target, opts.once ? { http: 'node' } : {});
  if (opts.once) {
    try {
      return await once(api, target.allProjects === true, onceModule!);
    } finally {
      await api.close().catch(() => undefined);
    }
  }
  if (!fullScreen) {
    process.stderr.write('lxtop: the full-screen view needs a terminal (use --once for plain output)\n');
    await api.close().catch(() => undefined);
    return 1;
  }
  const remote = label ?? remoteLabel(api);
  const allProjects = target.allProjects === true;
  // Loading Ink (React, its reconciler, the layout engine) takes longer than the daemon takes to
  // list its instances, and compiling it would hold up that answer: draw the list first, as plain
  // text in the TUI's layout, then load Ink; its first frame gets the same list from the store.
  const [list, missing] = await Promise.all([
    api.listInstances({ allProjects }).catch(() => null),
    allProjects ? null : missingProject(api),
  ]);
  await exitOnMissingProject(api, missing);
  if (list) {
    const [{ firstPaint }, { enterFullScreen, installRestoreHandlers }] = await paintModules!;
    installRestoreHandlers();
    enterFullScreen();
    // Raw from here on: keys typed before Ink is up wait for it instead of being echoed over the
    // first paint, or taken by the terminal as signals (Ctrl-\ would be SIGQUIT: no restore).
    try {
      process.stdin.setRawMode(true);
    } catch {
      // not a terminal after all; Ink will say so
    }
    const cols = process.stdout.columns || 80;
    const rows = process.stdout.rows || 24;
    process.stdout.write(firstPaint(await api.server(), list, api.project, remote, cols, rows));
  }
  const [{ runTui }, { createStore, createController }, { runConsole }] = await Promise.all([
    import('./app/run-tui.js'),
    import('./store/index.js'),
    import('./console/index.js'),
  ]);
  const store = createStore({ readOnly: opts.readOnly });
  // Before the first frame: the PROJECT column is there from the start, not after the controller starts.
  if (allProjects) store.dispatch({ type: 'session/set', allProjects: true });
  if (list) {
    store.dispatch({ type: 'server/loaded', server: await api.server() });
    store.dispatch({ type: 'instances/loaded', instances: list, project: allProjects ? null : api.project, at: Date.now() });
  }
  const sampling = samplingOptions(opts, api);
  const controller = createController(api, store, { interval: opts.intervalMs, readOnly: opts.readOnly, allProjects, ...sampling });
  const { LxdClient } = await import('./lxd/client.js');
  return runTui({
    api,
    store,
    controller,
    remote,
    runConsole,
    detach: opts.detach,
    // P in the TUI: a client of the same connection in the chosen project (all projects: the
    // client we have, listing every project), and a controller for it on the same store.
    switchScope(scope, scopedStore, baseApi) {
      const all = 'allProjects' in scope;
      const base = baseApi as LxdClient;
      const scoped = all ? base : new LxdClient(base.transport, { project: scope.project });
      return {
        api: scoped,
        controller: createController(scoped, scopedStore, { interval: opts.intervalMs, readOnly: opts.readOnly, allProjects: all, ...sampling }),
      };
    },
    // O in the TUI: the remotes of the lxc, incus and lxtop configuration (not image servers).
    remotes: {
      async list() {
        const { loadConfig, daemonRemotes } = await import('./config/index.js');
        return daemonRemotes(loadConfig()).map((r) => ({ name: r.id, addr: r.addr.startsWith('unix:') ? r.addr.replace(/^unix:(\/\/)?/, 'unix:') : r.addr }));
      },
      async connect(name, nextStore) {
        const [{ loadConfig, resolveTarget, describeTarget }, { connectTarget }] = await Promise.all([
          import('./config/index.js'),
          import('./remote/connect.js'),
        ]);
        const resolved = resolveTarget(loadConfig(), { remote: name });
        const next = await connectTarget(resolved);
        const controller = createController(next, nextStore, { interval: opts.intervalMs, readOnly: opts.readOnly, ...samplingOptions(opts, next) });
        return { api: next, controller, label: describeTarget(resolved) };
      },
    },
  });
}

// Test hook (test/faults/terminal-restore.test.ts): with LXTOP_TEST_CRASH set, SIGUSR2 makes the
// program throw from a timer, an uncaught exception on demand, to check the terminal is restored.
if (process.env.LXTOP_TEST_CRASH) {
  process.on('SIGUSR2', () => setTimeout(() => {
    throw new Error('LXTOP_TEST_CRASH: an uncaught exception on purpose');
  }));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`lxtop: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
