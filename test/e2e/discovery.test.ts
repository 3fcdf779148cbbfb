// Which daemon plain `lxtop` reaches, through the built CLI against the real LXD and Incus: every
// combination of the CLIs' configuration (none, lxc's, incus's, both: written by the real lxc and
// incus, `default-remote: local`) and the daemons it is pointed at (only LXD_SOCKET set, only
// INCUS_SOCKET, both), for --once, `exec NAME -- true` and the TUI's first frame. Then the names
// lxc and incus share: `local:`, `local@incus:`, the fleet, remote list, and nothing answering.
// HOME, LXD_CONF, INCUS_CONF and LXTOP_CONF point into a temporary directory; LXD_DIR / INCUS_DIR
// are unset. The packaged socket paths are not used while a *_SOCKET is set (src/lxd/socket.ts).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_SOCKETS } from '../../src/lxd/socket.js';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, runCli, uniqueName } from '../support/exec-instances.js';
import { startCli, type PtySession } from '../support/pty.js';

const run = promisify(execFile);
type Config = 'none' | 'lxc' | 'incus' | 'both';
type Up = 'lxd' | 'incus' | 'both';
const CONFIGS: Config[] = ['none', 'lxc', 'incus', 'both'];
const UPS: Up[] = ['lxd', 'incus', 'both'];

/** Where plain lxtop must land: the only daemon up, else lxc's `local` (LXD) unless only incus's config is there. */
const expected = (config: Config, up: Up): 'lxd' | 'incus' => (up !== 'both' ? up : config === 'incus' ? 'incus' : 'lxd');

