// The terminal's size for the layout, following resizes (a fixed size in tests).
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';
import { CLEAR_SCREEN } from '../terminal.js';

/**
 * The terminal's size, following resizes. On a resize the screen is wiped and the last frame drawn
 * again whole, through Ink's own `write` (it clears log-update's memory of the last frame, writes,
 * then redraws that frame from scratch): Ink's incremental renderer would otherwise rewrite only
 * the lines that differ, and the unchanged ones would stay wiped (`ink.clear()` does not do it: it
 * restores that memory). The next frame, at the new size, is then diffed against what is really
 * on screen. A shrink below the last frame's height is handled by Ink itself (clear and redraw).
 */
export function useTerminalSize(fixed: { cols?: number; rows?: number }): { cols: number; rows: number } {
  const { stdout, write } = useStdout();
  const read = () => ({ cols: fixed.cols ?? (stdout.columns || 80), rows: fixed.rows ?? (stdout.rows || 24) });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed.cols !== undefined && fixed.rows !== undefined) return;
    const onResize = () => {
      write(CLEAR_SCREEN);
      setSize(read());
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout, write, fixed.cols, fixed.rows]);
  return fixed.cols !== undefined && fixed.rows !== undefined ? { cols: fixed.cols, rows: fixed.rows } : size;
}
