// The panes through the whole App (ink-testing-library, no colour), fed with recorded daemon JSON
// when present and with small hand-made objects for the cases a recording does not cover.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import {
  KEY,
  NOW,
  loadFixtures,
  makeImage,
  makeInstance,
  makeOperation,
  makeState,
  press,
  renderApp,
  settle,
  storeFromFixtures,
  storeWith,
} from './helpers.js';

afterEach(() => cleanup());

/** Row lines of the table (after the header line), trimmed. */
function rowNames(frame: string): string[] {
  const lines = frame.split('\n');
  const header = lines.findIndex((l) => /^\s+(NAME|ALIAS|DESCRIPTION)/.test(l));
  const out: string[] = [];
  for (const line of lines.slice(header + 1)) {
    const m = /^[> ][* ](\S+)/.exec(line);
    if (!m) break;
    out.push(m[1]);
  }
  return out;
}

function scenario() {
  return storeWith({
    instances: [
      makeInstance('web1', { status: 'Running', created_at: '2025-01-15T11:00:00Z' }),
      makeInstance('db', { status: 'Stopped', created_at: '2025-01-10T11:00:00Z' }),
      makeInstance('cache', { status: 'Frozen', created_at: '2025-01-14T11:00:00Z' }),
      makeInstance('api', { status: 'Running', created_at: '2025-01-13T11:00:00Z' }),
    ],
    samples: {
      web1: [makeState(1e9, 50e6, 0, 0, 4), makeState(1.5e9, 52e6, 5000, 10000, 4)],
      api: [makeState(1e9, 80e6, 0, 0, 9), makeState(3e9, 90e6, 0, 0, 9)],
    },
    images: [makeImage('aaaa1111bbbb2222cccc', 'busybox'), makeImage('dddd3333eeee4444ffff', 'debian', { size: 90e6 })],
    operations: [
      makeOperation('op-run', { description: 'Starting instance', may_cancel: true }),
      makeOperation('op-fail', {
        description: 'Deleting instance',
        status: 'Failure',
        status_code: 400,
        err: 'Instance is running',
        resources: { instances: ['/1.0/instances/db'] },
      }),
    ],
  });
}

