// From the configuration to the socket paths tried: `local` from lxc's / incus's config, named or
// the default, with $LXD_SOCKET / $INCUS_SOCKET set or not, and lxc's and incus's `local` together.
// The packaged locations are fakes: the real ones may exist on the machine running the tests.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findRemote, loadConfig, resolveTarget, type Env } from '../../../src/config/index.js';
import { NoDaemonError } from '../../../src/lxd/errors.js';
import { findSocket, socketCandidates } from '../../../src/lxd/socket.js';
import { formatRemoteList } from '../../../src/remote/list.js';
import { connectOptions } from '../../../src/remote/connect.js';
import { tempHome, type TempHome } from './helpers.js';

const defaults = { lxd: ['/snap/lxd.sock', '/lib/lxd.sock'], incus: ['/run/incus.sock', '/lib/incus.sock'] };
const LXC = 'default-remote: local\nremotes:\n  local:\n    addr: unix://\n    public: false\n';
const INCUS = 'default-remote: local\nremotes:\n  local:\n    addr: unix://\n    public: false\n';

let h: TempHome;
beforeEach(() => {
  h = tempHome();
});
afterEach(() => h.cleanup());

function configure(which: 'none' | 'lxc' | 'incus' | 'both') {
  if (which === 'lxc' || which === 'both') h.write('.config/lxc/config.yml', LXC);
  if (which === 'incus' || which === 'both') h.write('.config/incus/config.yml', INCUS);
}

/** The options connectTarget would give src/lxd for this remote (or the default), with these sockets set. */
function discovery(sockets: Env, remote?: string) {
  const env = { ...h.env, ...sockets };
  return { ...connectOptions(resolveTarget(loadConfig({ env }), { remote })), env, defaults };
}

const paths = (sockets: Env, remote?: string) => socketCandidates(discovery(sockets, remote)).map((c) => `${c.path} ${c.source}`);

describe('socket candidates in the documented order', () => {
  it('no overrides: the LXD locations, then Incus\'s; an Incus preference turns that round', () => {
    expect(socketCandidates({ env: {}, defaults }).map((c) => c.path)).toEqual(['/snap/lxd.sock', '/lib/lxd.sock', '/run/incus.sock', '/lib/incus.sock']);
    expect(socketCandidates({ env: {}, defaults, prefer: 'incus' }).map((c) => c.path)).toEqual(['/run/incus.sock', '/lib/incus.sock', '/snap/lxd.sock', '/lib/lxd.sock']);
  });

  it('only $INCUS_SOCKET / $INCUS_DIR set: those, whatever daemon is preferred', () => {
    for (const prefer of [undefined, 'lxd', 'incus'] as const) {
      expect(socketCandidates({ env: { INCUS_SOCKET: '/i.sock' }, defaults, prefer }).map((c) => c.path)).toEqual(['/i.sock']);
      expect(socketCandidates({ env: { INCUS_DIR: '/d' }, defaults, prefer }).map((c) => c.path)).toEqual(['/d/unix.socket']);
    }
  });

  it('both set: the preferred daemon\'s variables first', () => {
    const env = { LXD_SOCKET: '/l.sock', INCUS_SOCKET: '/i.sock' };
    expect(socketCandidates({ env, defaults }).map((c) => c.path)).toEqual(['/l.sock', '/i.sock']);
    expect(socketCandidates({ env, defaults, prefer: 'incus' }).map((c) => c.path)).toEqual(['/i.sock', '/l.sock']);
  });
});

