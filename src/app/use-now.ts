// The clock the tables' ages are computed from.
import { useEffect, useState } from 'react';

/** A clock that ticks every `ms` (ages in the tables); a fixed clock in tests. A tick that
 *  `unchanged(at)` says would draw the same frame is skipped (a frame costs Ink the whole screen). */
export function useNow(ms: number, fixed?: () => number, unchanged?: { current: (at: number) => boolean }): number {
  const [now, setNow] = useState(() => (fixed ?? Date.now)());
  useEffect(() => {
    if (fixed) return;
    const t = setInterval(() => {
      const at = Date.now();
      if (!unchanged?.current(at)) setNow(at);
    }, ms);
    return () => clearInterval(t);
  }, [ms, fixed, unchanged]);
  return fixed ? fixed() : now;
}
