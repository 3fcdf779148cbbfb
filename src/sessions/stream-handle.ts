// Stopping a stream's reading at its libuv handle: Node's pause() goes on reading until 16 KB are
// buffered. Only a handle Node has reading is stopped, and its `reading` flag is left set, so Node's
// own bookkeeping stays true (it will not start it again behind our back; restartReading does).
// Used by the holder's batched reads (read-batch.ts) and by an attach handing its terminal over
// (attach.ts).

/** The part of a socket's (or a terminal stream's) libuv handle this uses (`_handle`). */
interface StreamHandle {
  reading?: boolean;
  readStart?(): number;
  readStop?(): number;
}

function handleOf(stream: unknown): StreamHandle | null {
  const h = (stream as { _handle?: StreamHandle } | null | undefined)?._handle;
  return h && typeof h.readStart === 'function' && typeof h.readStop === 'function' ? h : null;
}

/** Stops the handle when Node has it reading; true when it did (restartReading undoes it). */
export function stopReading(stream: unknown): boolean {
  const h = handleOf(stream);
  if (!h || h.reading !== true) return false;
  h.readStop?.();
  return true;
}

/** Reads again after stopReading (when Node still counts the handle as reading). */
export function restartReading(stream: unknown): void {
  const h = handleOf(stream);
  if (h && h.reading === true) h.readStart?.();
}
