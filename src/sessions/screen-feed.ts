// Feeds a session's output to its headless terminal lazily. The emulator is there for one thing:
// the screen redrawn on the next attach (the history is the raw log's; attached clients get the
// bytes before any of this). Parsing costs ~1 µs a byte (@xterm/headless, ~7-8 MB/s here), so
// parsing everything as it comes would cap a session's throughput at that rate and spend a core
// on a flood nobody may ever look back at. Instead: output is batched (one write every FEED_MS),
// and while it arrives faster than a batch can hold (a flood), only its last TAIL_BYTES are kept
// and nothing is parsed until it calms down or a client attaches (flush). The tail, cut at a line,
// redraws the screen: line output scrolls it full many times over, a full-screen program repaints
// within it. What a cut can lose is a mode set before the tail and never again (kept from the
// earlier parse, the emulator is not reset) and scrollback lines the redraw does not show anyway.

import { atBatchEnd, cancelBatchEnd } from './read-batch.js';

/** The emulator as this uses it (@xterm/headless's Terminal). */
export interface ParserSink {
  write(data: Uint8Array | string, callback?: () => void): void;
}

export const FEED_MS = 250;
/** The batch period while nobody is attached: the screen is wanted only at the next attach (which flushes). */
export const DETACHED_FEED_MS = 2000;
export const TAIL_BYTES = 512 * 1024;

/**
 * The feeds due after the same period share one timer: twenty sessions printing a line a second
 * then wake the holder once per period, not once per line each (every wake-up of a loaded machine's
 * process costs more than the line's parse). The detached period has no timer of its own while
 * detached sessions are read in batches (read-batch.ts): its feeds run at the batch's end, in the
 * wake-up that read their output.
 */
const groups = new Map<number, { cancel: () => void; feeds: Set<ScreenFeed> }>();

function schedule(feed: ScreenFeed, ms: number, tick: () => void): void {
  let group = groups.get(ms);
  if (!group) {
    const feeds = new Set<ScreenFeed>();
    const run = (): void => {
      groups.delete(ms);
      for (const f of feeds) ticks.get(f)?.();
    };
    if (ms === DETACHED_FEED_MS && atBatchEnd(run)) {
      group = { cancel: () => cancelBatchEnd(run), feeds };
    } else {
      const timer = setTimeout(run, ms);
      timer.unref();
      group = { cancel: () => clearTimeout(timer), feeds };
    }
    groups.set(ms, group);
  }
  group.feeds.add(feed);
  ticks.set(feed, tick);
}

function unschedule(feed: ScreenFeed): void {
  ticks.delete(feed);
  for (const [ms, g] of groups) {
    if (!g.feeds.delete(feed) || g.feeds.size > 0) continue;
    g.cancel();
    groups.delete(ms);
  }
}

const ticks = new WeakMap<ScreenFeed, () => void>();

export class ScreenFeed {
  private pending: Buffer[] = [];
  private size = 0;
  /** Output dropped from the front since the last write: the tail starts after its first newline. */
  private cut = false;
  /** Bytes that arrived since the last look (a flood: more than the tail). */
  private arrived = 0;
  /** Bytes written to the emulator and not parsed yet. */
  private parsing = 0;
  private scheduled = false;

  constructor(
    private readonly sink: ParserSink,
    /** The batch period, asked at each batch (longer while nobody is attached). */
    private readonly ms: number | (() => number) = FEED_MS,
    private readonly tail = TAIL_BYTES,
  ) {}

  push(bytes: Buffer): void {
    this.pending.push(bytes);
    this.size += bytes.length;
    this.arrived += bytes.length;
    while (this.pending.length > 1 && this.size - this.pending[0].length >= this.tail) {
      this.size -= (this.pending.shift() as Buffer).length;
      this.cut = true;
    }
    this.later();
  }

  private later(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    schedule(this, this.period(), this.tick);
  }

  private period(): number {
    return typeof this.ms === 'number' ? this.ms : this.ms();
  }

  private readonly tick = (): void => {
    this.scheduled = false;
    const flooding = this.arrived > this.tail || this.parsing > 0;
    this.arrived = 0;
    if (flooding) {
      this.later();
      return;
    }
    this.flush();
  };

  /** Bytes held back now (tests). */
  get held(): number {
    return this.size;
  }

  /** Everything held goes to the emulator now (attach, resize); its callbacks come in order after. */
  flush(): void {
    if (this.scheduled) unschedule(this);
    this.scheduled = false;
    this.arrived = 0;
    if (this.size === 0) return;
    let data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.size);
    if (this.cut) {
      const nl = data.indexOf(0x0a);
      if (nl !== -1 && nl < data.length - 1) data = data.subarray(nl + 1);
    }
    this.pending = [];
    this.size = 0;
    this.cut = false;
    const n = data.length;
    this.parsing += n;
    this.sink.write(data, () => {
      this.parsing -= n;
    });
  }

  dispose(): void {
    if (this.scheduled) unschedule(this);
    this.scheduled = false;
    this.pending = [];
    this.size = 0;
  }
}
