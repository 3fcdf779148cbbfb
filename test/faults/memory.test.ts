// Memory while in use: the built CLI in a real pty against the fake daemon with 2,000 instances,
// scrolled and filtered for a while; its peak resident set (VmHWM) stays under the 200 MB the
// issue sets for 5,000 instances. (Ink allocates several MB per frame, all short-lived: what
// bounds the peak is how far the heap may grow between two major collections.)
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLxd, type FakeLxd } from '../support/fake-lxd-server.js';
import { startCli, type PtySession } from '../support/pty.js';
import { sleep } from './helpers.js';

const PEAK_MIB = 200;

function peakMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

describe('memory while scrolling and filtering 2,000 instances', () => {
  let fake: FakeLxd;
  let s: PtySession;
  beforeAll(async () => {
    fake = await startFakeLxd({ instances: 2000, running: 200, prefix: 'mem' });
    s = startCli(['--socket', fake.socket], { cols: 160, rows: 50, env: { NODE_ENV: undefined } });
    await s.waitFor((x) => x.includes('2000 instances') && !x.includes('(starting…)'), 20_000);
  }, 30_000);
  afterAll(async () => {
    s?.kill('SIGKILL');
    await fake?.close();
  });

  it(`peak RSS stays under ${PEAK_MIB} MiB`, async () => {
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 40; i++) {
        s.write('j');
        await sleep(40);
      }
      for (let i = 0; i < 10; i++) {
        s.write('\x1b[6~');
        await sleep(40);
      }
      s.write('/');
      for (const c of 'mem-1') {
        await sleep(40);
        s.write(c);
      }
      await sleep(100);
      s.write('\x1b');
      await sleep(200);
      s.write('g');
    }
    await sleep(500);
    const peak = peakMiB(s.pty.pid);
    console.log(`[memory] peak RSS ${peak.toFixed(0)} MiB after scrolling and filtering 2,000 instances (target ≤ ${PEAK_MIB})`);
    expect(peak).toBeLessThanOrEqual(PEAK_MIB);
  }, 60_000);
});
