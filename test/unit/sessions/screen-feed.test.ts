// The lazy feed of a session's emulator (screen-feed.ts), with the real @xterm/headless: quiet
// output is parsed in batches; a flood is held to its tail and not parsed until it calms down or
// a flush (attach) asks; the screen after a flood shows the flood's last lines.
import { describe, expect, it } from 'vitest';
import xterm from '@xterm/headless';
import { DETACHED_FEED_MS, ScreenFeed } from '../../../src/sessions/screen-feed.js';
import { BATCH_MS, BatchedReader } from '../../../src/sessions/read-batch.js';

const { Terminal } = xterm;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function screenOf(term: InstanceType<typeof Terminal>): string[] {
  const buf = term.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < term.rows; y++) lines.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '');
  return lines;
}

const parsed = (term: InstanceType<typeof Terminal>) => new Promise<void>((r) => term.write('', r));

describe('ScreenFeed', () => {
  it('parses quiet output in a batch after its delay, not before', async () => {
    const term = new Terminal({ cols: 40, rows: 5, allowProposedApi: true });
    const feed = new ScreenFeed(term, 40, 1024);
    feed.push(Buffer.from('one\r\n'));
    feed.push(Buffer.from('two\r\n'));
    await parsed(term);
    expect(screenOf(term).join('|')).not.toContain('two');
    await sleep(100);
    await parsed(term);
    expect(screenOf(term).slice(0, 2)).toEqual(['one', 'two']);
    expect(feed.held).toBe(0);
    term.dispose();
  });

  it('holds a flood to its tail, parses nothing meanwhile, and a flush draws its last lines', async () => {
    const term = new Terminal({ cols: 40, rows: 5, allowProposedApi: true });
    let written = 0;
    const write = term.write.bind(term);
    const counting = { write: (d: Uint8Array | string, cb?: () => void) => ((written += d.length), write(d, cb)) };
    const f = new ScreenFeed(counting, 30, 2000);
    for (let i = 1; i <= 5000; i++) {
      f.push(Buffer.from(`line ${i}\r\n`));
      if (i % 500 === 0) await sleep(10); // a flood: far more than the tail per 30 ms
    }
    expect(written).toBe(0);
    expect(f.held).toBeLessThan(2000 + 20);
    expect(f.held).toBeGreaterThanOrEqual(2000);
    f.flush();
    await parsed(term);
    // Cut at a line: the first written line is whole.
    expect(written).toBeLessThanOrEqual(2000);
    expect(screenOf(term)).toEqual(['line 4997', 'line 4998', 'line 4999', 'line 5000', '']);
    f.dispose();
    term.dispose();
  });

  it('after the flood calms down, the tail is parsed by itself', async () => {
    const term = new Terminal({ cols: 40, rows: 3, allowProposedApi: true });
    const feed = new ScreenFeed(term, 30, 500);
    for (let i = 1; i <= 2000; i++) feed.push(Buffer.from(`n${i}\r\n`));
    await sleep(150);
    await parsed(term);
    expect(feed.held).toBe(0);
    expect(screenOf(term)).toEqual(['n1999', 'n2000', '']);
    term.dispose();
  });

  it("a detached session's output is parsed at the end of the read batch that brought it, not by a timer of its own; a batch that stops runs what waited", async () => {
    const reader = new BatchedReader(() => null);
    const term = new Terminal({ cols: 40, rows: 3, allowProposedApi: true });
    try {
      reader.batched = true; // the batches start: the first ends at BATCH_MS plus its read window
      const start = Date.now();
      await sleep(BATCH_MS - 500);
      const feed = new ScreenFeed(term, DETACHED_FEED_MS);
      feed.push(Buffer.from('read in the batch\r\n'));
      // Its own timer would parse it DETACHED_FEED_MS after the push; the batch's end comes first.
      while (feed.held > 0 && Date.now() - start < BATCH_MS + 400) await sleep(10);
      expect(feed.held).toBe(0);
      await parsed(term);
      expect(screenOf(term)[0]).toBe('read in the batch');

      feed.push(Buffer.from('waits for the next\r\n'));
      await sleep(100);
      expect(feed.held).toBeGreaterThan(0);
      reader.batched = false; // the last detached session attached: no batch comes any more
      expect(feed.held).toBe(0);
    } finally {
      reader.dispose();
      term.dispose();
    }
  });
});