describeOn(['lxd', 'incus'], 'local daemon discovery with the lxc / incus configuration (built CLI)', () => {
  const sockets = { lxd: daemonSocket('lxd')!, incus: daemonSocket('incus')! };
  const tools = { lxd: daemonTool('lxd', sockets.lxd), incus: daemonTool('incus', sockets.incus) };
  // Letters first: sorted by name, the rows are on the first screen whatever else the daemon holds.
  const names = { lxd: uniqueName('aa-dl'), incus: uniqueName('aa-di') };
  const root = mkdtempSync(join(tmpdir(), 'lxtop-discovery-'));
  const sessions: PtySession[] = [];

  /** One HOME per configuration; lxc and incus write their own config.yml, as on first use. */
  const home = (config: Config) => join(root, config);
  beforeAll(async () => {
    const writes = CONFIGS.flatMap((c) => {
      const env = { ...process.env, HOME: home(c), LXD_CONF: join(home(c), 'lxc'), INCUS_CONF: join(home(c), 'incus'), LXD_SOCKET: '/nonexistent', INCUS_SOCKET: '/nonexistent' };
      return [
        ...(c === 'lxc' || c === 'both' ? [run('lxc', ['remote', 'list'], { env })] : []),
        ...(c === 'incus' || c === 'both' ? [run('incus', ['remote', 'list'], { env })] : []),
      ];
    });
    await Promise.all([...writes, launch(tools.lxd, names.lxd), launch(tools.incus, names.incus)]);
    expect(existsSync(join(home('both'), 'lxc', 'config.yml')) && existsSync(join(home('both'), 'incus', 'config.yml'))).toBe(true);
  }, 120_000);
  afterAll(async () => {
    for (const s of sessions) s.kill();
    await Promise.all([remove(tools.lxd, names.lxd), remove(tools.incus, names.incus)]);
    rmSync(root, { recursive: true, force: true });
  }, 120_000);

  const envFor = (config: Config, up: Up, over: Record<string, string> = {}) => ({
    HOME: home(config),
    LXTOP_CONF: join(home(config), 'lxtop'),
    LXD_CONF: join(home(config), 'lxc'),
    INCUS_CONF: join(home(config), 'incus'),
    LXD_SOCKET: up === 'incus' ? undefined : sockets.lxd,
    INCUS_SOCKET: up === 'lxd' ? undefined : sockets.incus,
    LXD_DIR: undefined,
    INCUS_DIR: undefined,
    ...over,
  });
  const row = (out: string, name: string, remote = '') => new RegExp(`^${remote ? `${remote}\\s+` : ''}${name}\\s+Running\\s`, 'm').test(out);

  for (const config of CONFIGS) {
    for (const up of UPS) {
      const want = expected(config, up);
      const other = want === 'lxd' ? 'incus' : 'lxd';
      const label = `${config} config, ${up === 'both' ? 'both daemons' : `only ${up}`} → ${want}`;

      it(`--once: ${label}`, async () => {
        const r = await runCli(['--once'], undefined, 30_000, envFor(config, up));
        const out = r.stdout.toString();
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(row(out, names[want]), out).toBe(true);
        expect(out).not.toContain(names[other]);
      });

      it(`exec NAME -- true: ${label}`, async () => {
        const r = await runCli(['exec', names[want], '--', 'true'], undefined, 30_000, envFor(config, up));
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
      });

      it(`TUI first frame: ${label}`, async () => {
        const s = startCli([], { cols: 140, rows: 50, env: envFor(config, up) });
        sessions.push(s);
        const server = want === 'lxd' ? /\bLXD 5\./ : /\bIncus 6\./;
        await s.waitFor((screen) => server.test(screen) && screen.includes(names[want]), 15_000);
        expect(s.screen()).not.toContain(names[other]);
        s.write('q');
        expect((await s.exited).exitCode).toBe(0);
      });
    }
  }

  it('local: named is lxc\'s, the local LXD: with only Incus up, a clear error naming the paths tried and local@incus', async () => {
    const r = await runCli(['local:', '--once'], undefined, 30_000, envFor('both', 'incus'));
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe(`lxtop: note: "local" is lxc's remote (${join(home('both'), 'lxc', 'config.yml')}); incus's is local@incus`);
    expect(lines[1]).toMatch(/^lxtop: No LXD daemon found for remote "local" \(.*lxc\/config\.yml, the local LXD\)\. Tried:$/);
    // With no LXD_SOCKET, the packaged LXD locations (absent here; if one answered, this is moot).
    if (DEFAULT_SOCKETS.lxd.some((p) => existsSync(p))) return;
    expect(lines.slice(2, 4)).toEqual(DEFAULT_SOCKETS.lxd.map((p) => `  ${p}  (default (lxd)): does not exist`));
    expect(r.stderr).toContain('--socket <path>');
    expect(r.stderr).toContain('(local is the local LXD only; local@incus is the local Incus)');
  });

  it('local@incus: and exec local@incus:NAME reach incus\'s local; plain local: is lxc\'s, with a note', async () => {
    const env = envFor('both', 'both');
    const inc = await runCli(['local@incus:', '--once'], undefined, 30_000, env);
    expect(inc.stderr).toBe('');
    expect(row(inc.stdout.toString(), names.incus)).toBe(true);
    const exec = await runCli(['exec', `local@incus:${names.incus}`, '--', 'true'], undefined, 30_000, env);
    expect([exec.code, exec.stderr]).toEqual([0, '']);
    const lxc = await runCli(['local:', '--once'], undefined, 30_000, env);
    expect(lxc.stderr).toMatch(/^lxtop: note: "local" is lxc's remote .*; incus's is local@incus\n$/);
    expect(row(lxc.stdout.toString(), names.lxd)).toBe(true);
    expect(lxc.stdout.toString()).not.toContain(names.incus);
  });

  it('--fleet --once with both configurations shows both locals, told apart in the REMOTE column', async () => {
    const r = await runCli(['--fleet', '--once'], undefined, 30_000, envFor('both', 'both'));
    const out = r.stdout.toString();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(row(out, names.lxd, 'local'), out).toBe(true);
    expect(row(out, names.incus, 'local@incus'), out).toBe(true);
  });

  it('remote list shows both, incus\'s under local@incus', async () => {
    const r = await runCli(['remote', 'list'], undefined, 30_000, envFor('both', 'both'));
    const out = r.stdout.toString();
    expect(r.code).toBe(0);
    expect(out).toMatch(/^local \(default\)\s+unix:\/\/\s+lxd\s+default\s+\S+lxc\/config\.yml$/m);
    expect(out).toMatch(/^local@incus\s+unix:\/\/\s+incus\s+default\s+\S+incus\/config\.yml \(plain "local" is lxc's\)$/m);
  });

  it('nothing answers: every place tried, in order, and how to point lxtop at a daemon', async () => {
    const gone = { LXD_SOCKET: join(root, 'gone-lxd.socket'), INCUS_SOCKET: join(root, 'gone-incus.socket') };
    for (const config of CONFIGS) {
      const r = await runCli(['--once'], undefined, 30_000, envFor(config, 'both', gone));
      expect(r.code).toBe(1);
      const lines = r.stderr.split('\n');
      expect(lines[0]).toMatch(/^lxtop: No LXD or Incus daemon found( for remote "local" \(.*\))?\. Tried:$/);
      const tried = [`  ${gone.LXD_SOCKET}  (LXD_SOCKET): does not exist`, `  ${gone.INCUS_SOCKET}  (INCUS_SOCKET): does not exist`];
      expect(lines.slice(1, 3)).toEqual(config === 'incus' ? tried.reverse() : tried);
      expect(lines.slice(3, 5).join(' ')).toMatch(/--socket <path>.*LXD_SOCKET \/ LXD_DIR.*INCUS_SOCKET \/ INCUS_DIR/);
    }
  });
});
