// Dialogs, the help overlay, the detail view and read-only mode, through the App.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { COMMANDS } from '../../../src/keys/registry.js';
import { keyLabel } from '../../../src/keys/keys.js';
import { KEY, makeImage, makeInstance, press, renderApp, settle, storeWith, type Call } from './helpers.js';

afterEach(() => cleanup());

function scenario(readOnly = false) {
  return storeWith({
    readOnly,
    instances: [
      makeInstance('alpha', { status: 'Stopped' }),
      makeInstance('bravo', { status: 'Running' }),
      makeInstance('charlie', { status: 'Stopped' }),
    ],
    images: [makeImage('aaaa1111bbbb2222cccc', 'busybox'), makeImage('dddd3333eeee4444ffff', 'debian')],
  });
}

const calls = (list: Call[], method: string) => list.filter((c) => c.method === method);

describe('delete confirmation', () => {
  it('deletes a stopped instance after y', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'd');
    expect(app.frame()).toContain('Delete instance alpha');
    expect(app.frame()).toContain('This cannot be undone');
    expect(app.frame()).toContain('y yes');
    expect(calls(app.controller.calls, 'deleteInstances')).toEqual([]);
    await press(app.stdin, 'y');
    expect(calls(app.controller.calls, 'deleteInstances')[0].args).toEqual([['default/alpha'], { force: false }]);
    expect(app.frame()).not.toContain('Delete instance alpha');
  });

  it('a running instance needs an explicit F; y alone refuses and explains', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'j', 'd');
    expect(app.frame()).toContain('bravo is running: press F to force-stop and delete');
    expect(app.frame()).toContain('F force');
    await press(app.stdin, 'y');
    await press(app.stdin, KEY.enter);
    expect(calls(app.controller.calls, 'deleteInstances')).toEqual([]);
    expect(app.frame()).toContain('deleted only with F');
    await press(app.stdin, 'F');
    expect(calls(app.controller.calls, 'deleteInstances')[0].args).toEqual([['default/bravo'], { force: true }]);
  });

  it('n and Esc cancel', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'd', 'n');
    expect(app.frame()).not.toContain('Delete instance');
    await press(app.stdin, 'd', KEY.escape);
    await vi.waitFor(() => expect(app.frame()).not.toContain('Delete instance'));
    expect(calls(app.controller.calls, 'deleteInstances')).toEqual([]);
  });

  it('deletes every marked instance, forcing the running ones with F', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, KEY.space, KEY.space, 'd');
    expect(app.frame()).toContain('Delete 2 instances');
    await press(app.stdin, 'F');
    expect(calls(app.controller.calls, 'deleteInstances')[0].args).toEqual([['default/alpha', 'default/bravo'], { force: true }]);
  });

  it('force stop asks first', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'j', 'X');
    expect(app.frame()).toContain('Kill bravo without a clean shutdown?');
    await press(app.stdin, 'y');
    expect(calls(app.controller.calls, 'forceStopInstances')[0].args).toEqual([['default/bravo']]);
  });
});

