// Patch: the stdout Ink 6.8.0 writes to puts the cursor back on the frame's last row after a frame
// that ends below it, so Ink's incremental renderer starts the next frame where it believes it does.
//
// Works around an Ink bug (in build/log-update.js, fixed in Ink 7.0; no upstream issue of ours):
// the incremental renderer (`incrementalRendering: true`), for a frame that ends in a newline (our
// root is one row shorter than the terminal, so every frame does), leaves the cursor on the row
// below the frame but starts the next frame with `cursorUp(visible lines - 1)`: one row too low,
// and the screen scrolls by a row each frame. Moving the cursor back onto the frame's last row
// after each frame makes its arithmetic right; frames that end elsewhere (the full-height
// clear-and-redraw path) are left alone. It is what keeps incremental rendering usable: 0.75 KB
// written per refresh instead of a full repaint's 7.01 KB (bench/tui-bytes.mjs, bench/README.md).
//
// Touches: nothing inside Ink: a Proxy over the stream handed to render() (src/app/run-tui.tsx),
// only `write` changed. test/unit/patches/guards.test.ts fails when Ink is not the version in
// pins.ts, and when Ink's incremental renderer no longer puts frames one row too low without this
// (the bug fixed: time to drop it) or still does with it.
//
// What would let it go: Ink ≥ 7.0 (its log-update.js moves up by all of the previous frame's
// lines), which needs Node ≥ 22 (lxtop supports Node ≥ 20.18).

/** `stdout` with every frame that ends in a newline (or a cursor-next-line) followed by a cursor-up. */
export function inkStdout(stdout: NodeJS.WriteStream): NodeJS.WriteStream {
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const ok = (stdout.write as (...a: unknown[]) => boolean)(chunk, ...rest);
    if (typeof chunk === 'string' && (chunk.endsWith('\n') || chunk.endsWith('\x1b[E'))) stdout.write('\x1b[A');
    return ok;
  };
  return new Proxy(stdout, {
    get(target, prop) {
      if (prop === 'write') return write;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