describe('instances pane', () => {
  it('shows the header, counts, tabs, every instance with live metrics, and hints', async () => {
    const app = renderApp(scenario());
    await settle();
    const f = app.frame();
    expect(f).toContain('LXD 5.0.2');
    expect(f).toContain('unix:/test.socket');
    expect(f).toContain('project default');
    expect(f).toContain('4 instances: 2 Running, 1 Frozen, 1 Stopped');
    expect(f).toContain('live');
    expect(f).toMatch(/\[1 Instances 4\]/);
    expect(f).toMatch(/NAME↑\s+STATUS\s+TYPE\s+CPU%\s+MEM\s+RX\s+TX\s+PROCS\s+IPV4/);
    expect(rowNames(f)).toEqual(['api', 'cache', 'db', 'web1']);
    expect(f).toMatch(/web1\s+Running\s+CT\s+10\.0%\s+49\.6MiB\s+1000B\/s\s+2\.0KiB\/s\s+4\s+10\.1\.2\.3/);
    expect(f).toMatch(/db\s+Stopped\s+CT\s+-\s+-/);
    expect(f).toContain('s start');
    expect(f).toContain('? help');
    expect(f).toContain('q quit');
    // The first row is selected: a cursor in the gutter.
    expect(f).toMatch(/^> api/m);
  });

  it('renders recorded daemon JSON', async () => {
    const fx = loadFixtures('lxd') ?? loadFixtures('incus');
    if (!fx) return;
    const app = renderApp(storeFromFixtures(fx), { cols: 120, rows: 30 });
    await settle();
    const f = app.frame();
    for (const i of fx.instances) expect(f).toMatch(new RegExp(`${i.name}\\s+${i.status}`));
    expect(f).toContain(`${fx.server.kind === 'incus' ? 'Incus' : 'LXD'} ${fx.server.version}`);
  });

  it('moves the selection with j/k, arrows, g/G and tells the controller which rows are visible', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'j', KEY.down);
    expect(app.frame()).toMatch(/^> db/m);
    await press(app.stdin, 'k');
    expect(app.frame()).toMatch(/^> cache/m);
    await press(app.stdin, 'G');
    expect(app.frame()).toMatch(/^> web1/m);
    await press(app.stdin, 'g');
    expect(app.frame()).toMatch(/^> api/m);
    await vi.waitFor(() => {
      const visible = app.controller.calls.filter((c) => c.method === 'setVisible').pop();
      expect(visible?.args[0]).toEqual(['default/api', 'default/cache', 'default/db', 'default/web1']);
    });
  });

  it('another pane on screen: no instance row is visible to the controller (none is polled); back: the rows again', async () => {
    const app = renderApp(scenario());
    await settle();
    const lastVisible = () => app.controller.calls.filter((c) => c.method === 'setVisible').pop()?.args[0];
    await vi.waitFor(() => expect(lastVisible()).toHaveLength(4));
    for (const key of ['2', '3', '5']) {
      await press(app.stdin, key);
      await vi.waitFor(() => expect(lastVisible(), key).toEqual([]));
      await press(app.stdin, '1');
      await vi.waitFor(() => expect(lastVisible()).toHaveLength(4));
    }
  });

  it('pages and scrolls a long list, keeping the cursor on screen', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    const app = renderApp(storeWith({ instances: names.map((n) => makeInstance(n)) }), { rows: 16 });
    await settle();
    expect(rowNames(app.frame())[0]).toBe('c00');
    await press(app.stdin, KEY.pageDown);
    const rows = rowNames(app.frame());
    expect(app.frame()).toMatch(/^> c09/m);
    expect(rows).toContain('c09');
    await press(app.stdin, 'G');
    expect(rowNames(app.frame()).pop()).toBe('c39');
    expect(app.frame()).toMatch(/^> c39/m);
    await vi.waitFor(() => {
      const visible = app.controller.calls.filter((c) => c.method === 'setVisible').pop()?.args[0] as string[];
      expect(visible).toContain('default/c39');
      expect(visible).not.toContain('default/c00');
    });
  });

  it('sorts by the next column with > and < and inverts with I', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, '>');
    expect(app.frame()).toContain('sort status↑');
    expect(app.frame()).toContain('STATUS↑');
    expect(rowNames(app.frame())).toEqual(['cache', 'api', 'web1', 'db']);
    await press(app.stdin, '>');
    expect(app.frame()).toContain('↓CPU%');
    expect(rowNames(app.frame()).slice(0, 2)).toEqual(['api', 'web1']);
    await press(app.stdin, 'I');
    expect(app.frame()).toContain('↑CPU%');
    expect(rowNames(app.frame()).slice(0, 2)).toEqual(['web1', 'api']);
    await press(app.stdin, '<', '<');
    expect(app.frame()).toContain('NAME↑');
  });

  it('filters as you type; Enter keeps the filter, Esc clears it', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, '/', 'w', 'e');
    expect(app.frame()).toContain('/we');
    expect(rowNames(app.frame())).toEqual(['web1']);
    await press(app.stdin, KEY.enter);
    expect(app.frame()).toContain('filter /we');
    expect(app.frame()).toMatch(/\[1 Instances 1\]/);
    await press(app.stdin, KEY.escape);
    await vi.waitFor(() => expect(rowNames(app.frame())).toEqual(['api', 'cache', 'db', 'web1']));
  });

  it('filter by status text; Esc while typing restores the previous filter', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, '/', 's', 't', 'o', 'p');
    expect(rowNames(app.frame())).toEqual(['db']);
    await press(app.stdin, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, 'z', 'z');
    expect(app.frame()).toContain('no instance matches "zz"');
    await press(app.stdin, KEY.escape);
    await vi.waitFor(() => expect(rowNames(app.frame()).length).toBe(4));
  });

  it('marks rows with Space (cursor moves down) and acts on every marked row', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, KEY.space, 'j', KEY.space);
    const f = app.frame();
    expect(f).toMatch(/^ \*api/m);
    expect(f).toMatch(/^ \*db/m);
    expect(f).toContain('2 marked');
    await press(app.stdin, 's');
    const start = app.controller.calls.find((c) => c.method === 'startInstances');
    expect(start?.args[0]).toEqual(['default/api', 'default/db']);
    expect(app.frame()).toContain('Starting api, db…');
    await press(app.stdin, KEY.escape);
    await vi.waitFor(() => expect(app.frame()).not.toContain('marked'));
  });

  it('runs lifecycle keys on the selected row', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'G', 'x', 'r');
    expect(app.controller.calls.find((c) => c.method === 'stopInstances')?.args[0]).toEqual(['default/web1']);
    expect(app.controller.calls.find((c) => c.method === 'restartInstances')?.args[0]).toEqual(['default/web1']);
    await press(app.stdin, 'f');
    expect(app.controller.calls.find((c) => c.method === 'freezeInstances')?.args[0]).toEqual(['default/web1']);
    await press(app.stdin, 'g', 'j', 'f');
    expect(app.controller.calls.find((c) => c.method === 'unfreezeInstances')?.args[0]).toEqual(['default/cache']);
  });

  it('asks for the exec console on e for a running instance', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'e');
    expect(app.events.consoles).toEqual([{ key: 'default/api', command: undefined }]);
  });

  it('offers to start a stopped instance on e, and opens the console once it runs', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'j', 'j', 'e');
    expect(app.events.consoles).toEqual([]);
    expect(app.frame()).toContain('db is stopped');
    expect(app.frame()).toContain('Start db and open a shell in it?');
    expect(app.controller.calls.some((c) => c.method === 'startInstances')).toBe(false);
    await press(app.stdin, 'y');
    expect(app.controller.calls.find((c) => c.method === 'startInstances')?.args[0]).toEqual(['default/db']);
    await vi.waitFor(() => expect(app.events.consoles).toEqual([{ key: 'default/db', command: undefined }]));
  });

  it('offers to unfreeze a frozen instance for a command; n leaves it alone', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'j', 'e');
    expect(app.frame()).toContain('Unfreeze cache and open a shell in it?');
    await press(app.stdin, 'n');
    expect(app.frame()).not.toContain('Unfreeze cache');
    await press(app.stdin, ':', ...'ps aux', KEY.enter);
    expect(app.frame()).toContain('Unfreeze cache and open "ps aux" in it?');
    await press(app.stdin, KEY.enter);
    expect(app.controller.calls.find((c) => c.method === 'unfreezeInstances')?.args[0]).toEqual(['default/cache']);
    await vi.waitFor(() => expect(app.events.consoles).toEqual([{ key: 'default/cache', command: ['ps', 'aux'], options: {} }]));
  });

  it('quits on q and on Ctrl-C', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'q');
    await press(app.stdin, KEY.ctrlC);
    expect(app.events.quit).toBe(2);
  });
});

