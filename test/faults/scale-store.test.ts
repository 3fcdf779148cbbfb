// The store's share of the work at 5,000 instances: a poll round (new samples) under a sort that
// does not depend on them, and a filter keystroke, re-use the sorted order (no comparison at all);
// a sort by a metric re-sorts. Counted, not timed: every string comparison the sort makes goes
// through String.prototype.localeCompare or an Intl.Collator, both spied on here.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeInstance } from '../support/fake-lxd-server.js';
import type { Instance, InstanceState } from '../../src/lxd/types.js';
import { selectInstanceRows } from '../../src/store/selectors.js';
import { createStore } from '../../src/store/store.js';

const N = 5000;

function state(cpu: number): InstanceState {
  return { status: 'Running', status_code: 103, cpu: { usage: cpu }, memory: { usage: 1e6 }, network: null, disk: {}, pid: 1, processes: 3 };
}

function loaded() {
  const store = createStore();
  const instances = Array.from({ length: N }, (_, i) => makeInstance(`big-${i + 1}`, i, i < 500 ? 'Running' : 'Stopped') as unknown as Instance);
  store.dispatch({ type: 'instances/loaded', instances, project: 'default', at: 1000 });
  return store;
}

/** Comparisons made while `fn` runs. */
function comparisons(fn: () => void): number {
  let n = 0;
  const lc = vi.spyOn(String.prototype, 'localeCompare');
  const proto = Intl.Collator.prototype;
  const desc = Object.getOwnPropertyDescriptor(proto, 'compare')!;
  Object.defineProperty(proto, 'compare', {
    configurable: true,
    get(this: Intl.Collator) {
      const real = desc.get!.call(this) as (a: string, b: string) => number;
      return (a: string, b: string) => (n++, real(a, b));
    },
  });
  try {
    fn();
  } finally {
    Object.defineProperty(proto, 'compare', desc);
    n += lc.mock.calls.length;
    lc.mockRestore();
  }
  return n;
}

afterEach(() => vi.restoreAllMocks());

describe('the store at 5,000 instances', () => {
  it('a poll round under the default sort (name) does not re-sort', () => {
    const store = loaded();
    const first = selectInstanceRows(store.getState());
    expect(first).toHaveLength(N);
    expect(first.slice(0, 3).map((r) => r.instance.name)).toEqual(['big-1', 'big-2', 'big-3']);
    const n = comparisons(() => {
      for (let i = 1; i <= 40; i++) store.dispatch({ type: 'instance/sample', key: `default/big-${i}`, state: state(i * 1e9), at: 2000 });
      const rows = selectInstanceRows(store.getState());
      expect(rows.map((r) => r.key)).toEqual(first.map((r) => r.key));
    });
    expect(n).toBe(0);
  });

  it('typing a filter walks the sorted order, it does not sort again', () => {
    const store = loaded();
    selectInstanceRows(store.getState());
    const n = comparisons(() => {
      for (const f of ['b', 'bi', 'big', 'big-4', 'big-49']) {
        store.dispatch({ type: 'ui/filter', pane: 'instances', filter: f });
        selectInstanceRows(store.getState());
      }
    });
    expect(selectInstanceRows(store.getState()).map((r) => r.instance.name).slice(0, 3)).toEqual(['big-49', 'big-490', 'big-491']);
    expect(n).toBe(0);
  });

  it('a filter keystroke does not lower-case every instance field again', () => {
    const store = loaded();
    store.dispatch({ type: 'ui/filter', pane: 'instances', filter: 'b' });
    selectInstanceRows(store.getState());
    const lower = vi.spyOn(String.prototype, 'toLowerCase');
    store.dispatch({ type: 'ui/filter', pane: 'instances', filter: 'bi' });
    expect(selectInstanceRows(store.getState())).toHaveLength(N);
    // The needle itself, and the addresses of instances that have one (none sampled here).
    expect(lower.mock.calls.length).toBeLessThan(10);
  });

  it('typing narrows the last result, Backspace gives the earlier one back, the rows are those of a fresh filter', () => {
    const store = loaded();
    const seen = new Map<string, ReturnType<typeof selectInstanceRows>>();
    const typed = ['b', 'bi', 'big-', 'big-4', 'big-49', 'big-4', 'big-', '9', '49'];
    for (const f of typed) {
      store.dispatch({ type: 'ui/filter', pane: 'instances', filter: f });
      const rows = selectInstanceRows(store.getState());
      if (seen.has(f)) expect(rows).toBe(seen.get(f));
      seen.set(f, rows);
    }
    for (const f of typed) {
      const fresh = loaded();
      fresh.dispatch({ type: 'ui/filter', pane: 'instances', filter: f });
      expect(seen.get(f)!.map((r) => r.key)).toEqual(selectInstanceRows(fresh.getState()).map((r) => r.key));
    }
    expect(seen.get('big-49')!.map((r) => r.instance.name).slice(0, 3)).toEqual(['big-49', 'big-490', 'big-491']);
  });

  it('a poll round replaces the rows of the sampled instances only', () => {
    const store = loaded();
    const before = selectInstanceRows(store.getState());
    store.dispatch({ type: 'instance/sample', key: 'default/big-3', state: state(1e9), at: 2000 });
    const after = selectInstanceRows(store.getState());
    expect(after).not.toBe(before);
    const changed = after.filter((r, i) => r !== before[i]).map((r) => r.key);
    expect(changed).toEqual(['default/big-3']);
  });

  it('a sort by CPU follows the samples', () => {
    const store = loaded();
    store.dispatch({ type: 'ui/sort', pane: 'instances', column: 'cpu', direction: 'desc' });
    for (const [i, cpu] of [[1, 1e9], [2, 5e9], [3, 3e9]] as const) {
      store.dispatch({ type: 'instance/sample', key: `default/big-${i}`, state: state(0), at: 1000 });
      store.dispatch({ type: 'instance/sample', key: `default/big-${i}`, state: state(cpu), at: 2000 });
    }
    const names = selectInstanceRows(store.getState()).slice(0, 3).map((r) => r.instance.name);
    expect(names).toEqual(['big-2', 'big-3', 'big-1']);
  });
});
