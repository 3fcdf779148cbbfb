// The entry's guess at a one-off ssh:// target (src/ssh/one-off.ts): it must start ssh early for
// the command lines the CLI will connect through ssh, and not for those that connect elsewhere or
// nowhere.
import { describe, expect, it } from 'vitest';
import { oneOffSshAddress } from '../../../src/ssh/one-off.js';

const guess = (args: string[], env: Record<string, string> = {}) => oneOffSshAddress(args, env);

describe('oneOffSshAddress', () => {
  it('finds the address of the TUI, --once and exec through ssh', () => {
    expect(guess(['ssh://admin@host'])).toBe('ssh://admin@host');
    expect(guess(['--once', 'ssh://h:2222/var/lib/lxd/unix.socket'])).toBe('ssh://h:2222/var/lib/lxd/unix.socket');
    expect(guess(['SSH://h', 'exec', 'c1', '--', 'ssh://not-this'])).toBe('SSH://h');
  });

  it('gives nothing where the CLI will not open that tunnel', () => {
    expect(guess([])).toBeNull();
    expect(guess(['--once'])).toBeNull();
    expect(guess(['exec', 'c1', '--', 'ssh', 'ssh://x'])).toBeNull(); // after --: the command's
    expect(guess(['ssh://h', '--socket', '/run/lxd.socket'])).toBeNull();
    expect(guess(['--socket=/s', 'ssh://h'])).toBeNull();
    expect(guess(['ssh://h', '--help'])).toBeNull();
    expect(guess(['remote', 'add', 'r', 'ssh://h'])).toBeNull();
    expect(guess(['ssh://h'], { LXTOP_RUN_HOLDER: '1' })).toBeNull();
  });
});
