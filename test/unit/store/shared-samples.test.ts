import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InstanceState } from '../../../src/lxd/types.js';
import { openSharedSamples } from '../../../src/store/shared-samples.js';

const state = { status: 'Running', processes: 3 } as unknown as InstanceState;
const dirs: string[] = [];
function base(): string {
  const d = mkdtempSync(join(tmpdir(), 'lxtop-shared-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('shared /state samples', () => {
  it('one lxtop claims a slot, writes its sample; another reads it and does not win the slot', () => {
    const dir = base();
    const a = openSharedSamples('unix:/x.socket', { dir, now: () => 10_000 })!;
    const b = openSharedSamples('unix:/x.socket', { dir, now: () => 10_000 })!;
    expect(a.claim('c1', 8_000)).toBe(true);
    expect(b.claim('c1', 8_000)).toBe(false);
    expect(b.read('c1', 9_000)).toBeNull();
    a.write('c1', { at: 9_500, state });
    expect(b.read('c1', 9_000)).toEqual({ at: 9_500, state });
    expect(b.read('c1', 9_600)).toBeNull(); // older than asked for
    expect(openSharedSamples('unix:/other.socket', { dir, now: () => 10_000 })!.read('c1', 0)).toBeNull();
  });

  it("removes other daemons' directories nothing wrote to for a day, and nothing else, in its first claim's sweep (not at start)", () => {
    const dir = base();
    const day = 24 * 3600_000;
    const stale = join(dir, '0123456789abcdef0123');
    const fresh = join(dir, 'fedcba9876543210fedc');
    mkdirSync(stale);
    writeFileSync(join(stale, '972d7d8327fcf362b53b.json'), '{}');
    mkdirSync(fresh);
    const oldDir = join(dir, 'not-a-daemon');
    mkdirSync(oldDir);
    writeFileSync(join(dir, 'sessions.sock.lock'), '1');
    const old = (Date.now() - day - 60_000) / 1000;
    const recent = (Date.now() - day + 60_000) / 1000;
    utimesSync(stale, old, old);
    utimesSync(oldDir, old, old);
    utimesSync(fresh, recent, recent);
    const samples = openSharedSamples('unix:/x.socket', { dir })!;
    expect(existsSync(stale)).toBe(true);
    expect(samples.claim('c1', Date.now())).toBe(true);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(oldDir)).toBe(true);
    expect(existsSync(join(dir, 'sessions.sock.lock'))).toBe(true);
    expect(readdirSync(dir).filter((n) => /^[0-9a-f]{20}$/.test(n))).toHaveLength(2); // fresh, and x.socket's own
  });
});
