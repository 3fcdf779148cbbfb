// The instances table at 5,000 instances: a key (a cursor move) formats the cells of the rows on
// screen only, not of every instance, and the column layout is the one every row's cells give.
import { describe, expect, it, vi } from 'vitest';
import type { Instance } from '../../src/lxd/types.js';
import { createStore } from '../../src/store/store.js';
import { makeInstance } from '../support/fake-lxd-server.js';

const cells = vi.hoisted(() => ({ calls: 0 }));
vi.mock(import('../../src/views/cells.js'), async (importOriginal) => {
  const mod = await importOriginal();
  return {
    ...mod,
    instanceCells: (...args: Parameters<typeof mod.instanceCells>) => {
      cells.calls++;
      return mod.instanceCells(...args);
    },
  };
});

const { instancesModel } = await import('../../src/views/panes.js');
const { instanceCells, instanceColumns } = await import('../../src/views/cells.js');
const { layoutColumns, naturalWidths } = await import('../../src/views/columns.js');
const { selectInstanceRows, selectSnapshotCount } = await import('../../src/store/selectors.js');

const N = 5000;
const NOW = Date.UTC(2026, 5, 1);

function loaded() {
  const store = createStore();
  const instances = Array.from({ length: N }, (_, i) =>
    makeInstance(i === 4321 ? 'a-much-longer-instance-name-4321' : `big-${i + 1}`, i, i < 500 ? 'Running' : 'Stopped') as unknown as Instance,
  );
  store.dispatch({ type: 'instances/loaded', instances, project: 'default', at: 1000 });
  return store;
}

describe('the instances table at 5,000 instances', () => {
  it('a cursor move formats the visible rows only', () => {
    const store = loaded();
    const height = 40;
    const draw = () => {
      const m = instancesModel(store.getState(), 160, height, NOW);
      for (const r of m.rows) void r.cells;
      return m;
    };
    draw();
    cells.calls = 0;
    for (let i = 2; i <= 6; i++) {
      store.dispatch({ type: 'ui/select', pane: 'instances', key: `default/big-${i}` });
      draw();
    }
    expect(cells.calls).toBeLessThanOrEqual(5 * height);
  });

  it('a poll round makes new table rows for the sampled instances only', () => {
    const store = loaded();
    const before = instancesModel(store.getState(), 160, 40, NOW).rows;
    store.dispatch({
      type: 'instance/sample',
      key: 'default/big-3',
      state: { status: 'Running', status_code: 103, cpu: { usage: 1 }, memory: null, network: null, disk: null, pid: 1, processes: 1 },
      at: 2000,
    });
    const after = instancesModel(store.getState(), 160, 40, NOW).rows;
    expect(after.filter((r, i) => r !== before[i]).map((r) => r.key)).toEqual(['default/big-3']);
  });

  it('the columns are laid out as every row’s cells say', () => {
    const store = loaded();
    const state = store.getState();
    const m = instancesModel(state, 200, 40, NOW);
    const specs = instanceColumns(false);
    const all = selectInstanceRows(state).map((r) => instanceCells(r, NOW, selectSnapshotCount(state, r.key)));
    const expected = layoutColumns(specs, 200 - 2, naturalWidths(specs, all));
    expect(m.columns.map((c) => [c.spec.id, c.width])).toEqual(expected.map((c) => [c.spec.id, c.width]));
    expect(m.columns.find((c) => c.spec.id === 'name')!.width).toBe('a-much-longer-instance-name-4321'.length);
  });
});
