// `lxtop --fleet` / `lxtop a: b: ...`: several remotes in one instances table. Each remote has its
// own store and controller (events, polling, retries) exactly as when it is shown alone; a remote
// that does not answer is shown offline and tried again every few seconds, never holding up the
// others. `--once` prints the joined table; a remote that failed is named on stderr (exit 1).
import type { CliOptions } from '../app/args.js';
import { loadOnce } from '../app/once.js';
import { explain, targetContext } from '../app/explain.js';
import { missingProject, projectAccess, restrictedNote } from '../app/project-check.js';
import { ConfigError, daemonRemotes, loadConfig, resolveTarget, type Target, type TargetOptions } from '../config/index.js';
import type { LxdApi } from '../lxd/api.js';
import { LxdClient } from '../lxd/client.js';
import { errorText } from '../lxd/errors.js';
import { connectTarget } from '../remote/connect.js';
import { createController, createStore, type Store } from '../store/index.js';
import { plainInstancesTable } from '../views/plain.js';
import { createFleetController } from './controller.js';
import { createDeferredController, type DeferredController } from './deferred.js';
import { splitFleetKey } from './keys.js';
import { createFleetStore } from './store.js';

/** How long an unreachable remote waits before the next try. */
const RETRY_MS = 2000;

interface FleetTarget {
  name: string;
  addr: string;
  target: Target;
}

/** A message for the status line: its first two lines in one ("… found. Tried: /path: does not exist"). */
function oneLine(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 2)
    .join(' ');
}

function addrOf(t: Target): string {
  if (t.kind === 'https' || t.kind === 'ssh') return t.url;
  return t.socket ? `unix:${t.socket}` : t.server ? `local ${t.server === 'lxd' ? 'LXD' : 'Incus'}` : 'local socket';
}

/**
 * A connected remote in a project it may show: the one asked for, or — for a certificate restricted
 * to other projects (only HTTPS remotes have one) — the first it may use, with the note saying why.
 * Throws when the project is not on the server, or the certificate may use none.
 */
async function openScope(api: LxdClient, t: FleetTarget, allProjects: boolean): Promise<{ api: LxdClient; note: string | null }> {
  if (allProjects) return { api, note: null }; // every project it may see (client.ts)
  if (t.target.kind !== 'https') {
    const missing = await missingProject(api);
    if (missing !== null) throw new Error(missing);
    return { api, note: null };
  }
  const access = await projectAccess(api);
  if (access.kind === 'missing') throw new Error(access.message);
  if (access.kind === 'ok') return { api, note: null };
  const note = restrictedNote(access, t.name);
  if (access.allowed.length === 0) throw new Error(note);
  const shown = access.allowed[0];
  const others = access.allowed.length > 1 ? `; showing ${shown} (lxtop ${t.name}: --project NAME for another)` : '';
  return { api: new LxdClient(api.transport, { project: shown }), note: `${note}${others}` };
}

/** A remote's failure in one line (the server's words, who said them): the hints go to stderr only. */
function failureLine(err: unknown, t: FleetTarget): string {
  return explain(err, targetContext(t.target)).message;
}

/**
 * The remotes named (or every configured one but image servers), resolved; throws ConfigError.
 * Each under its id: lxc's and incus's `local` are two daemons, `local` and `local@incus`.
 */
export function fleetTargets(opts: CliOptions, target: TargetOptions): FleetTarget[] {
  const config = loadConfig();
  for (const warning of config.warnings) process.stderr.write(`lxtop: warning: ${warning}\n`);
  const named = (target.fleet?.length ?? 0) > 0;
  const names = named ? target.fleet! : daemonRemotes(config).map((r) => r.id);
  if (names.length === 0) throw new ConfigError('no remotes configured for the fleet view (lxtop remote add NAME URL)');
  const out: FleetTarget[] = [];
  for (const name of names) {
    const t = resolveTarget(config, { remote: name, project: opts.project ?? target.project, allProjects: target.allProjects, fallback: false });
    if (t.kind === 'https' && t.protocol === 'simplestreams') throw new ConfigError(`${name} is an image server, not a daemon`);
    if (named && t.note) process.stderr.write(`lxtop: note: ${t.note}\n`);
    if (!out.some((o) => o.name === t.remote)) out.push({ name: t.remote, addr: addrOf(t), target: t });
  }
  if (!named) allowFallback(out);
  return out;
}

/**
 * `--fleet` with every configured remote: lxc's `local` may show a lone Incus (as plain lxtop does),
 * unless another remote of the fleet already means the local Incus: its rows would appear twice.
 */
function allowFallback(members: FleetTarget[]): void {
  const local = members.flatMap((m) => (m.target.kind === 'unix' && !m.target.socket ? [m.target] : []));
  for (const t of local) {
    if (!t.server) continue;
    t.fallback = !local.some((o) => o !== t && o.server !== t.server);
    if (t.fallback) t.hint = undefined; // it spoke of the named case
  }
}

