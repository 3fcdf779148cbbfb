import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findRemote, loadConfig } from '../../../src/config/index.js';
import { tempHome, type TempHome } from './helpers.js';

let h: TempHome;
beforeEach(() => {
  h = tempHome();
});
afterEach(() => h.cleanup());

const lxcConfig = `default-remote: prod
remotes:
  images:
    addr: https://images.linuxcontainers.org
    protocol: simplestreams
    public: true
  prod:
    addr: https://10.0.0.5:8443
    protocol: lxd
    auth_type: tls
    project: web
aliases: {}
`;

describe('loadConfig', () => {
  it('has only the built-in local remote when no file exists', () => {
    const c = loadConfig({ env: h.env });
    expect(c.remotes.map((r) => [r.name, r.addr, r.source])).toEqual([['local', 'unix://', 'builtin']]);
    expect(c.defaultRemote).toBe('local');
    expect(c.warnings).toEqual([]);
    expect(c.sources.map((s) => s.file)).toEqual([
      h.path('.config/lxtop/config.yml'),
      h.path('.config/lxc/config.yml'),
      h.path('.config/incus/config.yml'),
    ]);
  });

  it('reads lxc remotes with their fields and default-remote', () => {
    const file = h.write('.config/lxc/config.yml', lxcConfig);
    const c = loadConfig({ env: h.env });
    const prod = findRemote(c, 'prod')!;
    expect(prod).toMatchObject({
      addr: 'https://10.0.0.5:8443',
      protocol: 'lxd',
      authType: 'tls',
      project: 'web',
      public: false,
      source: 'lxc',
      file,
      dir: h.path('.config/lxc'),
    });
    expect(findRemote(c, 'images')).toMatchObject({ protocol: 'simplestreams', public: true });
    expect(c.defaultRemote).toBe('prod');
    expect(c.defaultFrom).toBe('lxc');
  });

  it('takes LXD_CONF / INCUS_CONF / LXTOP_CONF as directories or files', () => {
    h.write('lxcdir/config.yml', 'remotes:\n  a:\n    addr: https://a:8443\n');
    h.write('inc.yml', 'remotes:\n  b:\n    addr: https://b:8443\n');
    h.write('mine/config.yml', 'remotes:\n  c:\n    addr: https://c:8443\n');
    const c = loadConfig({
      env: { ...h.env, LXD_CONF: h.path('lxcdir'), INCUS_CONF: h.path('inc.yml'), LXTOP_CONF: h.path('mine') },
    });
    expect(findRemote(c, 'a')?.source).toBe('lxc');
    expect(findRemote(c, 'b')).toMatchObject({ source: 'incus', protocol: 'incus', dir: h.root });
    expect(findRemote(c, 'c')).toMatchObject({ source: 'lxtop', dir: h.path('mine') });
  });

  it('reads the snap lxc configuration when ~/.config/lxc has none', () => {
    h.write('snap/lxd/common/config/config.yml', 'remotes:\n  s:\n    addr: https://s:8443\n');
    const c = loadConfig({ env: h.env });
    expect(findRemote(c, 's')?.dir).toBe(h.path('snap/lxd/common/config'));
  });

  it('gives lxtop precedence over lxc over incus, and marks the others shadowed', () => {
    h.write('.config/lxtop/config.yml', 'remotes:\n  x:\n    addr: https://from-lxtop:8443\n');
    h.write('.config/lxc/config.yml', 'remotes:\n  x:\n    addr: https://from-lxc:8443\n  y:\n    addr: https://y-lxc:8443\n');
    h.write('.config/incus/config.yml', 'remotes:\n  y:\n    addr: https://y-incus:8443\n');
    const c = loadConfig({ env: h.env });
    expect(findRemote(c, 'x')?.addr).toBe('https://from-lxtop:8443');
    expect(findRemote(c, 'y')?.addr).toBe('https://y-lxc:8443');
    expect(c.remotes.filter((r) => r.shadowed).map((r) => `${r.name}@${r.source}`)).toEqual(['x@lxc', 'y@incus']);
  });

  it('takes the default remote from lxtop first, and ignores one naming no remote', () => {
    h.write('.config/lxtop/config.yml', 'default-remote: gone\nremotes:\n  mine:\n    addr: https://m:8443\n');
    h.write('.config/incus/config.yml', 'default-remote: mine\n');
    const c = loadConfig({ env: h.env });
    expect(c.defaultRemote).toBe('mine');
    expect(c.defaultFrom).toBe('incus');
    expect(c.warnings).toEqual([`${h.path('.config/lxtop/config.yml')}: default-remote "gone" is not a known remote; ignored`]);
  });

  it('turns a file that does not parse into a warning naming file and line; the others still work', () => {
    const bad = h.write('.config/lxc/config.yml', 'default-remote: local\nremotes:\n  prod:\n    addr: "https://x:8443\n  other: [\n');
    h.write('.config/incus/config.yml', 'remotes:\n  inc:\n    addr: https://inc:8443\n');
    const c = loadConfig({ env: h.env });
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0]).toMatch(new RegExp(`^${bad.replace(/[.]/g, '\\.')}:\\d+:\\d+: `));
    expect(findRemote(c, 'inc')?.addr).toBe('https://inc:8443');
    expect(findRemote(c, 'prod')).toBeUndefined();
  });

  it('names the line of a tab-indented or duplicate-key file', () => {
    const f = h.write('.config/lxtop/config.yml', 'remotes:\n  a:\n    addr: https://a:1\n  a:\n    addr: https://b:1\n');
    const c = loadConfig({ env: h.env });
    expect(c.warnings[0]).toContain(`${f}:4:`);
  });

  it('skips bad entries with a warning and keeps the good ones', () => {
    const f = h.write(
      '.config/lxtop/config.yml',
      'remotes:\n  noaddr:\n    protocol: lxd\n  scalar: 5\n  good:\n    addr: https://g:8443\n',
    );
    const c = loadConfig({ env: h.env });
    expect(c.warnings).toEqual([`${f}:2:3: remote "noaddr" has no addr`, `${f}:4:3: remote "scalar" must be a mapping with at least addr`]);
    expect(findRemote(c, 'good')).toBeDefined();
  });

  it('warns when the whole file is not a mapping, or remotes is not', () => {
    const a = h.write('.config/lxtop/config.yml', '- just\n- a list\n');
    const b = h.write('.config/lxc/config.yml', 'remotes: [1, 2]\n');
    const c = loadConfig({ env: h.env });
    expect(c.warnings[0]).toMatch(new RegExp(`^${a.replace(/[.]/g, '\\.')}:1:1: expected a mapping`));
    expect(c.warnings[1]).toBe(`${b}:1:10: remotes must be a mapping of name to {addr, protocol, ...}`);
  });

  it('accepts an empty file', () => {
    h.write('.config/lxtop/config.yml', '');
    expect(loadConfig({ env: h.env }).warnings).toEqual([]);
  });
});
