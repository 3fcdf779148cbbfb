// The Sessions pane through the whole App: the holder's list as rows (state in words, the name
// beside the id), its keys (attach, history, close asks while running, refused read-only).
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { NOW, makeInstance, press, renderApp, settle, storeWith } from './helpers.js';
import type { SessionRow } from '../../../src/store/index.js';

afterEach(() => cleanup());

const row = (over: Partial<SessionRow>): SessionRow => ({
  id: '1',
  name: '',
  instance: 'web1',
  remote: '',
  project: 'default',
  command: 'shell',
  kind: 'exec',
  started: NOW - 90_000,
  lastOutput: NOW - 12_000,
  state: 'detached',
  exitCode: null,
  reason: '',
  clients: 0,
  ...over,
});

function withSessions(readOnly = false) {
  const store = storeWith({ instances: [makeInstance('web1', { status: 'Running' })] });
  if (readOnly) store.dispatch({ type: 'session/set', readOnly: true });
  store.dispatch({
    type: 'sessions/loaded',
    sessions: [
      row({ id: '1' }),
      row({ id: '2', name: 'build', instance: 'db', command: 'make -j4', lastOutput: NOW - 42_000, state: 'exited', exitCode: 2, reason: 'exit code 2' }),
      row({ id: '3', instance: 'api', remote: 'prod', state: 'lost', reason: 'connection lost: websocket closed (1006)' }),
    ],
  });
  return store;
}

describe('sessions pane', () => {
  it('lists the sessions: instance, remote, project, command, started, last output, state', async () => {
    const attached: string[] = [];
    const app = renderApp(withSessions(), { cols: 140, sessions: { attach: (id: string) => attached.push(id) } });
    await settle();
    await press(app.stdin, '5');
    const f = app.frame();
    expect(f).toMatch(/\[5 Sessions 3\]/);
    expect(f).toMatch(/ID\s+INSTANCE\s+REMOTE\s+PROJECT\s+COMMAND\s+↑STARTED\s+OUTPUT\s+STATE/);
    // Output 12 s ago is "now": the list comes every 5-7 s, read every 2 s, drawn on a 5 s tick.
    expect(f).toMatch(/^>\s1\s+web1\s+local\s+default\s+shell\s+1m ago\s+now\s+detached/m);
    expect(f).toMatch(/2 build\s+db\s+local\s+default\s+make -j4\s+1m ago\s+42s\s+exited \(2\)/);
    expect(f).toMatch(/3\s+api\s+prod\s+.*lost: connection lost: websocket closed \(1006\)/);
    expect(f).toContain('Enter attach');
    await press(app.stdin, '\r');
    expect(attached).toEqual(['1']);
    // An ended session is not attached: the status line says what can be done with it.
    await press(app.stdin, 'j');
    await press(app.stdin, '\r');
    expect(attached).toEqual(['1']);
    expect(app.frame()).toMatch(/Session 2 has ended \(exited \(2\)\)/);
  });

  it('close asks while the command runs; read-only refuses it', async () => {
    const closed: string[] = [];
    const sessions = { close: async (id: string) => (closed.push(id), 'closing') };
    const app = renderApp(withSessions(), { cols: 140, sessions });
    await settle();
    await press(app.stdin, '5');
    await press(app.stdin, 'c');
    expect(app.frame()).toMatch(/Close session 1/);
    expect(closed).toEqual([]);
    await press(app.stdin, 'y');
    await settle();
    expect(closed).toEqual(['1']);

    const ro = renderApp(withSessions(true), { cols: 140, sessions });
    await settle();
    await press(ro.stdin, '5');
    await press(ro.stdin, 'c');
    expect(ro.frame()).toMatch(/Read-only mode: close the session refused/);
    expect(ro.frame()).not.toContain('c close');
  });
});
