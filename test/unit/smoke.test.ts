import { describe, expect, it } from 'vitest';
import { daemonSocket } from '../support/daemons.js';

describe('test support', () => {
  it('reports a missing daemon as null', () => {
    const saved = process.env.LXD_SOCKET;
    process.env.LXD_SOCKET = '/nonexistent/unix.socket';
    try {
      expect(daemonSocket('lxd')).toBeNull();
    } finally {
      if (saved === undefined) delete process.env.LXD_SOCKET;
      else process.env.LXD_SOCKET = saved;
    }
  });
});