describe('resolving local', () => {
  const none = {};
  const onlyLxd = { LXD_SOCKET: '/l.sock' };
  const onlyIncus = { INCUS_SOCKET: '/i.sock' };
  const both = { LXD_SOCKET: '/l.sock', INCUS_SOCKET: '/i.sock' };

  it('lxc\'s local as the default: LXD first, then Incus (the bug: an Incus-only host stopped at the LXD sockets)', () => {
    configure('lxc');
    expect(paths(onlyIncus)).toEqual(['/i.sock INCUS_SOCKET']);
    expect(paths(onlyLxd)).toEqual(['/l.sock LXD_SOCKET']);
    expect(paths(both)).toEqual(['/l.sock LXD_SOCKET', '/i.sock INCUS_SOCKET']);
    expect(paths(none)).toEqual(['/snap/lxd.sock default (lxd)', '/lib/lxd.sock default (lxd)', '/run/incus.sock default (incus)', '/lib/incus.sock default (incus)']);
  });

  it('incus\'s local as the default: Incus first, then LXD', () => {
    configure('incus');
    expect(paths(both)).toEqual(['/i.sock INCUS_SOCKET', '/l.sock LXD_SOCKET']);
    expect(paths(onlyLxd)).toEqual(['/l.sock LXD_SOCKET']);
    expect(paths(none)[0]).toBe('/run/incus.sock default (incus)');
  });

  it('no configuration: the built-in local, LXD first', () => {
    configure('none');
    expect(paths(both)).toEqual(['/l.sock LXD_SOCKET', '/i.sock INCUS_SOCKET']);
    expect(paths(onlyIncus)).toEqual(['/i.sock INCUS_SOCKET']);
  });

  it('named on the command line, local is its own daemon only', () => {
    configure('lxc');
    expect(paths(onlyIncus, 'local')).toEqual(['/snap/lxd.sock default (lxd)', '/lib/lxd.sock default (lxd)']);
    expect(paths(both, 'local')).toEqual(['/l.sock LXD_SOCKET']);
  });

  it('both configurations: local is lxc\'s (LXD), local@incus incus\'s (Incus), and local@lxc says it outright', () => {
    configure('both');
    const c = loadConfig({ env: h.env });
    expect(c.remotes.map((r) => `${r.id} ${r.source}${r.shadowed ? ' shadowed' : ''}`)).toEqual(['local lxc', 'local@incus incus shadowed', 'local@builtin builtin shadowed']);
    expect(c.defaultRemote).toBe('local');
    expect(findRemote(c, 'local@lxc')).toBe(findRemote(c, 'local'));
    expect(findRemote(c, 'local@incus')?.source).toBe('incus');
    expect(paths(both, 'local@incus')).toEqual(['/i.sock INCUS_SOCKET']);
    expect(paths(both, 'local@lxc')).toEqual(['/l.sock LXD_SOCKET']);
    expect(paths(both)).toEqual(['/l.sock LXD_SOCKET', '/i.sock INCUS_SOCKET']);
  });

  it('a plain name several configurations define carries a note; the qualified one does not', () => {
    configure('both');
    const c = loadConfig({ env: h.env });
    expect(resolveTarget(c, { remote: 'local' }).note).toBe(`"local" is lxc's remote (${h.path('.config/lxc/config.yml')}); incus's is local@incus`);
    expect(resolveTarget(c, { remote: 'local@incus' }).note).toBeUndefined();
    expect(resolveTarget(c, {}).note).toBeUndefined();
  });

  it('an incus-only default-remote that lxc shadows still means incus\'s own entry', () => {
    h.write('.config/lxc/config.yml', 'remotes:\n  local:\n    addr: unix://\n');
    h.write('.config/incus/config.yml', INCUS);
    expect(loadConfig({ env: h.env }).defaultRemote).toBe('local@incus');
  });

  it('remote list shows both, under their ids', () => {
    configure('both');
    const out = formatRemoteList(loadConfig({ env: h.env }));
    expect(out).toMatch(/^local \(default\)\s+unix:\/\/\s+lxd\s/m);
    expect(out).toMatch(/^local@incus\s+unix:\/\/\s+incus\s+default\s+.*incus\/config\.yml \(plain "local" is lxc's\)$/m);
    expect(out).not.toContain('built-in');
  });
});

describe('when nothing answers', () => {
  it('the message says which remote wanted which daemon, every path tried in order, and the other one', async () => {
    configure('both');
    const missing = { LXD_SOCKET: h.path('l.sock'), INCUS_SOCKET: h.path('i.sock') };
    const err = (await findSocket(discovery(missing, 'local')).catch((e: unknown) => e)) as NoDaemonError;
    expect(err).toBeInstanceOf(NoDaemonError);
    expect(err.message.split('\n')).toEqual([
      `No LXD daemon found for remote "local" (${h.path('.config/lxc/config.yml')}, the local LXD). Tried:`,
      `  ${h.path('l.sock')}  (LXD_SOCKET): does not exist`,
      'Point lxtop at a daemon with --socket <path>, or set LXD_SOCKET / LXD_DIR (LXD) or',
      'INCUS_SOCKET / INCUS_DIR (Incus). Is the daemon running, and may this user open its socket?',
      '(local is the local LXD only; local@incus is the local Incus)',
    ]);
    const dflt = (await findSocket(discovery(missing)).catch((e: unknown) => e)) as NoDaemonError;
    expect(dflt.message).toMatch(/^No LXD or Incus daemon found for remote "local" \(.*\). Tried:\n.*l\.sock {2}\(LXD_SOCKET\).*\n.*i\.sock {2}\(INCUS_SOCKET\)/);
  });
});