export async function fleetMain(opts: CliOptions, target: TargetOptions, fullScreen: boolean): Promise<number> {
  let targets: FleetTarget[];
  try {
    targets = fleetTargets(opts, target);
  } catch (err) {
    process.stderr.write(`lxtop: ${errorText(err)}\n`);
    return err instanceof ConfigError ? 2 : 1;
  }
  const allProjects = target.allProjects === true;
  if (opts.once) return fleetOnce(targets, allProjects);
  if (!fullScreen) {
    process.stderr.write('lxtop: the full-screen view needs a terminal (use --once for plain output)\n');
    return 1;
  }
  return fleetTui(opts, targets, allProjects);
}

async function fleetOnce(targets: FleetTarget[], allProjects: boolean): Promise<number> {
  const results = await Promise.all(
    targets.map(async (t) => {
      try {
        const api = await connectTarget(t.target);
        try {
          const scope = await openScope(api, t, allProjects);
          if (scope.note) process.stderr.write(`lxtop: note: ${scope.note}\n`);
          return { ...t, store: await loadOnce(scope.api, { allProjects }) };
        } finally {
          await api.close().catch(() => undefined);
        }
      } catch (err) {
        const { message, hints } = explain(err, targetContext(t.target));
        return { ...t, error: [message, ...hints].join('\n') };
      }
    }),
  );
  const failed = results.filter((r) => 'error' in r);
  for (const f of failed) process.stderr.write(`lxtop: ${f.name}: ${(f as { error: string }).error}\n`);
  const answered = results.flatMap((r) => ('store' in r ? [{ name: r.name, addr: r.addr, store: r.store }] : []));
  if (answered.length > 0) {
    const store = createFleetStore(answered);
    if (allProjects) store.dispatch({ type: 'session/set', allProjects: true });
    const width = process.stdout.isTTY ? process.stdout.columns : undefined;
    process.stdout.write(`${plainInstancesTable(store.getState(), Date.now(), width)}\n`);
  }
  return failed.length > 0 ? 1 : 0;
}

interface Member extends FleetTarget {
  store: Store;
  deferred: DeferredController;
  api: LxdApi | null;
}

async function fleetTui(opts: CliOptions, targets: FleetTarget[], allProjects: boolean): Promise<number> {
  const [{ runTui }, { runConsole }] = await Promise.all([import('../app/run-tui.js'), import('../console/index.js')]);
  const members: Member[] = targets.map((t) => ({
    ...t,
    store: createStore({ readOnly: opts.readOnly }),
    deferred: createDeferredController(t.name),
    api: null,
  }));
  const store = createFleetStore(members, { readOnly: opts.readOnly });
  if (allProjects) store.dispatch({ type: 'session/set', allProjects: true });
  const controller = createFleetController(members.map((m) => ({ name: m.name, controller: m.deferred.controller })));

  // Each remote on its own: connect (retrying while it does not answer), then its controller.
  const connectLoop = async (m: Member) => {
    let said = false;
    while (!m.deferred.stopped) {
      try {
        const connected = await connectTarget(m.target);
        const scope = await openScope(connected, m, allProjects).catch(async (err: unknown) => {
          await connected.close().catch(() => undefined);
          throw err;
        });
        if (m.deferred.stopped) {
          await connected.close().catch(() => undefined);
          return;
        }
        m.api = scope.api;
        m.deferred.attach(createController(scope.api, m.store, { interval: opts.intervalMs, readOnly: opts.readOnly, allProjects }));
        if (scope.note) m.store.dispatch({ type: 'status/set', text: scope.note, level: 'info', at: Date.now() });
        return;
      } catch (err) {
        const at = Date.now();
        m.store.dispatch({ type: 'rest/down', error: errorText(err), at, nextRetryAt: at + RETRY_MS });
        // Why, once (the header keeps saying "offline" while it is tried again).
        if (!said) m.store.dispatch({ type: 'status/set', text: `offline, trying again every ${RETRY_MS / 1000} s: ${oneLine(failureLine(err, m))}`, level: 'error', at });
        said = true;
        await new Promise((r) => setTimeout(r, RETRY_MS).unref());
      }
    }
  };
  for (const m of members) void connectLoop(m);

  // The fleet has no single API: route() gives the console each remote's own; close() closes all.
  const closeAll = { close: async () => void (await Promise.all(members.map((m) => m.api?.close().catch(() => undefined)))) };
  return runTui({
    api: closeAll as unknown as LxdApi,
    store,
    controller,
    remote: 'fleet',
    runConsole,
    detach: opts.detach,
    route(key) {
      const split = splitFleetKey(key);
      const m = split && members.find((x) => x.name === split.remote);
      return m?.api && split ? { api: m.api, key: split.key } : null;
    },
  });
}
