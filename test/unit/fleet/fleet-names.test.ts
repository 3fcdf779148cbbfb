// The fleet's remotes when lxc's and incus's configurations both define `local`: two daemons, two
// rows in the REMOTE column (`local`, `local@incus`), and no fallback that would show one twice.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliOptions } from '../../../src/app/args.js';
import { fleetTargets } from '../../../src/fleet/main.js';
import { tempHome, type TempHome } from '../config/helpers.js';

const LOCAL = 'default-remote: local\nremotes:\n  local:\n    addr: unix://\n';

let h: TempHome;
let stderr: string;
beforeEach(() => {
  h = tempHome();
  for (const [k, v] of Object.entries(h.env)) vi.stubEnv(k, v);
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  h.cleanup();
});

const opts = {} as CliOptions;
const summary = (fleet?: string[]) =>
  fleetTargets(opts, { fleet: fleet ?? [] }).map((t) => {
    const u = t.target.kind === 'unix' ? t.target : null;
    return `${t.name} ${u?.server ?? '-'} ${u?.fallback ? 'fallback' : 'own'}`;
  });

describe('fleet remotes named alike', () => {
  it('--fleet with both configurations: lxc\'s local and incus\'s, each its own daemon only', () => {
    h.write('.config/lxc/config.yml', LOCAL);
    h.write('.config/incus/config.yml', LOCAL);
    expect(summary()).toEqual(['local lxd own', 'local@incus incus own']);
    expect(stderr).toBe('');
  });

  it('--fleet with lxc\'s configuration only: its local may show a lone Incus, as plain lxtop does', () => {
    h.write('.config/lxc/config.yml', LOCAL);
    expect(summary()).toEqual(['local lxd fallback']);
  });

  it('named: a note says which local is meant; the qualified names pick each one, once', () => {
    h.write('.config/lxc/config.yml', LOCAL);
    h.write('.config/incus/config.yml', LOCAL);
    expect(summary(['local', 'local@incus', 'local@lxc'])).toEqual(['local lxd own', 'local@incus incus own']);
    expect(stderr).toBe(`lxtop: note: "local" is lxc's remote (${h.path('.config/lxc/config.yml')}); incus's is local@incus\n`);
  });

  it('the same HTTPS server in lxtop\'s and lxc\'s configuration is listed once', () => {
    h.write('.config/lxtop/config.yml', 'remotes:\n  prod:\n    addr: https://p:8443\n');
    h.write('.config/lxc/config.yml', 'remotes:\n  prod:\n    addr: https://p:8443/\n  other:\n    addr: https://p:8443\n    project: web\n');
    for (const d of ['.config/lxtop', '.config/lxc']) {
      h.write(`${d}/client.crt`, 'C');
      h.write(`${d}/client.key`, 'K');
    }
    expect(fleetTargets(opts, { fleet: [] }).map((t) => t.name)).toEqual(['prod', 'other', 'local']);
  });
});
