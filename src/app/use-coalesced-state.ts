// The store's state for React, with background changes coalesced: a poll round's samples arrive
// one by one, and a frame costs Ink the whole screen's worth of work, so changes that may wait are
// drawn together, and not at all when what they would draw is what is on screen.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { State, Store } from '../store/index.js';

/**
 * Changes a person waits for (an instance changed status, the connection dropped, a status line,
 * anything in the UI slice) are drawn at once; the rest (metrics samples, snapshot counts,
 * operation progress, the last-event clock) may wait for the next coalesced frame.
 */
export function isUrgent(prev: State, next: State): boolean {
  const a = prev.connection;
  const b = next.connection;
  return (
    prev.instances !== next.instances ||
    prev.ui !== next.ui ||
    prev.status !== next.status ||
    prev.server !== next.server ||
    // Rare, and drawn outside the table the frame key covers: the members view, the fleet header.
    prev.members !== next.members ||
    prev.fleet !== next.fleet ||
    prev.readOnly !== next.readOnly ||
    prev.paused !== next.paused ||
    a.rest !== b.rest ||
    a.events !== b.events ||
    a.eventsLost !== b.eventsLost ||
    a.reconnecting !== b.reconnecting
  );
}

/**
 * The store's state for React, with background changes coalesced (see `coalesceMs`); `flush`
 * draws the latest state now (after a key).
 */
export function useCoalescedState(
  store: Store,
  delayMs: number,
  /** For coalesced changes: a key of what the state draws; an unchanged key skips the frame. */
  frameKey?: (state: State) => string,
): [State, () => void] {
  const [state, setState] = useState(store.getState);
  const shown = useRef(state);
  /** The key of the last state drawn, computed lazily (null: not computed). */
  const shownKey = useRef<string | null>(null);
  const keyOf = useRef(frameKey);
  keyOf.current = frameKey;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  /** When the oldest change not drawn yet arrived (ms), or null. */
  const pendingSince = useRef<number | null>(null);
  const flush = useCallback(() => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    pendingSince.current = null;
    shown.current = store.getState();
    shownKey.current = null;
    setState(shown.current);
  }, [store]);
  const flushIfChanged = useCallback(() => {
    timer.current = null;
    pendingSince.current = null;
    const next = store.getState();
    if (next === shown.current) return;
    // A frame costs Ink the whole screen's worth of work even when nothing on it changed.
    const key = keyOf.current;
    if (key && !isUrgent(shown.current, next)) {
      shownKey.current ??= key(shown.current);
      const nextKey = key(next);
      if (nextKey === shownKey.current) {
        shown.current = next;
        return;
      }
    }
    flush();
  }, [store, flush]);
  useEffect(() => {
    const maxWait = Math.max(500, delayMs * 5);
    const unsubscribe = store.subscribe(() => {
      if (delayMs <= 0 || isUrgent(shown.current, store.getState())) {
        flush();
        return;
      }
      // Debounced: wait for a quiet gap, but never longer than maxWait after the first change.
      const now = Date.now();
      pendingSince.current ??= now;
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = setTimeout(flushIfChanged, Math.max(0, Math.min(delayMs, pendingSince.current + maxWait - now)));
    });
    flush();
    return () => {
      unsubscribe();
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [store, delayMs, flush, flushIfChanged]);
  return [state, flush];
}
