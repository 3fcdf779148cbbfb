// The app's one key subscription: every event of Ink's input stream, raw, to the key handlers.
// Nothing else listens for keys (Ink's useInput is barred by the lint config): a listener attached
// in an effect misses the keys typed before its first frame, and Ink 6.8's throws on Ctrl-F1.
import { useEffect, useRef } from 'react';
import { useStdin } from 'ink';

/** Subscribes to Ink's keypress stream (each event is one key or one paste). */
export function KeyInput({ onKey }: { onKey(raw: string): void }): null {
  const { internal_eventEmitter: emitter, setRawMode, isRawModeSupported } = useStdin();
  const ref = useRef(onKey);
  ref.current = onKey;
  useEffect(() => {
    if (isRawModeSupported) setRawMode(true);
    const listener = (raw: string) => ref.current(raw);
    emitter.on('input', listener);
    return () => {
      emitter.off('input', listener);
      if (isRawModeSupported) setRawMode(false);
    };
  }, [emitter, setRawMode, isRawModeSupported]);
  return null;
}
