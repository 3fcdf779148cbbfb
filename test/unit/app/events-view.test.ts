// The events view's keys without the App: E opens it, j/k/G move the selection over the newest
// first rows, / filters as typed (Esc drops it), Enter goes to the instance's row (clearing the
// table's filter that hid it) or says why it cannot.
import { describe, expect, it } from 'vitest';
import { handleKey } from '../../../src/app/handle-key.js';
import type { AppContext } from '../../../src/app/context.js';
import type { LxdEvent } from '../../../src/lxd/types.js';
import type { EventsDialog } from '../../../src/views/events.js';
import { NOW, makeInstance, recordingController, storeWith } from '../views/helpers.js';

const started = (name: string, i: number) =>
  ({ type: 'lifecycle', timestamp: new Date(NOW + i).toISOString(), project: 'default', metadata: { action: 'instance-started', source: `/1.0/instances/${name}` } }) as LxdEvent;

function setup() {
  const store = storeWith({ instances: ['web1', 'db1'].map((n) => makeInstance(n, { status: 'Running' })) });
  const names = ['web1', 'db1', 'gone', 'web1', 'db1'];
  names.forEach((n, i) => store.dispatch({ type: 'event', event: started(n, i), at: NOW + i }));
  const ctx: AppContext = { store, controller: recordingController(store), quit: () => undefined, console: () => undefined, pageSize: () => 10, now: () => NOW };
  const keys = (...raw: string[]) => raw.forEach((r) => handleKey(r, ctx));
  return { store, keys, dialog: () => store.getState().ui.dialog as EventsDialog };
}

describe('the events view keys', () => {
  it('E opens, j/G/g move, / filters, Enter goes to the instance', () => {
    const { store, keys, dialog } = setup();
    expect(store.getState().eventLog.map((r) => r.instance)).toEqual(['db1', 'web1', 'gone', 'db1', 'web1']);
    keys('E');
    expect(dialog()).toMatchObject({ kind: 'events', selected: 0 });
    keys('j', 'j');
    expect(dialog().selected).toBe(2);
    keys('G');
    expect(dialog().selected).toBe(4);
    keys('g', '/', 'w', 'e', 'b');
    expect(dialog()).toMatchObject({ filter: 'web', filtering: true, selected: 0 });
    keys('\r');
    expect(dialog().filtering).toBe(false);
    store.dispatch({ type: 'ui/filter', pane: 'instances', filter: 'db' }); // hides web1
    keys('j', '\r');
    expect(store.getState().ui.dialog).toBeNull();
    expect(store.getState().ui.panes.instances).toMatchObject({ filter: '', selected: 'default/web1' });
  });

  it('Enter on an instance the table does not have says so and stays', () => {
    const { store, keys, dialog } = setup();
    keys('E', 'j', 'j', '\r');
    expect(dialog().kind).toBe('events');
    expect(store.getState().status?.text).toMatch(/gone is not in the table/);
    keys('\x1b');
    expect(store.getState().ui.dialog).toBeNull();
  });
});