describe('prompts', () => {
  it('snapshot: a default name snap-YYYYMMDD-HHMMSS, editable', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'S');
    expect(app.frame()).toContain('Snapshot alpha');
    expect(app.frame()).toMatch(/Snapshot name: snap-\d{8}-\d{6}/);
    await press(app.stdin, KEY.enter);
    const [key, name] = calls(app.controller.calls, 'snapshot')[0].args as string[];
    expect(key).toBe('default/alpha');
    expect(name).toMatch(/^snap-\d{8}-\d{6}$/);

    await press(app.stdin, 'S', KEY.ctrlU, 'b', 'e', 'f', 'o', 'r', 'e', KEY.enter);
    expect(calls(app.controller.calls, 'snapshot')[1].args).toEqual(['default/alpha', 'before']);
  });

  it('snapshot: an empty name is refused in the dialog', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'S', KEY.ctrlU, KEY.enter);
    expect(app.frame()).toContain('A snapshot needs a name');
    expect(calls(app.controller.calls, 'snapshot')).toEqual([]);
  });

  it('rename: starts from the current name, validates before asking the server', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'm');
    expect(app.frame()).toContain('Rename alpha');
    expect(app.frame()).toContain('New name: alpha');
    await press(app.stdin, '_', 'x', KEY.enter);
    expect(app.frame()).toContain('Invalid instance name');
    expect(calls(app.controller.calls, 'rename')).toEqual([]);
    await press(app.stdin, KEY.backspace, KEY.backspace, '2', KEY.enter);
    expect(calls(app.controller.calls, 'rename')[0].args).toEqual(['default/alpha', 'alpha2']);
  });

  it('takes pasted text in one go', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'm', KEY.ctrlU, 'pasted-name', KEY.enter);
    expect(calls(app.controller.calls, 'rename')[0].args).toEqual(['default/alpha', 'pasted-name']);
  });

  it(': asks for a command and hands it to the console, split into words', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'j', ':');
    expect(app.frame()).toContain('Run in bravo');
    await press(app.stdin, "sh -c 'echo hi'", KEY.enter);
    expect(app.events.consoles).toEqual([{ key: 'default/bravo', command: ['sh', '-c', 'echo hi'], options: {} }]);
  });

  it(': takes exec options before the command, and says what is wrong with them in the dialog', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'j', ':');
    expect(app.frame()).toContain('--user UID --group GID --cwd DIR --env K=V -- command');
    await press(app.stdin, '--user bob -- id', KEY.enter);
    expect(app.frame()).toContain('--user wants a number, got "bob"');
    expect(app.events.consoles).toEqual([]);
    await press(app.stdin, KEY.ctrlU, '--user 0 --cwd /tmp --env A=1 -- id -u', KEY.enter);
    expect(app.events.consoles).toEqual([
      { key: 'default/bravo', command: ['id', '-u'], options: { user: 0, group: undefined, cwd: '/tmp', env: { A: '1' } } },
    ]);
  });

  it(':exec alone opens the shell; :exec CMD runs CMD', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'j', ':', 'exec', KEY.enter);
    await press(app.stdin, ':', 'exec uptime', KEY.enter);
    expect(app.events.consoles).toEqual([
      { key: 'default/bravo', command: [], options: {} },
      { key: 'default/bravo', command: ['uptime'], options: {} },
    ]);
  });
});

describe('pickers', () => {
  it('restore: lists the snapshots newest first and restores the one picked', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'R');
    await vi.waitFor(() => expect(app.frame()).toContain('Restore alpha to snapshot'));
    const f = app.frame();
    expect(f.indexOf('snap1')).toBeLessThan(f.indexOf('snap0'));
    await press(app.stdin, 'j', KEY.enter);
    expect(calls(app.controller.calls, 'restore')[0].args).toEqual(['default/alpha', 'snap0']);
    expect(app.frame()).not.toContain('Restore alpha to snapshot');
  });

  it('keys typed in one burst with the key that opens the picker are not lost', async () => {
    const app = renderApp(scenario());
    await settle();
    // n opens the image picker, j moves, Enter picks: written before any frame is drawn.
    app.stdin.write('n');
    app.stdin.write('j');
    app.stdin.write(KEY.enter);
    await vi.waitFor(() => expect(app.frame()).toContain('New instance from debian'));
  });

  it('arrows wrap around, g/G go to the ends, a digit picks the n-th item shown', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'n');
    await vi.waitFor(() => expect(app.frame()).toContain('New instance: pick an image'));
    const picked = () => app.frame().split('\n').find((l) => l.includes(' > '))?.trim() ?? '';
    expect(picked()).toMatch(/^│ > busybox/);
    await press(app.stdin, KEY.up);
    expect(picked()).toMatch(/^│ > debian/);
    await press(app.stdin, 'g');
    expect(picked()).toMatch(/^│ > busybox/);
    await press(app.stdin, 'G');
    expect(picked()).toMatch(/^│ > debian/);
    await press(app.stdin, '3'); // no third item: nothing happens
    expect(app.frame()).toContain('New instance: pick an image');
    await press(app.stdin, '2');
    expect(app.frame()).toContain('New instance from debian');
  });

  it('restore: Esc closes without restoring', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'R');
    await settle(20);
    await press(app.stdin, KEY.escape);
    await vi.waitFor(() => expect(app.frame()).not.toContain('Restore alpha'));
    expect(calls(app.controller.calls, 'restore')).toEqual([]);
  });

  it('new instance: pick an image, then a name (with a suggestion), then create', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, 'n');
    await vi.waitFor(() => expect(app.frame()).toContain('New instance: pick an image'));
    await settle(50);
    expect(app.frame()).toContain('busybox');
    expect(app.frame()).toContain('debian');
    await press(app.stdin, KEY.down, KEY.enter);
    expect(app.frame()).toContain('New instance from debian');
    expect(app.frame()).toContain('Name: debian-1');
    await press(app.stdin, KEY.ctrlU, 'web9', KEY.enter);
    expect(calls(app.controller.calls, 'createInstance')[0].args).toEqual(['web9', 'dddd3333eeee4444ffff']);
  });

  it('new instance from the images pane skips the picker', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, '2', 'n');
    expect(app.frame()).toContain('New instance from busybox');
    await press(app.stdin, KEY.enter);
    expect(calls(app.controller.calls, 'createInstance')[0].args).toEqual(['busybox-1', 'aaaa1111bbbb2222cccc']);
  });

  it('image delete asks first', async () => {
    const app = renderApp(scenario());
    await settle();
    await press(app.stdin, '2', 'd');
    expect(app.frame()).toContain('Delete image busybox');
    await press(app.stdin, 'y');
    expect(calls(app.controller.calls, 'deleteImage')[0].args).toEqual(['aaaa1111bbbb2222cccc']);
  });
});

