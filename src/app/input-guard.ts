// Ink's own useInput (which ink-select-input's pickers use) throws on some keys: a modified F1-F4
// such as Ctrl-F1 (`ESC [1;5P`) parses as ctrl with no name, and `undefined.startsWith` ends the
// program. Found by the key fuzzer. The guard calls each 'input' listener on its own, so a key one
// listener chokes on is dropped for that listener, and the others still get it.
import type { EventEmitter } from 'node:events';

const guarded = new WeakSet<EventEmitter>();

export function guardInputListeners(emitter: EventEmitter): void {
  if (guarded.has(emitter)) return;
  guarded.add(emitter);
  const emit = emitter.emit.bind(emitter);
  emitter.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    if (event !== 'input') return emit(event, ...args);
    const listeners = emitter.listeners('input') as Array<(...a: unknown[]) => void>;
    for (const listener of listeners) {
      try {
        listener(...args);
      } catch {
        // a key Ink's parser cannot name: nothing to do with it
      }
    }
    return listeners.length > 0;
  };
}
