// Detects the client-side detach sequence in keyboard input, the way ssh's `~.` escape works:
// the sequence counts only right after a newline (Enter sends `\r` in raw mode) or at the start of
// the session. While a possible sequence is being typed its bytes are held back; when the next byte
// does not continue it, the held bytes are sent after all. Typing the first character twice (`~~`)
// sends it once, so a line can still start with a literal `~`.
// A sequence that starts with a control character (say `\x1d`, Ctrl-]) is matched anywhere.

const DEFAULT_DETACH = '~.';

export interface DetachStep {
  /** Bytes to send to the remote side (the input chunk itself when nothing was held or dropped). */
  forward: Buffer;
  /** The whole sequence was typed: end the session; input after it is dropped. */
  detach: boolean;
}

/** `''` or `'none'` disables detaching; `undefined` means the default `~.`. */
export function parseDetachSequence(spec: string | undefined): Buffer | null {
  if (spec === undefined) return Buffer.from(DEFAULT_DETACH);
  if (spec === '' || spec.toLowerCase() === 'none') return null;
  // `^]`, `^X` notation for control characters, as in `stty`.
  const decoded = spec.replace(/\^([@A-Z[\\\]^_?])/gi, (_m, c: string) =>
    c === '?' ? '\x7f' : String.fromCharCode(c.toUpperCase().charCodeAt(0) & 0x1f),
  );
  return Buffer.from(decoded);
}

/**
 * How to type the sequence, as a banner says it: `Enter ~.`, or `^]` alone for one that starts with
 * a control character (it works anywhere, see DetachDetector). Null when detaching is off.
 */
export function describeDetachSequence(spec: string | undefined): string | null {
  const seq = parseDetachSequence(spec);
  if (seq === null || seq.length === 0) return null;
  const shown = seq.toString('utf8').replace(/[\x00-\x1f\x7f]/g, (c) => (c === '\x7f' ? '^?' : `^${String.fromCharCode(c.charCodeAt(0) + 64)}`));
  return seq[0] < 0x20 ? shown : `Enter ${shown}`;
}

const CR = 0x0d;
const LF = 0x0a;

export class DetachDetector {
  private readonly seq: Buffer | null;
  private readonly anywhere: boolean;
  private atLineStart = true;
  /** How many bytes of the sequence are held back (typed but not sent). */
  private held = 0;

  constructor(sequence: Buffer | null) {
    this.seq = sequence !== null && sequence.length > 0 ? sequence : null;
    this.anywhere = this.seq !== null && this.seq[0] < 0x20;
  }

  feed(chunk: Buffer): DetachStep {
    const seq = this.seq;
    if (seq === null) return { forward: chunk, detach: false };
    // Fast path: nothing held and the chunk cannot start the sequence anywhere it counts.
    if (this.held === 0 && !this.mayStartIn(chunk)) {
      this.trackLineStart(chunk);
      return { forward: chunk, detach: false };
    }
    const parts: Buffer[] = [];
    let segStart = 0; // start of the run of chunk bytes sent as they are
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (this.held > 0) {
        if (b === seq[this.held]) {
          this.held++;
          if (this.held === seq.length) {
            this.held = 0;
            return { forward: concat(parts), detach: true };
          }
          continue;
        }
        // Not the sequence after all.
        if (this.held === 1 && b === seq[0] && !this.anywhere) {
          parts.push(seq.subarray(0, 1)); // `~~` sends one `~`
          this.held = 0;
          this.atLineStart = false;
          segStart = i + 1;
          continue;
        }
        parts.push(seq.subarray(0, this.held));
        this.held = 0;
        this.atLineStart = false;
        segStart = i;
        // fall through: this byte is processed normally
      }
      if ((this.atLineStart || this.anywhere) && b === seq[0]) {
        if (i > segStart) parts.push(chunk.subarray(segStart, i));
        this.held = 1;
        segStart = i + 1;
        if (seq.length === 1) {
          this.held = 0;
          return { forward: concat(parts), detach: true };
        }
        continue;
      }
      this.atLineStart = b === CR || b === LF;
    }
    if (this.held === 0 && segStart < chunk.length) {
      if (segStart === 0 && parts.length === 0) return { forward: chunk, detach: false };
      parts.push(chunk.subarray(segStart));
    }
    return { forward: concat(parts), detach: false };
  }

  private mayStartIn(chunk: Buffer): boolean {
    const first = (this.seq as Buffer)[0];
    if (this.anywhere) return chunk.indexOf(first) !== -1;
    if (this.atLineStart && chunk.length > 0 && chunk[0] === first) return true;
    let at = chunk.indexOf(first, 1);
    while (at !== -1) {
      const prev = chunk[at - 1];
      if (prev === CR || prev === LF) return true;
      at = chunk.indexOf(first, at + 1);
    }
    return false;
  }

  private trackLineStart(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const last = chunk[chunk.length - 1];
    this.atLineStart = last === CR || last === LF;
  }
}

function concat(parts: Buffer[]): Buffer {
  if (parts.length === 0) return EMPTY;
  if (parts.length === 1) return parts[0];
  return Buffer.concat(parts);
}

const EMPTY = Buffer.alloc(0);
