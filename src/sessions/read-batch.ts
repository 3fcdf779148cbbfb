// Detached sessions read their command's output in batches. Nobody watches a detached session,
// yet every line it prints would wake the holder: on a loaded (or virtualised) machine a wake-up
// costs more than the line (bench/README: 20 sessions at a line a second each cost a bare Node
// websocket client 1.25 % of a core read as it comes, 0.65 % read every 2 s). So while detached,
// a session's socket is not read (the kernel and the daemon hold the bytes; nothing is lost) except
// once every BATCH_MS, all sessions in the same tick. A session that sent BUSY_BYTES or more since
// the last tick keeps reading: a flood must not wait on the kernel's buffers.
//
// Node's socket.pause() stops reading only once 16 KB are buffered, so this stops the socket's
// handle itself (stream-handle.ts).

import { restartReading, stopReading } from './stream-handle.js';

export const BATCH_MS = 2000;
/** How long a batch reads before it stops again. */
const WINDOW_MS = 50;
/** Output since the last tick that keeps a session reading continuously (~32 KB/s). */
const BUSY_BYTES = 64 * 1024;

/** One session's socket, as the batch reads it. */
export class BatchedReader {
  private stopped = false;
  private inBatch = false;
  private bytes = 0;
  private recent = 0;

  constructor(private readonly socket: () => unknown) {}

  /** Counts output read (a busy session keeps reading). */
  read(n: number): void {
    this.bytes += n;
  }

  /** Detached: read in batches from now on. Attached: read as it comes. */
  set batched(on: boolean) {
    if (on === this.inBatch) return;
    this.inBatch = on;
    if (on) {
      members.add(this);
      ensureTicker();
      this.stop();
    } else {
      leave(this);
      this.start();
    }
  }

  get batched(): boolean {
    return this.inBatch;
  }

  /** Reads what is waiting now; resolves once a read window has passed (a history request). */
  readNow(): Promise<void> {
    if (!this.stopped) return Promise.resolve();
    this.start();
    return new Promise((resolve) =>
      setTimeout(() => {
        if (this.inBatch) this.stopUnlessBusy();
        resolve();
      }, WINDOW_MS),
    );
  }

  dispose(): void {
    leave(this);
    this.inBatch = false;
    this.start();
  }

  /** The batch tick: read for a window. */
  tick(): void {
    this.recent = this.bytes;
    this.bytes = 0;
    this.start();
  }

  stopUnlessBusy(): void {
    if (this.recent + this.bytes < BUSY_BYTES) this.stop();
  }

  private stop(): void {
    if (!this.stopped) this.stopped = stopReading(this.socket());
  }

  private start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    restartReading(this.socket());
  }
}

const members = new Set<BatchedReader>();
let ticker: NodeJS.Timeout | null = null;
/** Run once at the end of the next batch's read window (the screen feeds of detached sessions). */
const atEnd = new Set<() => void>();

/**
 * Runs `fn` once when the next batch has read what was waiting: the output a detached session
 * printed is then parsed in the same wake-up as it was read, not by a timer of its own. False
 * when no batch runs (nothing is detached): the caller keeps its own timer.
 */
export function atBatchEnd(fn: () => void): boolean {
  if (!ticker) return false;
  atEnd.add(fn);
  return true;
}

export function cancelBatchEnd(fn: () => void): void {
  atEnd.delete(fn);
}

/** The last one out stops the ticker (the next one in starts it: its first batch a period later). */
function leave(reader: BatchedReader): void {
  members.delete(reader);
  if (members.size > 0 || !ticker) return;
  clearInterval(ticker);
  ticker = null;
  // No batch comes any more: what waited for one runs now rather than never.
  const due = [...atEnd];
  atEnd.clear();
  for (const fn of due) fn();
}

function ensureTicker(): void {
  if (ticker) return;
  ticker = setInterval(() => {
    const batch = [...members];
    for (const m of batch) m.tick();
    setTimeout(() => {
      for (const m of batch) if (m.batched) m.stopUnlessBusy();
      const due = [...atEnd];
      atEnd.clear();
      for (const fn of due) fn();
    }, WINDOW_MS).unref();
  }, BATCH_MS);
  ticker.unref();
}
