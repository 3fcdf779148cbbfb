// The holder's wire format, both ways on its unix socket: frames of [kind u8][length u32 BE][payload].
// Kind 1 is a JSON control message, kind 2 raw terminal bytes (output to an attached client, input
// from it). Length-prefixed so raw output needs no escaping and no scan for newlines.

export const JSON_FRAME = 1;
export const DATA_FRAME = 2;
const HEADER = 5;
/** No honest message comes near this; a larger length means a broken or hostile peer. */
export const MAX_FRAME = 64 * 1024 * 1024;

export function encodeJson(message: unknown): Buffer {
  return frame(JSON_FRAME, Buffer.from(JSON.stringify(message), 'utf8'));
}

export function encodeData(bytes: Buffer): Buffer {
  return frame(DATA_FRAME, bytes);
}

function frame(kind: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER + payload.length);
  out[0] = kind;
  out.writeUInt32BE(payload.length, 1);
  payload.copy(out, HEADER);
  return out;
}

export type Frame = { kind: 'json'; message: Record<string, unknown> } | { kind: 'data'; bytes: Buffer };

export class FrameError extends Error {
  override name = 'FrameError';
}

/** Cuts a byte stream into frames; chunks may split frames anywhere. */
export class FrameReader {
  private pending: Buffer[] = [];
  private pendingLength = 0;

  /** The frames completed by this chunk; throws FrameError on a malformed stream. */
  push(chunk: Buffer): Frame[] {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    const frames: Frame[] = [];
    let buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingLength);
    let at = 0;
    while (buf.length - at >= HEADER) {
      const kind = buf[at];
      const length = buf.readUInt32BE(at + 1);
      if (kind !== JSON_FRAME && kind !== DATA_FRAME) throw new FrameError(`unknown frame kind ${kind}`);
      if (length > MAX_FRAME) throw new FrameError(`frame of ${length} bytes is too large`);
      if (buf.length - at < HEADER + length) break;
      const payload = buf.subarray(at + HEADER, at + HEADER + length);
      at += HEADER + length;
      if (kind === DATA_FRAME) {
        frames.push({ kind: 'data', bytes: payload });
        continue;
      }
      let message: unknown;
      try {
        message = JSON.parse(payload.toString('utf8'));
      } catch {
        throw new FrameError('a control message is not JSON');
      }
      if (message === null || typeof message !== 'object' || Array.isArray(message)) throw new FrameError('a control message is not an object');
      frames.push({ kind: 'json', message: message as Record<string, unknown> });
    }
    buf = buf.subarray(at);
    this.pending = buf.length > 0 ? [buf] : [];
    this.pendingLength = buf.length;
    return frames;
  }
}
