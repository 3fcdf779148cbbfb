// The session holder on its own (no daemon needed): three started at once with the same directory
// leave exactly one running, listening, named in the lock; the others leave its socket alone. With
// nothing to hold it exits after its linger and removes its socket and lock. A directory that is not
// private to the user is refused.
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliPath } from '../support/pty.js';
import { eventually, holderHome, type HolderHome } from '../support/sessions.js';

const homes: HolderHome[] = [];
afterEach(async () => {
  for (const h of homes.splice(0)) await h.dispose();
});

function startHolder(h: HolderHome): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath], { env: { ...process.env, ...h.env, LXTOP_RUN_HOLDER: '1' }, stdio: 'ignore' });
    child.on('exit', (code) => resolve(code));
    // The survivor never exits by itself here (linger): resolve it as running after a while.
    setTimeout(() => resolve(null), 3000);
  });
}

const answers = (socket: string) =>
  new Promise<boolean>((resolve) => {
    const s = connect(socket);
    s.on('connect', () => (s.end(), resolve(true)));
    s.on('error', () => resolve(false));
  });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the session holder', () => {
  it('three started at once: one runs and listens, the others exit 0 without touching its socket; idle, it exits after its linger and cleans up', async () => {
    const h = holderHome({ LXTOP_HOLDER_LINGER_MS: '4000' });
    homes.push(h);
    const ends = await Promise.all([startHolder(h), startHolder(h), startHolder(h)]);
    expect(ends.filter((e) => e === 0)).toHaveLength(2);
    expect(ends.filter((e) => e === null)).toHaveLength(1);
    const pid = Number(readFileSync(join(h.dir, 'holder.lock'), 'utf8'));
    expect(alive(pid)).toBe(true);
    expect(await answers(h.socket)).toBe(true);
    expect(statSync(h.socket).mode & 0o777).toBe(0o600);
    await eventually('the idle holder gone', async () => !alive(pid), 15_000);
    expect(existsSync(h.socket)).toBe(false);
    expect(existsSync(join(h.dir, 'holder.lock'))).toBe(false);
  });

  it('takes over the lock of a holder that died (its pid gone) and tightens a directory left too open', async () => {
    const h = holderHome({ LXTOP_HOLDER_LINGER_MS: '60000' });
    homes.push(h);
    mkdirSync(h.dir, { recursive: true });
    chmodSync(h.dir, 0o755);
    // A pid that is not running: a holder killed with SIGKILL left its lock behind.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(h.dir, 'holder.lock'), '999999');
    expect(await startHolder(h)).toBeNull();
    expect(await answers(h.socket)).toBe(true);
    expect(statSync(h.dir).mode & 0o777).toBe(0o700);
  });

  it("refuses a directory that belongs to another user: the holder does not start there, and lxtop says why", async () => {
    const h = holderHome();
    homes.push(h);
    mkdirSync(h.dir, { recursive: true, mode: 0o700 });
    chownSync(h.dir, 65534, 65534);
    expect(await startHolder(h)).toBe(1);
    expect(existsSync(h.socket)).toBe(false);
    const r = await h.lxtop(['exec', '-d', 'anything']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/belongs to uid 65534, not to this user/);
  });
});
