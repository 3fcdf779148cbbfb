// The all-projects view (issue 5): a PROJECT column in the TUI's instances table and in `--once`,
// only when every project is listed; and the controller tells the store it lists every project.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { createController } from '../../../src/store/controller.js';
import { createStore, instanceKey } from '../../../src/store/index.js';
import { instanceColumns } from '../../../src/views/cells.js';
import { plainInstancesTable } from '../../../src/views/plain.js';
import { FakeApi } from '../store/fake-api.js';
import { NOW, SERVER, makeInstance, renderApp, settle } from './helpers.js';

afterEach(() => cleanup());

/** Two projects' instances, as `GET /1.0/instances?all-projects=true` answers. */
function allProjectsStore(allProjects: boolean) {
  const store = createStore();
  store.dispatch({ type: 'session/set', allProjects });
  store.dispatch({ type: 'server/loaded', server: SERVER });
  store.dispatch({ type: 'rest/ok', at: NOW - 10_000 });
  store.dispatch({
    type: 'instances/loaded',
    instances: [
      makeInstance('web', { project: 'default', status: 'Running' }),
      makeInstance('web', { project: 'team-blue' }),
      makeInstance('db', { project: 'team-blue' }),
    ],
    project: null,
    at: NOW - 10_000,
  });
  return store;
}

describe('PROJECT column', () => {
  it('is in the columns only when listing every project, first', () => {
    expect(instanceColumns(false).map((c) => c.id)).not.toContain('project');
    expect(instanceColumns(true).map((c) => c.id)).not.toContain('project');
    expect(instanceColumns(false, true)[0].id).toBe('project');
    expect(instanceColumns(true, true).map((c) => c.id)).toContain('location');
  });

  it('--once output: one row per project/name, with its project', () => {
    const text = plainInstancesTable(allProjectsStore(true).getState(), NOW);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^PROJECT\s+NAME\s+STATUS/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(' ')).sort()).toEqual([
      'default web',
      'team-blue db',
      'team-blue web',
    ]);
  });

  it('--once output without all projects has no PROJECT column', () => {
    expect(plainInstancesTable(allProjectsStore(false).getState(), NOW).split('\n')[0]).toMatch(/^NAME\s/);
  });

  it('the TUI table shows the project of each row; the two "web" rows are both there', async () => {
    const r = renderApp(allProjectsStore(true), { cols: 120 });
    await settle();
    const frame = r.lastFrame() ?? '';
    expect(frame).toMatch(/PROJECT\s+NAME/);
    expect(frame).toMatch(/default\s+web\s/);
    expect(frame).toMatch(/team-blue\s+web\s/);
    expect(frame).toMatch(/team-blue\s+db\s/);
  });

  it('the TUI table without all projects has no PROJECT column', async () => {
    const r = renderApp(allProjectsStore(false), { cols: 120 });
    await settle();
    expect(r.lastFrame() ?? '').not.toContain('PROJECT');
  });
});

describe('controller with allProjects', () => {
  it('marks the store as all-projects and subscribes to every project\'s events', async () => {
    const api = new FakeApi(['web1', 'Running']);
    const store = createStore();
    const ctl = createController(api, store, { allProjects: true, interval: 60_000 });
    await ctl.start();
    ctl.stop();
    expect(store.getState().allProjects).toBe(true);
    expect(api.calls.some((c) => c.startsWith('events') && c.includes('"allProjects":true'))).toBe(true);
    expect(Object.keys(store.getState().instances)).toContain(instanceKey('default', 'web1'));
  });
});
