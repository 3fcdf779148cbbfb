// lxtop launch through the built CLI against the real daemons: an instance on the cluster (an HTTPS
// remote with its pinned certificate and lxtop's client certificate) from a private image that is
// only on the sandbox LXD (published here, so the cluster must pull it, with the image's secret),
// with a config key and a user-data file; a missing image or file is a clear message that changes
// nothing. The same on Incus (by its socket) as the target. Everything made is removed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fingerprintPem } from '../../src/remote/index.js';
import { CLUSTER_PORT, daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, runCli, uniqueName } from '../support/exec-instances.js';
import { remotesHome } from '../support/remotes-home.js';
import { listedLive, pickInList, startCli, type PtySession } from '../support/pty.js';
import { operationOn, unixApi } from '../support/unix-api.js';

async function wait(socket: string, answer: { operation?: string } | null): Promise<void> {
  if (answer?.operation) await unixApi(socket, 'GET', `${answer.operation}/wait?timeout=60`);
}

/** The target: the cluster as an HTTPS remote (client certificate by token), or Incus by its socket. */
function suite(to: 'cluster' | 'incus'): void {
  describeOn(['lxd', to], `launch from another remote: an LXD private image on ${to === 'cluster' ? 'the cluster over HTTPS' : 'Incus'} (built CLI)`, () => {
    const lxdSocket = daemonSocket('lxd')!;
    const clusterSocket = daemonSocket(to)!;
    const d = daemonTool('lxd', lxdSocket);
    const base = uniqueName('lch');
    const alias = `${base}-img`;
    const name = `${base}-new`;
    const tuiName = `${base}-tui`;
    const cancelName = `${base}-cx`;
    const sessions: PtySession[] = [];
    const home = remotesHome('lxtop-launch', {
      src: { socket: lxdSocket, protocol: 'lxd' },
      ...(to === 'incus' ? { cl: { socket: clusterSocket, protocol: 'incus' as const } } : {}),
    });
    const env = { ...home.env, NO_COLOR: '1' };
    const dir = mkdtempSync(join(tmpdir(), 'lxtop-launch-'));
    const userData = join(dir, 'user-data.yml');
    let image = '';
    let certFp = '';

    beforeAll(async () => {
      // A fresh image (its own fingerprint, private) that the cluster cannot have yet.
      await launch(d, base, { start: false });
      await d.tool('publish', base, '--alias', alias);
      image = (await unixApi(lxdSocket, 'GET', `/1.0/images/aliases/${alias}`)).metadata.target as string;
      expect((await unixApi(lxdSocket, 'GET', `/1.0/images/${image}`)).metadata.public).toBe(false);
      expect((await unixApi(clusterSocket, 'GET', `/1.0/images/${image}`)).type).toBe('error');
      writeFileSync(userData, '#cloud-config\nhostname: launched\n');
      if (to === 'incus') return;
      const cl = daemonTool('lxd', clusterSocket);
      const token = (await cl.tool('config', 'trust', 'add', '--name', `lxtop-launch-${process.pid}`, '--quiet')).trim().split('\n').at(-1)!;
      const added = await runCli(['remote', 'add', 'cl', `https://127.0.0.1:${CLUSTER_PORT}`, '--token', token, '--accept-certificate'], undefined, 30_000, env);
      expect(added.stderr + added.stdout.toString()).toContain('Remote cl added');
      certFp = fingerprintPem(readFileSync(join(home.env.LXTOP_CONF!, 'client.crt'), 'utf8'));
    }, 180_000);
    afterAll(async () => {
      await remove(d, base);
      for (const s of sessions) s.kill('SIGKILL');
      for (const made of [name, tuiName, cancelName]) {
        await wait(clusterSocket, await unixApi(clusterSocket, 'PUT', `/1.0/instances/${made}/state`, { action: 'stop', force: true }).catch(() => null));
        await wait(clusterSocket, await unixApi(clusterSocket, 'DELETE', `/1.0/instances/${made}`).catch(() => null));
      }
      if (image) {
        await wait(clusterSocket, await unixApi(clusterSocket, 'DELETE', `/1.0/images/${image}`).catch(() => null));
        await wait(lxdSocket, await unixApi(lxdSocket, 'DELETE', `/1.0/images/${image}`).catch(() => null));
      }
      if (certFp) await unixApi(clusterSocket, 'DELETE', `/1.0/certificates/${certFp}`).catch(() => undefined);
      home.remove();
      rmSync(dir, { recursive: true, force: true });
    }, 180_000);

    it('a missing image and a missing user-data file are clear messages, and nothing is made', async () => {
      const noImage = await runCli(['launch', `src:${alias}-missing`, `cl:${name}`], undefined, 60_000, env);
      expect(noImage.code).toBe(1);
      expect(noImage.stderr).toMatch(/not found/i);
      const noFile = await runCli(['launch', `src:${alias}`, `cl:${name}`, '--user-data', join(dir, 'nope')], undefined, 60_000, env);
      expect(noFile.code).toBe(1);
      expect(noFile.stderr).toMatch(/nope.*no such file|ENOENT/i);
      expect((await unixApi(clusterSocket, 'GET', `/1.0/instances/${name}`)).type).toBe('error');
      const ro = await runCli(['--read-only', 'launch', `src:${alias}`, `cl:${name}`], undefined, 30_000, env);
      expect(ro.code).toBe(1);
      expect(ro.stderr).toContain('--read-only');
    }, 120_000);

    it('Ctrl-C while the target pulls: exit 130, and the image\'s secret is withdrawn on the source', async () => {
      let op = '';
      const r = await runCli(['launch', `src:${alias}`, `cl:${cancelName}`], undefined, 120_000, env, async () => (op = await operationOn(clusterSocket, cancelName)));
      // Whether the create had ended when the signal came or not: no start is begun.
      expect(r.stderr).toMatch(/lxtop: launch cancelled: (stopped waiting; operation \S+ goes on in the daemon|\S+ was made, and is not started)/);
      expect(r.stderr).not.toContain(`start cl:${cancelName}`);
      expect(r.code).toBe(130);
      const running = ((await unixApi(lxdSocket, 'GET', '/1.0/operations?recursion=1')).metadata?.running ?? []) as { resources: Record<string, string[]> | null }[];
      expect(running.filter((o) => JSON.stringify(o.resources ?? {}).includes(image))).toEqual([]);
      // The daemon's create cannot be cancelled and goes on: let it end before the clean-up.
      await unixApi(clusterSocket, 'GET', `/1.0/operations/${op}/wait?timeout=60`);
    }, 180_000);

    it('the instance appears on the target, running, from the pulled image, with the config key and user-data', async () => {
      const r = await runCli(['launch', `src:${alias}`, `cl:${name}`, '-c', 'user.lxtop-test=launched', '--user-data', userData], undefined, 180_000, env);
      expect(r.stderr).toContain(`launch cl:${name}: done`);
      expect(r.code).toBe(0);
      const inst = (await unixApi(clusterSocket, 'GET', `/1.0/instances/${name}`)).metadata;
      expect(inst.config['user.lxtop-test']).toBe('launched');
      // The key the server knows (LXD 5.0.2 and Incus have `cloud-init.*`; older ones `user.user-data`).
      const exts = (await unixApi(clusterSocket, 'GET', '/1.0')).metadata.api_extensions as string[];
      expect(inst.config[exts.includes('cloud_init') ? 'cloud-init.user-data' : 'user.user-data']).toBe(readFileSync(userData, 'utf8'));
      expect(inst.config['volatile.base_image']).toBe(image);
      expect(inst.status).toBe('Running');
      // The target now holds the image it downloaded from the LXD.
      expect((await unixApi(clusterSocket, 'GET', `/1.0/images/${image}`)).metadata.fingerprint).toBe(image);
      // And the source holds no secret for it any more (a running token until cancelled).
      const running = ((await unixApi(lxdSocket, 'GET', '/1.0/operations?recursion=1')).metadata?.running ?? []) as { resources: Record<string, string[]> | null }[];
      expect(running.filter((o) => JSON.stringify(o.resources ?? {}).includes(image))).toEqual([]);
    }, 240_000);

    it('n in the TUI: "images on src…", then the private image there, then the instance on the target', async () => {
      const s = startCli(['--remote', 'cl'], { cols: 140, rows: 30, env });
      sessions.push(s);
      await s.waitFor(listedLive, 30_000);
      s.write('n');
      await s.waitFor('New instance: pick an image', 5000);
      await s.waitFor('images on src', 10_000); // the other remotes join the picker once listed
      await pickInList(s, 'images on src');
      await s.waitFor('New instance: an image on src', 20_000);
      await pickInList(s, alias);
      await s.waitFor(`New instance from src:${alias}`, 5000);
      s.write('\x15');
      s.write(`${tuiName} -c user.lxtop-test=picked --no-start`);
      s.write('\r');
      if (to === 'cluster') {
        await s.waitFor(`New instance ${tuiName}: pick a cluster member`, 5000);
        await pickInList(s, 'm2');
      }
      await s.waitFor((x) => x.includes(`Created ${tuiName}`) || /error|refused/i.test(x.split('\n').slice(-3).join(' ')), 120_000);
      expect(s.screen()).toContain(`Created ${tuiName}`);
      const inst = (await unixApi(clusterSocket, 'GET', `/1.0/instances/${tuiName}`)).metadata;
      expect(inst.config['user.lxtop-test']).toBe('picked');
      expect(inst.config['volatile.base_image']).toBe(image);
      expect(inst.status).toBe('Stopped');
      if (to === 'cluster') expect(inst.location).toBe('m2');
      // Nothing of the secret is left running on the source.
      const running = ((await unixApi(lxdSocket, 'GET', '/1.0/operations?recursion=1')).metadata?.running ?? []) as { resources: Record<string, string[]> | null }[];
      expect(running.filter((o) => JSON.stringify(o.resources ?? {}).includes(image))).toEqual([]);
      s.write('q');
      await s.exited;
    }, 240_000);
  });
}

suite('cluster');
suite('incus');
