// The warnings view (W) over the recorded LXD warnings: the header count, the list (new first),
// a acknowledging / setting back to new, d asking first and deleting on yes, the view coming back;
// in read-only mode both refused and left out of the hints; a server without warnings says so.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { parseWarnings, type Warning } from '../../../src/lxd/host.js';
import { shownWarnings, warningLines } from '../../../src/views/warnings.js';
import { KEY, SERVER, press, renderApp, settle, storeWith } from './helpers.js';

afterEach(cleanup);

const recorded = parseWarnings((JSON.parse(readFileSync(new URL('../../fixtures/lxd/warnings.json', import.meta.url), 'utf8')) as { metadata: unknown }).metadata);
const acked: Warning = { ...recorded[0], uuid: 'acked-1', status: 'acknowledged', type: 'Old acknowledged one', lastSeen: '2030-01-01T00:00:00Z' };
const WITH_WARNINGS = { ...SERVER, apiExtensions: ['warnings', 'resources'] };

function view(s: ReturnType<typeof storeWith>, opts: { cols: number }) {
  return { ...renderApp(s, opts), store: s };
}

function store(readOnly = false, warnings: readonly Warning[] = [acked, ...recorded]) {
  const s = storeWith({ server: WITH_WARNINGS, readOnly });
  s.dispatch({ type: 'warnings/loaded', warnings });
  return s;
}

describe('warnings model', () => {
  it('new first, then acknowledged; within each the last seen first', () => {
    const rows = shownWarnings([acked, ...recorded]);
    expect(rows.at(-1)?.uuid).toBe('acked-1');
    expect(rows.slice(0, 4).every((w) => w.status === 'new')).toBe(true);
    expect(shownWarnings(null)).toEqual([]);
  });

  it('lines: the member column only on a cluster; narrow screens keep status and type', () => {
    expect(warningLines(recorded, 120).header).not.toContain('MEMBER');
    expect(warningLines([{ ...recorded[0], location: 'm2' }], 120).header).toContain('MEMBER');
    const narrow = warningLines(recorded, 40);
    expect(narrow.header).toMatch(/^STATUS\s+SEVERITY\s+TYPE/);
    for (const l of narrow.lines) expect(l.length).toBeLessThanOrEqual(40);
  });
});

describe('warnings view', () => {
  it('the header counts them; W lists them and asks the controller for a fresh list', async () => {
    const app = view(store(), { cols: 120 });
    await settle();
    expect(app.lastFrame()?.split('\n')[0]).toMatch(/5 warnings \(4 new\)$/);
    await press(app.stdin, 'W');
    const frame = app.lastFrame() ?? '';
    expect(frame).toContain('Warnings 5, 4 new');
    expect(frame).toMatch(/>new\s+low\s+\d+\s+-\s+/);
    expect(frame).toContain('AppArmor support has been disabled');
    expect(frame).toMatch(/a acknowledge\s+d delete/);
    expect(app.controller.calls.some((c) => c.method === 'refreshWarnings')).toBe(true);
    await press(app.stdin, 'W');
    expect(app.lastFrame()).not.toContain('Warnings 5');
  });

  it('a acknowledges the selected one; on an acknowledged one it sets it back to new', async () => {
    const app = view(store(), { cols: 120 });
    await press(app.stdin, 'W', 'a');
    const first = shownWarnings(app.store.getState().warnings)[0];
    expect(app.controller.calls.filter((c) => c.method === 'setWarningStatus').map((c) => c.args)).toEqual([[first.uuid, 'acknowledged']]);
    await press(app.stdin, 'G', 'a');
    expect(app.controller.calls.filter((c) => c.method === 'setWarningStatus').at(-1)?.args).toEqual(['acked-1', 'new']);
  });

  it('d asks first; n keeps it; y deletes it and comes back to the list', async () => {
    const app = view(store(), { cols: 120 });
    await press(app.stdin, 'W', 'j', 'd');
    const target = shownWarnings(app.store.getState().warnings)[1];
    expect(app.lastFrame()).toContain('Delete warning');
    expect(app.lastFrame()).toContain(`"${target.type.slice(0, 20)}`);
    await press(app.stdin, 'n');
    expect(app.controller.calls.some((c) => c.method === 'deleteWarning')).toBe(false);
    // Answered no: back in the list, where it was.
    expect(app.store.getState().ui.dialog).toMatchObject({ kind: 'warnings', selected: 1 });
    await press(app.stdin, KEY.delete, 'y');
    expect(app.controller.calls.filter((c) => c.method === 'deleteWarning').map((c) => c.args)).toEqual([[target.uuid]]);
    expect(app.store.getState().ui.dialog).toMatchObject({ kind: 'warnings', selected: 1 });
  });

  it('read-only: a and d refused, not hinted; the list still shows', async () => {
    const app = view(store(true), { cols: 120 });
    await press(app.stdin, 'W');
    expect(app.lastFrame()).toContain('Warnings 5, 4 new');
    expect(app.lastFrame()).not.toMatch(/a acknowledge|d delete/);
    await press(app.stdin, 'a');
    expect(app.lastFrame()).toContain('Read-only mode: acknowledge the warning, or set an acknowledged one back to new refused');
    await press(app.stdin, 'd');
    expect(app.lastFrame()).toContain('Read-only mode: delete the warning refused');
    expect(app.store.getState().ui.dialog?.kind).toBe('warnings');
    expect(app.controller.calls.some((c) => c.method === 'setWarningStatus' || c.method === 'deleteWarning')).toBe(false);
  });

  it('no warnings: the view says so and a does nothing; a server without the extension says so', async () => {
    const app = view(store(false, []), { cols: 120 });
    await press(app.stdin, 'W', 'a');
    expect(app.lastFrame()).toContain('no warnings');
    expect(app.controller.calls.some((c) => c.method === 'setWarningStatus')).toBe(false);
    cleanup();
    const old = view(storeWith({}), { cols: 120 });
    await press(old.stdin, 'W');
    expect(old.lastFrame()).toContain('This server has no warnings');
    expect(old.store.getState().ui.dialog).toBeNull();
  });
});
