// Which forwarded socket leads to a daemon. ssh accepts every local connection and only then asks
// the far side to open its socket: a path that is not there (or not the user's to open) ends the
// connection unanswered, so the one that answers an HTTP request is the daemon.
import { createConnection } from 'node:net';

const REQUEST = 'GET /1.0 HTTP/1.1\r\nHost: lxd\r\nConnection: close\r\n\r\n';

/** True when an HTTP server answers on the unix socket `path` within `ms`. */
export function answers(path: string, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(path);
    let got = '';
    const done = () => {
      clearTimeout(timer);
      s.destroy();
      resolve(got.startsWith('HTTP/'));
    };
    const timer = setTimeout(done, ms);
    s.setEncoding('latin1');
    s.on('connect', () => s.write(REQUEST));
    s.on('data', (d: string) => {
      got += d;
      if (got.length >= 5) done();
    });
    s.on('error', done);
    s.on('close', done);
  });
}

/** The index of the first of `paths` (in their order) on which a daemon answers; null when none does. */
export async function firstAnswering(paths: readonly string[], ms: number): Promise<number | null> {
  // All at once: each is a round trip to the far side, and most of them fail.
  const tries = paths.map((p) => answers(p, ms));
  for (let i = 0; i < tries.length; i++) if (await tries[i]) return i;
  return null;
}
