// Issue 5, the TUI half, through the built CLI against the real sandbox daemons: an instance in
// another project listed with its PROJECT by `--once --all-projects`, and on the two-member
// cluster, one instance on each member listed with its LOCATION. Everything made here is named
// `p5-…` with a random suffix and removed in afterAll (the daemons are shared).
import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLUSTER_PORT, daemonSocket, describeOn } from '../support/daemons.js';
import { cliPath, listedLive, openPicker, pickInList, startCli, type PtySession } from '../support/pty.js';

const run = promisify(execFile);
const suffix = Math.random().toString(36).slice(2, 8);

/** The `lxc` CLI on a sandbox daemon (LXD_DIR is the socket's directory). */
function lxc(socket: string, args: string[]) {
  const p = run('lxc', args, { env: { ...process.env, LXD_DIR: dirname(socket), LXD_SOCKET: socket }, timeout: 120_000 });
  // `lxc init` reads a config from stdin when it is not a terminal: give it an empty one.
  p.child.stdin?.end();
  return p;
}

function lxtop(args: string[]) {
  return run(process.execPath, [cliPath, ...args], { timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
}

/** The cells of the row whose NAME is `name`, by column title. */
function row(out: string, name: string): Record<string, string> | null {
  const [header, ...lines] = out.split('\n');
  const titles = header.trim().split(/\s+/);
  for (const line of lines) {
    const cells = line.trim().split(/\s+/);
    const rec = Object.fromEntries(titles.map((t, i) => [t, cells[i] ?? '']));
    if (rec.NAME === name) return rec;
  }
  return null;
}

describeOn(['lxd'], 'all projects (LXD)', () => {
  const socket = daemonSocket('lxd')!;
  const project = `p5-proj-${suffix}`;
  const name = `p5-inst-${suffix}`;

  beforeAll(async () => {
    await lxc(socket, ['project', 'create', project, '-c', 'features.images=false', '-c', 'features.profiles=false']);
    await lxc(socket, ['init', 'busybox', name, '--project', project]);
  }, 180_000);

  const lxdSessions: PtySession[] = [];
  afterAll(async () => {
    for (const s of lxdSessions) s.kill();
    await lxc(socket, ['delete', '--force', name, '--project', project]).catch(() => undefined);
    await lxc(socket, ['project', 'delete', project]).catch(() => undefined);
  }, 120_000);

  it('--once --all-projects lists the instance with its project', async () => {
    const { stdout } = await lxtop(['--once', '--all-projects', '--socket', socket]);
    expect(stdout.split('\n')[0]).toMatch(/^PROJECT\s+NAME\s/);
    expect(row(stdout, name)).toMatchObject({ PROJECT: project, NAME: name, STATUS: 'Stopped' });
    // And a default-project instance next to it, when there is one.
    const others = stdout.split('\n').slice(1).filter((l) => l.startsWith('default '));
    if (others.length > 0) expect(others[0]).toMatch(/^default\s+\S+/);
  }, 90_000);

  it('--once without it has no PROJECT column and not the other project', async () => {
    const { stdout } = await lxtop(['--once', '--socket', socket]);
    expect(stdout.split('\n')[0]).toMatch(/^NAME\s/);
    expect(stdout).not.toContain(name);
  }, 90_000);

  it('a project the server does not have is an error naming those it has (--once and the TUI)', async () => {
    const missing = `p5-none-${suffix}`;
    const r = await lxtop(['--once', '--socket', socket, '--project', missing]).then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(r?.code).toBe(1);
    expect(r?.stdout).toBe('');
    // Every project, in the server's order: others' (benchmarks, other tests) may come before default.
    const has = new RegExp(`^lxtop: project "${missing}" not found; the server has: (.*)$`, 'm').exec(r?.stderr ?? '');
    expect(has, r?.stderr).not.toBeNull();
    expect(has![1].split(', ')).toEqual(expect.arrayContaining(['default', project]));
    const s = startCli(['--socket', socket, '--project', missing], { cols: 140, rows: 30 });
    lxdSessions.push(s);
    const { exitCode } = await s.exited;
    expect(exitCode).toBe(1);
    expect(s.output).toContain(`lxtop: project "${missing}" not found`);
    expect(s.inAltScreen()).toBe(false);
  }, 90_000);

  it('TUI: P switches to the project, then to all projects (PROJECT column)', async () => {
    const s = startCli(['--socket', socket], { cols: 140, rows: 30 });
    lxdSessions.push(s);
    await s.waitFor(listedLive, 20_000);
    /** Moves the picker's cursor (one key at a time) until `label` is selected, then Enter. */
    const pick = async (label: string, key: string) => {
      await openPicker(s, 'P', /Switch project/);
      await pickInList(s, label, key);
    };
    await pick(project, '\x1b[B');
    await s.waitFor((screen) => screen.includes(`project ${project}`) && new RegExp(`${name}\\s+Stopped`).test(screen), 15_000);
    expect(s.screen()).not.toContain('PROJECT');
    await pick('all projects', '\x1b[A');
    await s.waitFor('PROJECT', 15_000);
    s.write(`/${name}`);
    s.write('\r');
    await s.waitFor((screen) => screen.includes('PROJECT') && new RegExp(`${project}\\s+${name}\\s+Stopped`).test(screen), 15_000);
    s.write('q');
    expect((await s.exited).exitCode).toBe(0);
  }, 90_000);

  it('--once --project lists that project only', async () => {
    const { stdout } = await lxtop(['--once', '--project', project, '--socket', socket]);
    expect(row(stdout, name)).toMatchObject({ NAME: name, STATUS: 'Stopped' });
    expect(stdout.trim().split('\n').length).toBe(2);
  }, 90_000);
});

describeOn(['cluster'], 'cluster (two LXD members)', () => {
  const socket = daemonSocket('cluster')!;
  const names = { m1: `p5-c1-${suffix}`, m2: `p5-c2-${suffix}` };
  const made = `p5-tui-${suffix}`;

  beforeAll(async () => {
    for (const [member, name] of Object.entries(names)) await lxc(socket, ['init', 'busybox', name, '--target', member]);
  }, 180_000);

  afterAll(async () => {
    for (const s of sessions) s.kill();
    for (const name of [...Object.values(names), made]) await lxc(socket, ['delete', '--force', name]).catch(() => undefined);
  }, 120_000);
  const sessions: PtySession[] = [];

  it('--once lists the instance on each member with its LOCATION', async () => {
    const { stdout } = await lxtop(['--once', '--socket', socket]);
    expect(stdout.split('\n')[0]).toContain('LOCATION');
    expect(row(stdout, names.m1)).toMatchObject({ LOCATION: 'm1' });
    expect(row(stdout, names.m2)).toMatchObject({ LOCATION: 'm2' });
  }, 90_000);

  it('TUI: the instances carry their member in LOCATION; 4 shows both members Online', async () => {
    const s = startCli(['--socket', socket], { cols: 140, rows: 30 });
    sessions.push(s);
    await s.waitFor((screen) => screen.includes('LOCATION') && listedLive(screen), 20_000);
    // Filter to ours: other files' instances may fill the screen.
    s.write(`/p5-c`);
    s.write('\r');
    await s.waitFor((screen) => new RegExp(`${names.m1}\\s.*\\sm1\\b`).test(screen) && new RegExp(`${names.m2}\\s.*\\sm2\\b`).test(screen), 10_000);
    s.write('4');
    // A frame can arrive in several writes: wait for both rows, not just the title.
    const m1 = new RegExp(`m1\\s+Online\\s+.*https://127\\.0\\.0\\.1:${CLUSTER_PORT}`);
    const m2 = new RegExp(`m2\\s+Online\\s+.*https://127\\.0\\.0\\.2:${CLUSTER_PORT}`);
    const screen = await s.waitFor((text) => /Cluster members \(2\)/.test(text) && m1.test(text) && m2.test(text), 15_000);
    expect(screen).toMatch(m1);
    s.write('4');
    await s.waitFor((text) => !text.includes('Cluster members'), 5000);
    s.write('q');
    expect((await s.exited).exitCode).toBe(0);
  }, 90_000);

  it('TUI: a new instance created on the member picked (m2), listed there', async () => {
    const s = startCli(['--socket', socket], { cols: 140, rows: 30 });
    sessions.push(s);
    await s.waitFor((screen) => screen.includes('LOCATION') && listedLive(screen), 20_000);
    s.write('2');
    await s.waitFor(/busybox/, 10_000);
    s.write('/busybox');
    s.write('\r');
    s.write('n');
    await s.waitFor(/New instance from/, 5000);
    s.write('\x15');
    s.write(made);
    s.write('\r');
    await s.waitFor(/pick a cluster member/, 5000);
    s.write('\x1b[B');
    await s.waitFor(/> m1 /, 5000);
    s.write('\x1b[B');
    await s.waitFor(/> m2 /, 5000);
    s.write('\r');
    await s.waitFor((screen) => !screen.includes('pick a cluster member'), 5000);
    s.write('1');
    s.write(`/${made}`);
    s.write('\r');
    await s.waitFor((screen) => new RegExp(`${made}\\s+Running\\s.*\\sm2\\b`).test(screen), 60_000);
    s.write('q');
    await s.exited;
    const { stdout } = await lxc(socket, ['list', made, '-f', 'csv', '-c', 'nL']);
    expect(stdout.trim()).toBe(`${made},m2`);
  }, 120_000);
});
