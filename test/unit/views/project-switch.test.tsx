// The project switcher (P): a picker of the server's projects plus "all projects", the current
// scope selected; choosing another scope hands it to the app's runner (which replaces the
// controller); `scope/reset` starts the data and the panes afresh for the new scope.
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../../src/app/App.js';
import type { ProjectScope } from '../../../src/app/context.js';
import { createController } from '../../../src/store/controller.js';
import { createStore } from '../../../src/store/index.js';
import { FakeApi } from '../store/fake-api.js';
import { KEY, NOW, makeInstance, press, recordingController, settle, storeWith } from './helpers.js';

afterEach(() => cleanup());

function renderWithSwitcher(projects: string[] | null = ['default', 'p5-blue', 'p5-red']) {
  const store = storeWith({ instances: [makeInstance('web'), makeInstance('db')] });
  const controller = recordingController(store);
  controller.listProjects = async () => projects;
  const scopes: ProjectScope[] = [];
  const r = render(
    <App
      store={store}
      controller={controller}
      remote="unix:/test.socket"
      cols={100}
      rows={24}
      now={() => NOW}
      theme={{ color: false }}
      coalesceMs={0}
      onQuit={() => undefined}
      onConsole={() => undefined}
      onScope={(s) => scopes.push(s)}
    />,
  );
  return { r, store, scopes, frame: () => r.lastFrame() ?? '' };
}

describe('P: project switcher', () => {
  it('lists all projects first, then the projects; the current one is selected', async () => {
    const app = renderWithSwitcher();
    await settle();
    await press(app.r.stdin, 'P');
    await settle(30);
    const f = app.frame();
    expect(f).toContain('Switch project');
    expect(f).toContain('all projects');
    expect(f).toMatch(/> default/);
    expect(f).toContain('p5-blue');
    expect(f).toContain('p5-red');
  });

  it('picking a project hands { project } to the runner', async () => {
    const app = renderWithSwitcher();
    await settle();
    await press(app.r.stdin, 'P');
    await settle(30);
    await press(app.r.stdin, KEY.down);
    await press(app.r.stdin, KEY.enter);
    expect(app.scopes).toEqual([{ project: 'p5-blue' }]);
  });

  it('a key Ink cannot name (Ctrl-F1) in the picker is dropped, not a crash; the picker still works', async () => {
    const app = renderWithSwitcher();
    await settle();
    await press(app.r.stdin, 'P');
    await settle(30);
    await press(app.r.stdin, '\x1b[1;5P');
    await press(app.r.stdin, KEY.down);
    await press(app.r.stdin, KEY.enter);
    expect(app.scopes).toEqual([{ project: 'p5-blue' }]);
  });

  it('picking "all projects" hands { allProjects } to the runner; the current scope does nothing', async () => {
    const app = renderWithSwitcher();
    await settle();
    await press(app.r.stdin, 'P');
    await settle(30);
    await press(app.r.stdin, KEY.enter); // default: the current one
    expect(app.scopes).toEqual([]);
    await press(app.r.stdin, 'P');
    await settle(30);
    await press(app.r.stdin, KEY.up);
    await press(app.r.stdin, KEY.enter);
    expect(app.scopes).toEqual([{ allProjects: true }]);
  });

  it('projects not listable: no picker (the error is the controller\'s status line)', async () => {
    const app = renderWithSwitcher(null);
    await settle();
    await press(app.r.stdin, 'P');
    await settle(30);
    expect(app.store.getState().ui.dialog).toBeNull();
  });
});

describe('O: remote switcher', () => {
  function renderWithRemotes(remotes: { name: string; addr: string }[]) {
    const store = storeWith({ instances: [makeInstance('web')] });
    const chosen: string[] = [];
    const r = render(
      <App
        store={store}
        controller={recordingController(store)}
        remote="local (unix:/a.socket)"
        cols={100}
        rows={24}
        now={() => NOW}
        theme={{ color: false }}
        coalesceMs={0}
        onQuit={() => undefined}
        onConsole={() => undefined}
        listRemotes={async () => remotes}
        onRemote={(name) => chosen.push(name)}
      />,
    );
    return { r, store, chosen, frame: () => r.lastFrame() ?? '' };
  }

  it('lists the remotes, the current one selected; picking another hands its name to the runner', async () => {
    const app = renderWithRemotes([
      { name: 'local', addr: 'unix:/a.socket' },
      { name: 'prod', addr: 'https://10.0.0.5:8443' },
    ]);
    await settle();
    await press(app.r.stdin, 'O');
    await settle(30);
    expect(app.frame()).toContain('Switch remote');
    expect(app.frame()).toMatch(/> local\s+unix:\/a\.socket/);
    expect(app.frame()).toContain('https://10.0.0.5:8443');
    await press(app.r.stdin, KEY.down);
    await press(app.r.stdin, KEY.enter);
    expect(app.chosen).toEqual(['prod']);
  });

  it('no remotes configured: says so, no picker', async () => {
    const app = renderWithRemotes([]);
    await settle();
    await press(app.r.stdin, 'O');
    await settle(30);
    expect(app.store.getState().ui.dialog).toBeNull();
    expect(app.frame()).toContain('No remotes configured');
  });
});

describe('scope/reset', () => {
  it('for another server: its info, connection and members start afresh too', () => {
    const store = storeWith({ instances: [makeInstance('web')] });
    store.dispatch({ type: 'scope/reset', allProjects: false, server: true });
    const s = store.getState();
    expect(s.server).toBeNull();
    expect(s.members).toBeNull();
    expect(s.connection.rest).toBe('connecting');
    expect(s.instances).toEqual({});
  });

  it('drops the old scope\'s rows, marks, filter and dialog; keeps the server and connection', () => {
    const store = storeWith({ instances: [makeInstance('web')] });
    store.dispatch({ type: 'ui/filter', pane: 'instances', filter: 'we' });
    store.dispatch({ type: 'ui/focus', pane: 'images' });
    const before = store.getState();
    store.dispatch({ type: 'scope/reset', allProjects: true });
    const s = store.getState();
    expect(s.instances).toEqual({});
    expect(s.ui.panes.instances.filter).toBe('');
    expect(s.ui.focus).toBe('instances');
    expect(s.allProjects).toBe(true);
    expect(s.server).toBe(before.server);
    expect(s.connection).toBe(before.connection);
  });

  it('the controller lists project names', async () => {
    const api = new FakeApi();
    api.listProjects = async () => [{ name: 'default' }, { name: 'p5-x' }] as never;
    const ctl = createController(api, createStore(), { interval: 60_000 });
    expect(await ctl.listProjects?.()).toEqual(['default', 'p5-x']);
    ctl.stop();
  });
});