describe('images pane', () => {
  it('switches with 2 / Tab and shows alias, short fingerprint, os, arch, type, size, upload date', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, '2');
    const f = app.frame();
    expect(f).toMatch(/\[2 Images 2\]/);
    expect(f).toMatch(/ALIAS↑\s+FINGERPRINT\s+OS\s+DESCRIPTION\s+ARCH\s+TYPE\s+SIZE\s+UPLOADED/);
    expect(f).toMatch(/busybox\s+aaaa1111bbbb\s+Debian bookworm\s+busybox description\s+x86_64\s+CT\s+1\.4MiB\s+2025-01-10/);
    expect(f).toContain('n launch');
    expect(f).not.toContain('s start');
    await press(app.stdin, KEY.tab);
    expect(app.frame()).toMatch(/\[3 Operations 2\]/);
    await press(app.stdin, KEY.tab);
    expect(app.frame()).toMatch(/\[5 Sessions 0\]/);
    await press(app.stdin, KEY.tab);
    expect(app.frame()).toMatch(/\[1 Instances 4\]/);
  });

  it('recorded images', async () => {
    const fx = loadFixtures('lxd') ?? loadFixtures('incus');
    if (!fx) return;
    const app = renderApp(storeFromFixtures(fx), { cols: 140 });
    await settle();
    await press(app.stdin, '2');
    for (const img of fx.images) expect(app.frame()).toContain(img.fingerprint.slice(0, 12));
  });
});

