// useCoalescedState: what a person waits for is drawn at once, background changes (samples,
// images, counts) together after a quiet gap, never later than ~half a second after the first,
// and not at all when the frame key says the screen would not change.
import React, { useImperativeHandle, type Ref } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { isUrgent, useCoalescedState } from '../../../src/app/use-coalesced-state.js';
import { createStore, type State, type Store } from '../../../src/store/index.js';
import { makeImage, makeInstance, settle } from '../views/helpers.js';

afterEach(() => cleanup());

function Probe({ store, delayMs, frameKey, flushRef }: { store: Store; delayMs: number; frameKey?: (s: State) => string; flushRef?: Ref<() => void> }) {
  const [state, flush] = useCoalescedState(store, delayMs, frameKey);
  useImperativeHandle(flushRef, () => flush, [flush]);
  return <Text>{`images ${Object.keys(state.images).length} instances ${Object.keys(state.instances).length}`}</Text>;
}

const images = (n: number) => ({ type: 'images/loaded' as const, images: Array.from({ length: n }, (_, i) => makeImage(`f${i}`, `a${i}`)) });
const instances = (n: number) => ({ type: 'instances/loaded' as const, instances: Array.from({ length: n }, (_, i) => makeInstance(`i${i}`)), project: 'default', at: 0 });

describe('isUrgent', () => {
  it('instances, the UI, the status line and the connection are; images, samples and the sampling line are not', () => {
    const store = createStore();
    const a = store.getState();
    store.dispatch(images(2));
    expect(isUrgent(a, store.getState())).toBe(false);
    const b = store.getState();
    store.dispatch({ type: 'sampling/status', status: null });
    store.dispatch({ type: 'instance/snapshots', key: 'default/x', count: 1 });
    expect(isUrgent(b, store.getState())).toBe(false);
    for (const action of [
      instances(1),
      { type: 'ui/focus' as const, pane: 'images' as const },
      { type: 'status/set' as const, text: 'x', level: 'info' as const, at: 0 },
      { type: 'rest/down' as const, error: 'gone', at: 0, nextRetryAt: null },
      { type: 'session/set' as const, readOnly: true },
    ]) {
      const before = store.getState();
      store.dispatch(action);
      expect(isUrgent(before, store.getState()), action.type).toBe(true);
    }
  });
});

describe('useCoalescedState', () => {
  it('draws every change at once with no delay', async () => {
    const store = createStore();
    const r = render(<Probe store={store} delayMs={0} />);
    await settle(10);
    store.dispatch(images(3));
    await settle(10);
    expect(r.lastFrame()).toBe('images 3 instances 0');
  });

  it('an urgent change is drawn at once; a background one after the quiet gap', async () => {
    const store = createStore();
    const r = render(<Probe store={store} delayMs={60} />);
    await settle(10);
    store.dispatch(images(2));
    await settle(15);
    expect(r.lastFrame()).toBe('images 0 instances 0');
    await settle(120);
    expect(r.lastFrame()).toBe('images 2 instances 0');
    store.dispatch(instances(4));
    await settle(15);
    expect(r.lastFrame()).toBe('images 2 instances 4');
  });

  it('a steady stream of background changes is still drawn within about half a second', async () => {
    const store = createStore();
    const r = render(<Probe store={store} delayMs={80} />);
    await settle(10);
    const started = Date.now();
    let n = 0;
    // A change every 20 ms: the quiet gap (80 ms) never comes.
    while (r.lastFrame() === 'images 0 instances 0' && Date.now() - started < 2000) {
      store.dispatch(images(++n));
      await settle(20);
    }
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('skips the frame when the frame key says nothing on screen changes', async () => {
    const store = createStore();
    const r = render(<Probe store={store} delayMs={20} frameKey={() => 'same'} />);
    await settle(10);
    const frames = r.frames.length;
    store.dispatch(images(5));
    await settle(80);
    expect(r.frames.length).toBe(frames);
    expect(r.lastFrame()).toBe('images 0 instances 0');
    // An urgent change draws whatever the key says, and with it the images that waited.
    store.dispatch(instances(1));
    await settle(15);
    expect(r.lastFrame()).toBe('images 5 instances 1');
  });

  it('flush draws the latest state now', async () => {
    const store = createStore();
    const flush = React.createRef<() => void>();
    const r = render(<Probe store={store} delayMs={10_000} flushRef={flush} />);
    await settle(10);
    store.dispatch(images(7));
    await settle(15);
    expect(r.lastFrame()).toBe('images 0 instances 0');
    flush.current?.();
    await settle(15);
    expect(r.lastFrame()).toBe('images 7 instances 0');
    r.unmount();
    store.dispatch(images(8)); // no subscriber left, no timer fires on an unmounted tree
    await settle(15);
  });
});
