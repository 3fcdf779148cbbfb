// lxtop's side of the holder's socket: connect (starting the holder when asked and none runs),
// requests with their answers, and what the holder pushes (the list, output, an attached session's
// end). The holder is this same program started with LXTOP_RUN_HOLDER=1, detached from the
// terminal, its output to a log file in the private directory, so the single binary works too.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { encodeData, encodeJson, FrameReader } from './frames.js';
import { ensurePrivateDir, holderPaths, type HolderPaths } from './paths.js';

/** How long a freshly spawned holder gets to listen. */
const START_TIMEOUT_MS = 5000;

export class HolderError extends Error {
  override name = 'HolderError';
}

type Reply = Record<string, unknown>;

export class HolderClient {
  private readonly reader = new FrameReader();
  private nextReq = 1;
  private readonly waiting = new Map<number, { resolve(m: Reply): void; reject(e: Error): void }>();
  /** Pushed messages (no `req`). */
  onMessage: (m: Reply) => void = () => {};
  onData: (bytes: Buffer) => void = () => {};
  onClose: () => void = () => {};
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = this.reader.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      // Consecutive output frames reach onData as one buffer: one write to the terminal, not one
      // per ~4 KB frame.
      let run: Buffer[] = [];
      const flush = (): void => {
        if (run.length > 0) this.onData(run.length === 1 ? run[0] : Buffer.concat(run));
        run = [];
      };
      for (const f of frames) {
        if (f.kind === 'data') {
          run.push(f.bytes);
          continue;
        }
        flush();
        this.dispatch(f.message);
      }
      flush();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiting.values()) w.reject(new HolderError('the session holder went away'));
      this.waiting.clear();
      this.onClose();
    });
  }

  private dispatch(m: Reply): void {
    const req = typeof m.req === 'number' ? this.waiting.get(m.req) : undefined;
    if (req === undefined) {
      this.onMessage(m);
      return;
    }
    this.waiting.delete(m.req as number);
    if (m.op === 'error') req.reject(new HolderError(String(m.message)));
    else req.resolve(m);
  }

  /** Sends a request; resolves with its answer, rejects with the holder's error message. */
  request(message: Record<string, unknown>): Promise<Reply> {
    if (this.closed) return Promise.reject(new HolderError('the session holder went away'));
    const req = this.nextReq++;
    return new Promise((resolve, reject) => {
      this.waiting.set(req, { resolve, reject });
      this.socket.write(encodeJson({ ...message, req }));
    });
  }

  /** A session's raw output so far and its width: the answer, then one data frame with the bytes. */
  async history(id: string): Promise<{ raw: Buffer; cols: number }> {
    const parts: Buffer[] = [];
    let got = 0;
    let arrived = (): void => {};
    this.onData = (b) => {
      parts.push(b);
      got += b.length;
      arrived();
    };
    const reply = await this.request({ op: 'history', id });
    while (got < Number(reply.bytes)) await new Promise<void>((resolve) => (arrived = resolve));
    return { raw: Buffer.concat(parts), cols: Number(reply.cols) || 80 };
  }

  /** A message that has no answer (resize). */
  tell(message: Record<string, unknown>): void {
    if (!this.closed) this.socket.write(encodeJson(message));
  }

  input(bytes: Buffer): void {
    if (!this.closed) this.socket.write(encodeData(bytes));
  }

  /** Stop reading (the local terminal is behind): the holder then holds the session's output back. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): void {
    this.socket.end();
  }

  /** The holder's socket is there and answers; null when no holder runs (`start`: start one). */
  static async connect(opts: { start: boolean; paths?: HolderPaths }): Promise<HolderClient | null> {
    const paths = opts.paths ?? holderPaths();
    const socket = await tryConnect(paths.socket);
    if (socket) return new HolderClient(socket);
    if (!opts.start) return null;
    spawnHolder(paths);
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      const s = await tryConnect(paths.socket);
      if (s) return new HolderClient(s);
    }
    throw new HolderError(`the session holder did not start in ${START_TIMEOUT_MS / 1000} s (its log: ${paths.log})`);
  }
}

function tryConnect(path: string): Promise<Socket | null> {
  if (!existsSync(path)) return Promise.resolve(null);
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    // Refused (a holder that died and left its socket) or not ours to reach: no holder for us.
    socket.once('error', () => resolve(null));
  });
}

/** This program again, as the holder: its own session (no terminal, no SIGHUP from ours), unref'd. */
function spawnHolder(paths: HolderPaths): void {
  ensurePrivateDir(paths.dir);
  const log = openSync(paths.log, 'a', 0o600);
  // Bundled: dist/cli.js (or the single binary, whose argv[1] is itself). From sources (tests of
  // the client alone) there is no holder to start.
  const args = process.env.LXTOP_BINARY_VERSION ? [] : [process.argv[1]];
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, LXTOP_RUN_HOLDER: '1' },
    cwd: '/',
  });
  child.unref();
  closeSync(log);
}
