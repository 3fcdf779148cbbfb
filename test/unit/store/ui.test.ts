import { describe, expect, it } from 'vitest';
import { reduce } from '../../../src/store/reducers.js';
import { createStore } from '../../../src/store/store.js';
import { createInitialState, type Dialog } from '../../../src/store/state.js';
import { apply } from './helpers.js';

describe('ui slice', () => {
  it('focus, select, scroll (never negative), filter resets scroll', () => {
    let s = apply(
      createInitialState(),
      { type: 'ui/focus', pane: 'images' },
      { type: 'ui/select', pane: 'images', key: 'fp' },
      { type: 'ui/scroll', pane: 'images', scroll: 7 },
    );
    expect(s.ui.focus).toBe('images');
    expect(s.ui.panes.images).toMatchObject({ selected: 'fp', scroll: 7 });
    s = apply(s, { type: 'ui/filter', pane: 'images', filter: 'bus' }, { type: 'ui/scroll', pane: 'operations', scroll: -3 });
    expect(s.ui.panes.images).toMatchObject({ filter: 'bus', scroll: 0 });
    expect(s.ui.panes.operations.scroll).toBe(0);
    expect(reduce(s, { type: 'ui/focus', pane: 'nowhere' as never })).toBe(s);
  });

  it('sort toggles direction on the same column; numeric columns start descending', () => {
    let s = apply(createInitialState(), { type: 'ui/sort', pane: 'instances', column: 'name' });
    expect(s.ui.panes.instances.sort).toEqual({ column: 'name', direction: 'desc' });
    s = apply(s, { type: 'ui/sort', pane: 'instances', column: 'memory' });
    expect(s.ui.panes.instances.sort).toEqual({ column: 'memory', direction: 'desc' });
    s = apply(s, { type: 'ui/sort', pane: 'instances', column: 'memory', direction: 'asc' });
    expect(s.ui.panes.instances.sort).toEqual({ column: 'memory', direction: 'asc' });
  });

  it('marks toggle and can be set/cleared in bulk', () => {
    let s = apply(createInitialState(), { type: 'ui/mark', pane: 'instances', key: 'a' }, { type: 'ui/mark', pane: 'instances', key: 'b' });
    expect(s.ui.panes.instances.marked).toEqual(['a', 'b']);
    s = apply(s, { type: 'ui/mark', pane: 'instances', key: 'a' });
    expect(s.ui.panes.instances.marked).toEqual(['b']);
    s = apply(s, { type: 'ui/marks', pane: 'instances', keys: ['x', 'x', 'y'] });
    expect(s.ui.panes.instances.marked).toEqual(['x', 'y']);
    s = apply(s, { type: 'ui/marks', pane: 'instances', keys: [] });
    expect(s.ui.panes.instances.marked).toEqual([]);
  });

  it('dialogs open and close', () => {
    const dialog: Dialog = {
      kind: 'confirm',
      title: 'Delete',
      message: 'Delete web1?',
      dangerous: true,
      intent: { command: 'instance.delete', keys: ['default/web1'] },
    };
    let s = apply(createInitialState(), { type: 'dialog/open', dialog });
    expect(s.ui.dialog).toBe(dialog);
    s = apply(s, { type: 'dialog/close' });
    expect(s.ui.dialog).toBeNull();
  });

  it('the ui slice survives an unmount: a fresh subscriber sees the same state', () => {
    const store = createStore();
    store.dispatch({ type: 'ui/focus', pane: 'operations' });
    store.dispatch({ type: 'ui/filter', pane: 'instances', filter: 'web' });
    const before = store.getState().ui;
    const off = store.subscribe(() => undefined);
    off(); // "unmount"
    expect(store.getState().ui).toBe(before);
  });
});

describe('createStore', () => {
  it('notifies subscribers on change only; unsubscribe stops notifications', () => {
    const store = createStore({ readOnly: true });
    expect(store.getState().readOnly).toBe(true);
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.dispatch({ type: 'status/clear' }); // no change
    store.dispatch({ type: 'ui/focus', pane: 'images' });
    expect(calls).toBe(1);
    off();
    store.dispatch({ type: 'ui/focus', pane: 'instances' });
    expect(calls).toBe(1);
  });

  it('a throwing listener does not stop the others', () => {
    const errors: unknown[] = [];
    const store = createStore({ onListenerError: (e) => errors.push(e) });
    let called = false;
    store.subscribe(() => {
      throw new Error('view bug');
    });
    store.subscribe(() => {
      called = true;
    });
    store.dispatch({ type: 'ui/focus', pane: 'images' });
    expect(called).toBe(true);
    expect(errors).toHaveLength(1);
  });
});