describe('help overlay and detail view', () => {
  it('? shows every command from the registry but the hidden ones, grouped by where it works', async () => {
    const app = renderApp(scenario(), { rows: 300 });
    await settle();
    await press(app.stdin, '?');
    const f = app.frame();
    for (const title of ['Everywhere', 'Instances pane', 'Images pane', 'Operations pane', 'Dialogs']) expect(f).toContain(title);
    for (const c of COMMANDS) {
      // Hidden: keys a view's footer shows (q closes a view, Ctrl-W erases a word).
      if ('hidden' in c) {
        expect(f, c.id).not.toContain(c.description);
        continue;
      }
      expect(f, c.id).toContain(c.description);
      expect(f, c.id).toContain(keyLabel(c.keys[0]));
    }
    await press(app.stdin, '?');
    expect(app.frame()).not.toContain('Everywhere');
  });

  it('help scrolls on a small terminal', async () => {
    const app = renderApp(scenario(), { rows: 14 });
    await settle();
    await press(app.stdin, '?');
    expect(app.frame()).toMatch(/lxtop keys {2}1-\d+\/\d+/);
    await press(app.stdin, KEY.pageDown);
    expect(app.frame()).not.toMatch(/lxtop keys {2}1-/);
    await press(app.stdin, KEY.escape);
    await vi.waitFor(() => expect(app.frame()).not.toContain('lxtop keys'));
  });

  it('Enter opens the detail view: config, devices, profiles, snapshots, state', async () => {
    const app = renderApp(scenario(), { rows: 60 });
    await settle();
    await press(app.stdin, KEY.enter);
    await settle(20);
    const f = app.frame();
    expect(f).toContain('Instance alpha');
    for (const section of ['Profiles', 'Config', 'Devices', 'Snapshots (0)', 'State']) expect(f).toContain(section);
    expect(f).toContain('image.os: busybox');
    expect(f).toContain('root (from profile):');
    expect(f).toContain('pool: default');
    expect(calls(app.controller.calls, 'instanceDetail')[0].args).toEqual(['default/alpha']);
    await press(app.stdin, KEY.escape);
    await vi.waitFor(() => expect(app.frame()).not.toContain('Instance alpha'));
  });
});

describe('read-only mode', () => {
  it('refuses mutating keys with a message and never calls the controller', async () => {
    const app = renderApp(scenario(true));
    await settle();
    for (const key of ['s', 'x', 'X', 'r', 'f', 'S', 'R', 'm', 'd', 'n', 'e', ':']) {
      await press(app.stdin, key);
      expect(app.frame(), key).toContain('Read-only mode:');
      expect(app.frame(), key).not.toMatch(/╭/);
    }
    expect(app.frame()).toContain('READ-ONLY');
    const acting = app.controller.calls.filter((c) => !['setVisible', 'setMetersShown', 'instanceDetail', 'listSnapshots'].includes(c.method));
    expect(acting).toEqual([]);
    expect(app.events.consoles).toEqual([]);
  });

  it('hides mutating commands from the hint bar and the help overlay, keeps navigation', async () => {
    const app = renderApp(scenario(true), { rows: 80 });
    await settle();
    const hints = app.frame().split('\n').at(-1)!;
    expect(hints).not.toContain('start');
    expect(hints).not.toContain('stop');
    expect(hints).not.toContain('delete');
    expect(hints).toContain('info');
    expect(hints).toContain('q quit');
    await press(app.stdin, '?');
    const f = app.frame();
    expect(f).not.toContain('Stop (graceful)');
    expect(f).not.toContain('Delete (asks');
    expect(f).toContain('Move down');
    expect(f).toContain('Read-only mode: commands that change anything are hidden and refused.');
  });

  it('images and operations panes refuse too', async () => {
    const app = renderApp(scenario(true));
    await settle();
    await press(app.stdin, '2', 'd');
    expect(app.frame()).toContain('Read-only mode: delete the image refused');
    await press(app.stdin, '3', 'c');
    expect(app.frame()).toContain('Read-only mode: cancel the operation refused');
  });
});
