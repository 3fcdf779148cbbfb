// Background sessions end to end against the sandbox LXD: `lxtop exec -d`, `lxtop sessions`,
// `lxtop attach` (the built CLI, in a pty for attach), each test with a holder of its own.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readlinkSync, statSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, uniqueName, type DaemonTool } from '../support/exec-instances.js';
import { cliEnd, expectCooked, shellReady } from '../support/exec-suite.js';
import type { PtySession } from '../support/pty.js';
import { eventually, holderHome, sleep, type HolderHome } from '../support/sessions.js';

describeOn(['lxd'], 'sessions against lxd', () => {
  const socket = daemonSocket('lxd') as string;
  let d: DaemonTool;
  const name = uniqueName('sess-lxd');
  const other = uniqueName('sess-lxd-stop');
  const homes: HolderHome[] = [];
  const ptys: PtySession[] = [];
  const home = (env: Record<string, string> = {}) => {
    const h = holderHome(env);
    homes.push(h);
    return h;
  };
  const track = (s: PtySession) => (ptys.push(s), s);
  const start = async (h: HolderHome, instance: string, script: string): Promise<string> => {
    const r = await h.lxtop(['--socket', socket, 'exec', '-d', instance, '--', 'sh', '-c', script]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const id = r.stdout.toString().trim();
    expect(id).toMatch(/^\d+$/);
    return id;
  };
  const list = async (h: HolderHome) => JSON.parse((await h.lxtop(['sessions', '--format', 'json'])).stdout.toString()) as { id: string; state: string; exitCode: number | null; reason: string }[];
  const alive = async (instance: string, pid: string) => {
    try {
      await d.tool('exec', instance, '--', 'kill', '-0', pid);
      return true;
    } catch {
      return false;
    }
  };

  beforeAll(async () => {
    d = daemonTool('lxd', socket);
    await Promise.all([launch(d, name), launch(d, other)]);
  });
  afterEach(async () => {
    for (const s of ptys.splice(0)) s.kill('SIGKILL');
    for (const h of homes.splice(0)) await h.dispose();
  });
  afterAll(async () => {
    await Promise.all([remove(d, name), remove(d, other)]);
  });

  /** A shell session attached in a pty: its id, the pty, the shell's pid, the `lxtop attach` process. */
  const attachedShell = async (h: HolderHome) => {
    const id = await start(h, name, 'echo PID=$$; exec sh');
    const s = track(h.pty(['attach', id]));
    await s.waitFor(/PID=\d+/, 10_000);
    const pid = /PID=(\d+)/.exec(s.screen())?.[1] as string;
    await shellReady(s);
    const child = Number(execFileSync('ps', ['-o', 'pid=', '--ppid', String(s.pty.pid)]).toString().trim().split('\n')[0].trim());
    return { id, s, pid, child };
  };

  it.each([
    ['the holder drives the terminal', {}],
    ['relayed by the attach process', { LXTOP_SESSION_RELAY: '1' }],
  ])('exec -d starts a session and prints its id; sessions lists it; attach shows its screen, detach leaves it running, re-attach, exit (%s)', async (_how, attachEnv: Record<string, string>) => {
    const h = home();
    const direct = attachEnv.LXTOP_SESSION_RELAY === undefined;
    const id = await start(h, name, 'echo PID=$$; echo marker-one; exec sh');
    const table = (await h.lxtop(['sessions'])).stdout.toString();
    expect(table.split('\n')[0]).toMatch(/^ID\s+NAME\s+INSTANCE\s+REMOTE\s+PROJECT\s+STARTED\s+OUTPUT\s+STATE\s+COMMAND$/);
    expect(table).toMatch(new RegExp(`^${id}\\s+-\\s+${name}\\s+local\\s+default\\s+.*\\sdetached\\s+sh -c`, 'm'));

    const s = track(h.pty(['attach', id], { cols: 100, rows: 30, env: attachEnv }));
    await s.waitFor('marker-one', 10_000);
    const pid = /PID=(\d+)/.exec(s.screen())?.[1] as string;
    expect(pid).toMatch(/^\d+$/);
    await shellReady(s);
    s.write('echo $((6*7))\r');
    await s.waitFor(/^42\s*$/m);
    expect((await list(h)).find((x) => x.id === id)?.state).toBe('attached');
    const terminal = readlinkSync(`/proc/${s.pty.pid}/fd/0`);
    expect(h.holderTerminals()).toEqual(direct ? [terminal] : []);
    s.write('\r~.');
    const end = await cliEnd(s);
    expect(end.status).toBe(0);
    expectCooked(end.stty);
    expect(s.output).toContain(`lxtop attach ${id} to return`);
    // Given back: the holder keeps no terminal open.
    expect(h.holderTerminals()).toEqual([]);

    expect((await list(h)).find((x) => x.id === id)?.state).toBe('detached');
    expect(await alive(name, pid)).toBe(true);

    // Re-attach: the earlier screen at once, the same shell.
    const again = track(h.pty(['attach', id], { cols: 100, rows: 30, env: attachEnv }));
    await again.waitFor((screen) => /^42\s*$/m.test(screen) && screen.includes('marker-one'), 10_000);
    again.write('echo pid-now=$$\r');
    await again.waitFor(`pid-now=${pid}`);
    again.write('exit 7\r');
    const done = await cliEnd(again);
    expect(done.status).toBe(7);
    expectCooked(done.stty);
    const ended = (await list(h)).find((x) => x.id === id);
    expect(ended).toMatchObject({ state: 'exited', exitCode: 7 });
    expect(h.holderTerminals()).toEqual([]);
  });

  it('loses no output while detached: 50,000 numbered lines are all in the history, in order; attach shows the last screen', async () => {
    const h = home();
    const id = await start(h, name, 'i=1; while [ $i -le 50000 ]; do echo "n$i"; i=$((i+1)); done; echo ALL-DONE; exec sleep 600');
    const history = await eventually('the whole output in the history', async () => {
      const r = await h.lxtop(['sessions', 'history', id]);
      const text = r.stdout.toString();
      return text.includes('ALL-DONE') ? text : null;
    }, 60_000);
    const numbered = history.split('\n').filter((l) => /^n\d+$/.test(l)).map((l) => Number(l.slice(1)));
    expect(numbered.length).toBe(50_000);
    expect(numbered.every((n, i) => n === i + 1)).toBe(true);

    const s = track(h.pty(['attach', id], { cols: 100, rows: 30 }));
    await s.waitFor((screen) => screen.includes('ALL-DONE') && /^n50000\s*$/m.test(screen), 10_000);
    s.write('\x1d'); // not the detach sequence: ignored by sleep
    s.write('\r~.');
    expect((await cliEnd(s)).status).toBe(0);
  });

  it('a SIGHUP to the attached lxtop (a dropped ssh link) detaches: the command runs on with the same pid, listed as detached', async () => {
    const h = home();
    const { id, s, pid, child } = await attachedShell(h);
    s.write('echo before-hup\r');
    await s.waitFor(/^before-hup\s*$/m);
    process.kill(child, 'SIGHUP');
    const end = await cliEnd(s);
    expectCooked(end.stty);
    await eventually('detached after the hang-up', async () => (await list(h)).find((x) => x.id === id)?.state === 'detached');
    expect(await alive(name, pid)).toBe(true);
    const again = track(h.pty(['attach', id]));
    await again.waitFor(/^before-hup\s*$/m, 10_000);
    again.write('echo pid-now=$$\r');
    await again.waitFor(`pid-now=${pid}`);
    again.write('\r~.');
    expect((await cliEnd(again)).status).toBe(0);
  });

  it('an attach killed outright (SIGKILL: nothing restored, nothing said) leaves the session detached and its terminal closed in the holder', async () => {
    const h = home();
    const { id, s, pid, child } = await attachedShell(h);
    expect(h.holderTerminals()).toEqual([readlinkSync(`/proc/${s.pty.pid}/fd/0`)]);
    process.kill(child, 'SIGKILL');
    await eventually('detached after the kill', async () => (await list(h)).find((x) => x.id === id)?.state === 'detached');
    await eventually('the terminal closed in the holder', async () => h.holderTerminals().length === 0);
    expect(await alive(name, pid)).toBe(true);
  });

  it('a session whose instance stops shows how it ended; attaching to it says so', async () => {
    const h = home();
    const id = await start(h, other, 'echo up; exec sleep 600');
    await eventually('running', async () => (await list(h)).find((x) => x.id === id)?.state === 'detached');
    await d.tool('stop', '--force', other);
    const ended = await eventually('ended', async () => {
      const s = (await list(h)).find((x) => x.id === id);
      return s && (s.state === 'exited' || s.state === 'lost') ? s : null;
    }, 30_000);
    expect(ended.reason).not.toBe('');
    const table = (await h.lxtop(['sessions'])).stdout.toString();
    expect(table).toMatch(new RegExp(`^${id}\\s.*\\s(exited|lost)`, 'm'));
    const r = await h.lxtop(['attach', id]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`session ${id} has ended: (exited|lost)`));
    await d.tool('start', other);
  });

  it('the holder: a private directory (0700) and socket (0600) that another user cannot reach; it exits with its last session and removes its socket', async () => {
    const h = home({ LXTOP_HOLDER_LINGER_MS: '500' });
    const id = await start(h, name, 'sleep 600');
    expect(statSync(h.dir).mode & 0o777).toBe(0o700);
    expect(statSync(h.socket).mode & 0o777).toBe(0o600);
    expect(statSync(h.socket).isSocket()).toBe(true);
    const probe = `require('net').connect(${JSON.stringify(h.socket)}).on('connect',()=>{console.log('CONNECTED');process.exit(0)}).on('error',(e)=>{console.log(e.code);process.exit(3)})`;
    const nobody = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '-e', probe], { encoding: 'utf8' });
    expect(nobody.stdout.trim()).toBe('EACCES');
    // The same probe as this user connects: the refusal above is the permissions, not a dead socket.
    const me = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    expect(me.stdout.trim()).toBe('CONNECTED');

    const pid = h.holderPid() as number;
    expect(pid).toBeGreaterThan(0);
    const r = await h.lxtop(['sessions', 'close', id]);
    expect(r.code).toBe(0);
    await eventually('holder gone', async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 15_000);
    expect(existsSync(h.socket)).toBe(false);
    expect(existsSync(`${h.dir}/holder.lock`)).toBe(false);
  });

  it('says what is wrong: no holder, an unknown id, an instance that is not there', async () => {
    const h = home();
    const none = await h.lxtop(['sessions']);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('the session holder is not running');
    const attach = await h.lxtop(['attach', '5']);
    expect(attach.code).toBe(1);
    expect(attach.stderr).toContain('session holder is not running');
    const missing = await h.lxtop(['--socket', socket, 'exec', '-d', 'no-such-instance-here']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/instance no-such-instance-here not found/);
    await start(h, name, 'sleep 600');
    const unknown = await h.lxtop(['sessions', 'history', '99']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no session 99');
    const attachUnknown = await h.lxtop(['attach', '99']);
    expect(attachUnknown.code).toBe(1);
    expect(attachUnknown.stderr).toContain('no session 99');
    await sleep(0);
  });
});
