// lxtop's command line: options, `--once`, `exec`, and the full-screen TUI. Nothing here touches
// the screen before the daemon answered: connection errors are printed plainly, exit status 1.
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { CliUsageError, USAGE, parseCli, type CliOptions } from './app/args.js';
import type { LxdApi } from './lxd/api.js';
import type { LxdClient } from './lxd/client.js';
import type { TransportOptions } from './lxd/transport.js';
// Not config/index.js: that brings the configuration loader and its YAML parser, for remotes only.
import { parseTargetArgs } from './config/target-args.js';
import { ConfigError, type TargetOptions } from './config/types.js';
import { missingProject, projectAccess } from './app/project-check.js';
import { connectOrExit, exitOnMissingProject, failure, isOneOffSsh, restrictedScope } from './cli-connect.js';
import { letInkRenderLive } from './patches/ink-ci-env.js';
import { failureText, isRefusal, refusalHint, targetContext } from './app/explain.js';

// LXTOP_DEBUG=1: stack traces (only then), naming the source files through the bundle's source
// maps. process.setSourceMapsEnabled() would come too late for this file itself (source maps are
// read when a module is compiled): run again under --enable-source-maps instead. Not in the single
// binary: it has no source maps, and takes no Node options on its command line. Synchronous (no
// top-level await): the binary's build turns this bundle into CommonJS. getBuiltinModule: nothing
// loaded at a start without LXTOP_DEBUG.
if (process.env.LXTOP_DEBUG && !process.env.LXTOP_BINARY_VERSION && !process.execArgv.includes('--enable-source-maps')) {
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const { constants } = process.getBuiltinModule('node:os');
  const child = spawnSync(process.execPath, ['--enable-source-maps', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(child.status ?? (child.signal ? 128 + constants.signals[child.signal] : 1));
}

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
  // Set when bundled into the single executable (scripts/build-binary.mjs): no package.json beside it.
  if (process.env.LXTOP_BINARY_VERSION) return process.env.LXTOP_BINARY_VERSION;
  try {
    // Beside the entry (dist/cli.js, src/main.ts; a package's bin is a link to it), not this chunk.
    const pkg = JSON.parse(readFileSync(join(dirname(realpathSync(process.argv[1])), '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** What the header shows as the remote: `unix:/path/unix.socket`, the ssh:// or the HTTPS URL. */
function remoteLabel(api: LxdClient): string {
  const endpoint = api.transport.endpoint as { kind: string; socket?: string; url?: string; tunnel?: unknown };
  if (endpoint.kind === 'unix' && endpoint.tunnel) return api.transport.describe();
  if (endpoint.kind === 'unix' && endpoint.socket) return `unix:${endpoint.socket}`;
  return endpoint.url ?? 'local';
}

/**
 * The daemon budget, the daemon host's CPUs (this machine's for a local socket: a metrics
 * computation runs that parallel; an HTTPS or ssh remote's are not known, 4 assumed) and the key under
 * which the user's lxtops share `/state` samples of this daemon.
 */
function samplingOptions(opts: CliOptions, api: LxdClient): { daemonBudget: number; serverCores: number; shareKey: string } {
  const endpoint = api.transport.endpoint;
  const local = endpoint.kind === 'unix' && !endpoint.tunnel;
  return { daemonBudget: opts.daemonBudget, serverCores: local ? availableParallelism() : 4, shareKey: remoteLabel(api) };
}

async function once(api: LxdClient, allProjects: boolean, explicit: boolean, module: Promise<typeof import('./app/once.js')>): Promise<number> {
  const { runOnce } = await module;
  const table = await runOnce(api, { allProjects }).catch(async (err: unknown) => {
    // Refused: a certificate restricted to other projects lists the one it may use.
    const scope = allProjects || !isRefusal(err) ? null : await restrictedScope(api, { canChoose: false, explicit });
    if (scope === null) throw err;
    process.stderr.write(`lxtop: note: ${scope.note}\n`);
    return runOnce(scope.api, {});
  });
  // A project the server does not have lists no instances (the table is its header alone): only
  // then is there a project to check.
  if (!allProjects && !table.includes('\n')) await exitOnMissingProject(api, await missingProject(api));
  process.stdout.write(`${table}\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  // The session holder: this program again, started by lxtop on demand (src/sessions/client.ts).
  if (process.env.LXTOP_RUN_HOLDER === '1') return (await import('./sessions/holder.js')).holderMain();
  if (argv[0] === 'sessions') return (await import('./sessions/cli.js')).sessionsMain(argv.slice(1));
  if (argv[0] === 'attach') return (await import('./sessions/cli.js')).attachMain(argv.slice(1));
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
    // Before the rest: after `exec NAME -- cmd` it would be part of the command.
    opts = parseCli(target.project ? ['--project', target.project, ...split.rest] : split.rest);
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
    let execProject: string | undefined;
    try {
      const parsed = parseExecArgs(opts.exec);
      if (parsed.background && !parsed.help) {
        // The holder connects to the daemon itself, with these words.
        const { startDetached } = await import('./sessions/cli.js');
        const { instance, command, user, group, cwd, env } = parsed;
        const remote = parsed.remote ?? target.remote;
        return startDetached({ target: { socket: opts.socket, remote, project: parsed.project ?? opts.project }, instance, command, user, group, cwd, env });
      }
      needsDaemon = !parsed.help;
      execProject = parsed.project;
      if (parsed.remote !== undefined) target = { ...target, remote: parsed.remote };
    } catch {
      needsDaemon = false; // a usage error: execMain prints it without a daemon
    }
    if (!needsDaemon) return execMain(undefined as unknown as LxdApi, opts.exec);
    const { api: connected } = await connectOrExit(opts, target);
    const scope = execProject ? null : await restrictedScope(connected, { canChoose: false, explicit: opts.project !== undefined });
    if (scope) process.stderr.write(`lxtop: note: ${scope.note}\n`);
    const api = scope?.api ?? connected;
    try {
      return await execMain(api, opts.exec);
    } finally {
      await api.close().catch(() => undefined);
    }
  }
  if (opts.console) {
    const { consoleMain } = await import('./sessions/cli.js');
    return consoleMain(opts.console, { socket: opts.socket, remote: target.remote, project: opts.project }, opts.detach);
  }
  if (opts.logs) {
    const { logsMain } = await import('./app/logs-cli.js');
    return logsMain(opts.logs, async (remote, { long }) => {
      const { api } = await connectOrExit(opts, remote === undefined ? target : { ...target, remote }, long ? {} : { http: 'node' });
      return api;
    });
  }
  if (opts.edit) {
    if (opts.readOnly) {
      process.stderr.write('lxtop: --read-only: edit changes the server and is refused\n');
      return 1;
    }
    const { editMain } = await import('./app/edit-cli.js');
    return editMain(opts.edit, async (remote) => (await connectOrExit(opts, remote === undefined ? target : { ...target, remote })).api);
  }
  if (opts.file) {
    const { fileMain } = await import('./app/file-cli.js');
    return fileMain(opts.file, async (remote) => (await connectOrExit(opts, remote === undefined ? target : { ...target, remote }, { http: 'node' })).api, opts.readOnly);
  }
  if (opts.transfer) {
    if (opts.readOnly) {
      process.stderr.write(`lxtop: --read-only: ${opts.transfer.verb} changes a server and is refused\n`);
      return 1;
    }
    const { transferMain } = await import('./app/transfer-cli.js');
    // Node's own HTTP client: a few requests, where undici's WebAssembly parser costs ~0.2 s of CPU to start.
    return transferMain(opts.transfer.verb, opts.transfer.words, async (remote) => (await connectOrExit(opts, remote === undefined ? target : { ...target, remote }, { http: 'node' })).api);
  }
  if (opts.launch) {
    if (opts.readOnly) {
      process.stderr.write('lxtop: --read-only: launch changes a server and is refused\n');
      return 1;
    }
    const { launchMain } = await import('./app/launch-cli.js');
    return launchMain(opts.launch, async (remote) => (await connectOrExit(opts, remote === undefined ? target : { ...target, remote }, { http: 'node' })).api);
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
  // A one-off ssh:// starts ssh before anything else loads: the handshake is the longest wait.
  const transport: TransportOptions = opts.once ? { http: 'node' } : {};
  const connecting = isOneOffSsh(target.remote) ? connectOrExit(opts, target, transport) : null;
  // The first paint's modules load while the daemon answers the connection and the list.
  const paintModules = fullScreen ? Promise.all([import('./app/first-paint.js'), import('./terminal.js')]) : null;
  paintModules?.catch(() => undefined); // awaited below only once there is a list
  // The same for --once: its code loads while the daemon answers.
  const onceModule = opts.once ? import('./app/once.js') : null;
  onceModule?.catch(() => undefined);
  // --once makes a few requests and exits: Node's own HTTP client, not undici (see lxd/http-node.ts).
  const { api: connected, label } = await (connecting ?? connectOrExit(opts, target, transport));
  if (opts.once) {
    try {
      return await once(connected, target.allProjects === true, opts.project !== undefined, onceModule!);
    } finally {
      await connected.close().catch(() => undefined);
    }
  }
  if (!fullScreen) {
    process.stderr.write('lxtop: the full-screen view needs a terminal (use --once for plain output)\n');
    await connected.close().catch(() => undefined);
    return 1;
  }
  const remote = label ?? remoteLabel(connected);
  const allProjects = target.allProjects === true;
  // Loading Ink (React, its reconciler, the layout engine) takes longer than the daemon takes to
  // list its instances, and compiling it would hold up that answer: draw the list first, as plain
  // text in the TUI's layout, then load Ink; its first frame gets the same list from the store.
  const [listed, checked] = await Promise.all([
    connected.listInstances({ allProjects }).catch(() => null),
    allProjects || connected.project === 'default' ? null : projectAccess(connected),
  ]);
  // A refused or empty list: a project not there, or a certificate restricted to other projects.
  const access = checked ?? (!allProjects && !listed?.length ? await projectAccess(connected) : null);
  await exitOnMissingProject(connected, access?.kind === 'missing' ? access.message : null);
  const scope = access?.kind === 'restricted' ? await restrictedScope(connected, { canChoose: true, explicit: opts.project !== undefined }, access) : null;
  const api = scope?.api ?? connected;
  const list = scope ? await api.listInstances().catch(() => null) : listed;
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
  const [{ runTui }, { createStore, createController }, { runConsole }, { TuiSessions }] = await Promise.all([
    import('./app/run-tui.js'),
    import('./store/index.js'),
    import('./console/index.js'),
    import('./sessions/tui.js'),
  ]);
  // The consoles are sessions in the holder, which reaches the daemon by the same words (the remote
  // follows O).
  let sessionTarget: { socket?: string; remote?: string } = { socket: opts.socket, remote: target.remote };
  const sessions = new TuiSessions(() => sessionTarget);
  const store = createStore({ readOnly: opts.readOnly });
  // Before the first frame: the PROJECT column is there from the start, not after the controller starts.
  if (allProjects) store.dispatch({ type: 'session/set', allProjects: true });
  if (list) {
    store.dispatch({ type: 'server/loaded', server: await api.server() });
    store.dispatch({ type: 'instances/loaded', instances: list, project: allProjects ? null : api.project, at: Date.now() });
  }
  if (scope) {
    // Why this project; with several allowed, the switcher offers them at once.
    store.dispatch({ type: 'status/set', text: scope.note, level: 'info', at: Date.now() });
    if (scope.choices) store.dispatch({ type: 'dialog/open', dialog: (await import('./app/cluster-flows.js')).projectPicker(scope.choices, api.project) });
  }
  const sampling = { ...samplingOptions(opts, api), refusalHint: refusalHint(failure) };
  const controller = createController(api, store, { interval: opts.intervalMs, readOnly: opts.readOnly, allProjects, ...sampling });
  const { LxdClient } = await import('./lxd/client.js');
  return runTui({
    api,
    store,
    controller,
    remote,
    runConsole,
    sessions,
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
        const connected = await connectTarget(resolved);
        sessionTarget = { remote: name };
        // A certificate restricted to other projects: the project it may use, as at start.
        const access = resolved.kind === 'https' ? await projectAccess(connected) : null;
        const { allowedScope } = await import('./app/restricted.js');
        const scope = access?.kind === 'restricted'
          ? allowedScope(access, { remote: resolved.remote, canChoose: true, explicit: false }, (project) => new LxdClient(connected.transport, { project }))
          : null;
        const next = scope?.api ?? connected;
        const controller = createController(next, nextStore, {
          interval: opts.intervalMs,
          readOnly: opts.readOnly,
          ...samplingOptions(opts, next),
          refusalHint: refusalHint(targetContext(resolved)),
        });
        return { api: next, controller, label: describeTarget(resolved), note: scope?.note, choices: scope?.choices };
      },
      async open(name) {
        const [{ loadConfig, resolveTarget }, { connectTarget }] = await Promise.all([import('./config/index.js'), import('./remote/connect.js')]);
        return connectTarget(resolveTarget(loadConfig(), { remote: name }));
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
    process.stderr.write(failureText(err, failure));
    process.exit(1);
  },
);
