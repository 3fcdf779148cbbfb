// A session's output as it came, the last `limit` bytes: the history behind the headless terminal's
// own scrollback. Raw bytes cost about a tenth of xterm's cells (~1 KB per 80-column line, 12 bytes
// a cell, measured in docs/ARCHITECTURE.md, Sessions), so 50,000 lines of a shell fit in a few MB.
// Dropped from the front a whole chunk at a time; the reader starts after the first newline left.

export class RawLog {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Bytes dropped from the front so far. */
  dropped = 0;
  /** The last byte dropped was a newline: what is left starts a line. */
  private atLine = true;

  constructor(private readonly limit: number) {}

  push(bytes: Buffer): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
    while (this.size > this.limit && this.chunks.length > 1) {
      const first = this.chunks.shift() as Buffer;
      this.size -= first.length;
      this.dropped += first.length;
      this.atLine = first.length > 0 && first[first.length - 1] === 0x0a;
    }
  }

  get length(): number {
    return this.size;
  }

  /** Everything kept, starting at a line when the front was dropped. */
  contents(): Buffer {
    const all = Buffer.concat(this.chunks, this.size);
    if (this.atLine) return all;
    const nl = all.indexOf(0x0a);
    return nl === -1 ? all : all.subarray(nl + 1);
  }
}