describe('operations pane', () => {
  it('shows description, status with a spinner while running, resources, age and the error verbatim', async () => {
    const app = renderApp(scenario(), { cols: 120 });
    await settle();
    await press(app.stdin, '3');
    const f = app.frame();
    expect(f).toMatch(/DESCRIPTION\s+STATUS\s+PROGRESS\s+RESOURCES\s+↓AGE\s+ERROR/);
    // Running without figures from the daemon: STATUS spins, PROGRESS has nothing to show.
    expect(f).toMatch(/Starting instance\s+\S Running\s+-\s+web1\s+10s/);
    expect(f).toMatch(/Deleting instance\s+Failure\s+-\s+db\s+\d+s\s+Instance is running/);
    expect(f).toContain('c cancel');
  });

  it('shows progress and cancels where the server allows it', async () => {
    const store = storeWith({
      operations: [
        makeOperation('op-img', {
          description: 'Downloading image',
          may_cancel: true,
          // As the daemons send it: strings, the speed in bytes a second.
          metadata: { progress: { percent: '42', speed: '1200000', stage: 'download' } },
          resources: { images: ['/1.0/images/0123456789abcdef'] },
        }),
        makeOperation('op-nocancel', { description: 'Stopping instance', created_at: '2025-01-15T11:00:00Z' }),
      ],
    });
    const app = renderApp(store, { cols: 120 });
    await settle();
    await press(app.stdin, '3');
    expect(app.frame()).toMatch(/Downloading image\s+\S Running\s+\[###-----\] 42% 1\.2MB\/s\s+image 0123456789ab/);
    await press(app.stdin, 'c');
    expect(app.controller.calls.find((c) => c.method === 'cancelOperation')?.args).toEqual(['op-img']);
    await press(app.stdin, 'j', 'c');
    expect(app.controller.calls.filter((c) => c.method === 'cancelOperation').length).toBe(1);
    expect(app.frame()).toContain("This operation can't be cancelled");
  });
});

describe('chrome', () => {
  it('shows the connection-lost banner and server errors verbatim in the status line', async () => {
    const store = scenario();
    store.dispatch({ type: 'rest/down', error: 'connect ENOENT /test.socket', at: NOW, nextRetryAt: NOW + 1000 });
    store.dispatch({ type: 'status/set', text: 'web1: The instance is already running', level: 'error', at: NOW });
    const app = renderApp(store);
    await settle();
    const f = app.frame();
    expect(f).toContain('Connection lost: connect ENOENT /test.socket');
    expect(f).toContain('reconnecting');
    expect(f).toContain('disconnected');
    expect(f).toContain('error: web1: The instance is already running');
  });

  it('replaces the panes with a notice on a 20x6 terminal, and q still quits', async () => {
    const app = renderApp(scenario(), { cols: 20, rows: 6 });
    await settle();
    const f = app.frame();
    expect(f).toContain('Terminal too small');
    expect(f).toContain('20x6');
    expect(f).not.toContain('NAME');
    expect(f.split('\n').length).toBeLessThanOrEqual(5);
    for (const line of f.split('\n')) expect(line.length).toBeLessThanOrEqual(20);
    await press(app.stdin, 'q');
    expect(app.events.quit).toBe(1);
  });

  it('never draws more than rows-1 lines or wider than the terminal', async () => {
    for (const [cols, rows] of [[40, 10], [60, 15], [100, 24], [160, 50]] as const) {
      const app = renderApp(scenario(), { cols, rows });
      await settle();
      const lines = app.frame().split('\n');
      expect(lines.length, `${cols}x${rows}`).toBe(rows - 1);
      for (const l of lines) expect(l.length, `${cols}x${rows}: ${l}`).toBeLessThanOrEqual(cols);
      app.unmount();
    }
  });

  it('drops columns by priority on narrow terminals', async () => {
    const app = renderApp(scenario(), { cols: 50 });
    await settle();
    const header = app.frame().split('\n').find((l) => l.includes('NAME'))!;
    expect(header).toMatch(/NAME↑\s+STATUS\s+CPU%\s+MEM/);
    expect(header).not.toContain('AGE');
    expect(header).not.toContain('RX');
  });
});

describe('drawing', () => {
  it('draws status changes at once and coalesces metrics samples into one later frame', async () => {
    const store = scenario();
    const app = renderApp(store, { coalesceMs: 80 });
    await settle();
    const framesBefore = app.frames.length;
    for (let i = 0; i < 5; i++) {
      store.dispatch({ type: 'instance/sample', key: 'default/web1', state: makeState(2e9 + i * 1e9, 60e6), at: NOW + 5000 * (i + 1) });
    }
    await settle(20);
    expect(app.frames.length).toBe(framesBefore);
    await vi.waitFor(() => expect(app.frames.length).toBe(framesBefore + 1));
    expect(app.frame()).toMatch(/web1\s+Running\s+CT\s+20\.0%\s+57\.2MiB/);
    store.dispatch({ type: 'instance/status', key: 'default/db', status: 'Running' });
    await settle(5);
    expect(app.frame()).toMatch(/db\s+Running/);
  });
});
