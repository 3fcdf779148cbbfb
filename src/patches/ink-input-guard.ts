// Patch: each of Ink 6.8.0's 'input' listeners is called on its own, so a key one of them throws on
// is dropped for that listener and the others still get it.
//
// Works around an Ink bug (vadimdemedes/ink#901, fixed by #902 in Ink 7.0): Ink's own useInput
// (which ink-select-input's pickers use) throws on some keys. A modified F1-F4 such as Ctrl-F1
// (`ESC [1;5P`) parses as ctrl with no name, and `undefined.startsWith` in use-input.js ended the
// program: found by the key fuzzer (test/faults/key-fuzz.test.ts; 123a475), and a picker test
// (test/unit/views/project-switch.test.tsx) presses Ctrl-F1.
//
// Touches: Ink's private event emitter (`useStdin().internal_eventEmitter`, on which Ink's App emits
// every key as 'input'), whose `emit` it replaces. Called by the app's key subscription (KeyInput).
// test/unit/patches/guards.test.ts fails when Ink is not the version in pins.ts, when the emitter is
// gone, or when Ink's parser names Ctrl-F1 (the bug fixed: time to drop this).
//
// What would let it go: Ink ≥ 7.0, which needs Node ≥ 22 (lxtop supports Node ≥ 20.18).
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
