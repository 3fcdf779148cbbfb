// lxtop copy / export / import / publish through the built CLI against the real daemons: a copy
// from the sandbox LXD to the cluster, an HTTPS remote with its pinned certificate and lxtop's
// client certificate (the cluster pulls the instance from the LXD's address), has the same config;
// export then import gives an instance whose file matches (sha256 of a file written before the
// export), on LXD and Incus; publish makes an image with the alias. Everything made is removed.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fingerprintPem } from '../../src/remote/index.js';
import { CLUSTER_PORT, daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, runCli, uniqueName } from '../support/exec-instances.js';
import { remotesHome } from '../support/remotes-home.js';
import { cliPath } from '../support/pty.js';
import { operationOn, unixApi } from '../support/unix-api.js';
import { comparable } from '../support/instance-config.js';

const run = promisify(execFile);

function backupSuite(kind: 'lxd' | 'incus'): void {
  describeOn([kind], `export and import (${kind}, built CLI)`, () => {
    const socket = daemonSocket(kind)!;
    const d = daemonTool(kind, socket);
    const name = uniqueName('exp');
    const back = `${name}-i`;
    const dir = mkdtempSync(join(tmpdir(), 'lxtop-export-'));
    let sum = '';

    beforeAll(async () => {
      await launch(d, name);
      sum = (await d.tool('exec', name, '--', 'sh', '-c', 'head -c 3000000 /dev/urandom > /root/data && sha256sum /root/data')).split(' ')[0];
      expect(sum).toMatch(/^[0-9a-f]{64}$/);
    }, 120_000);
    afterAll(async () => {
      for (const n of [name, back]) await remove(d, n);
      rmSync(dir, { recursive: true, force: true });
    }, 120_000);

    it('export writes a backup file, import makes an instance whose file matches', async () => {
      const file = join(dir, 'backup.tar.gz');
      const exported = await runCli(['--socket', socket, 'export', name, file], undefined, 120_000);
      expect(exported.stderr).toMatch(new RegExp(`export ${name}: [0-9.]+[kMG]?B in [0-9.]+ s \\([0-9.]+[kMG]?B/s\\)`));
      expect(exported.code).toBe(0);
      expect(statSync(file).size).toBeGreaterThan(1_000_000);
      // The server's backup is gone again.
      const backups = (await unixApi(socket, 'GET', `/1.0/instances/${name}/backups`)).metadata as string[];
      expect(backups).toEqual([]);
      // Exporting over an existing file is refused, and the file is kept.
      const again = await runCli(['--socket', socket, 'export', name, file], undefined, 120_000);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/EEXIST|exists/);
      expect(statSync(file).size).toBeGreaterThan(1_000_000);

      const imported = await runCli(['--socket', socket, 'import', file, back], undefined, 120_000);
      expect(imported.stderr).toContain(`import ${file}: done`);
      expect(imported.code).toBe(0);
      await d.tool('start', back);
      const got = (await d.tool('exec', back, '--', 'sha256sum', '/root/data')).split(' ')[0];
      expect(got).toBe(sum);
    }, 240_000);

    it('a missing file and a missing instance are clear messages, and no file is left', async () => {
      const missing = await runCli(['--socket', socket, 'import', join(dir, 'nope.tar.gz')]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/nope\.tar\.gz: .*no such file/i);
      const gone = await runCli(['--socket', socket, 'export', `${name}-missing`, join(dir, 'x.tar.gz')]);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toMatch(/not found/i);
      expect(existsSync(join(dir, 'x.tar.gz'))).toBe(false);
    }, 60_000);

    it('Ctrl-C during an export: exit 130, no file left, and the server keeps no backup', async () => {
      // Incompressible data, so that the backup takes long enough to be interrupted.
      await d.tool('exec', name, '--', 'sh', '-c', 'head -c 40000000 /dev/urandom > /root/big');
      const file = join(dir, 'cancelled.tar.gz');
      const r = await runCli(['--socket', socket, 'export', name, file], undefined, 120_000, {}, () => operationOn(socket, name));
      await d.tool('exec', name, '--', 'rm', '/root/big');
      expect(r.stderr).toContain('lxtop: export cancelled');
      expect(r.code).toBe(130);
      expect(existsSync(file)).toBe(false);
      expect((await unixApi(socket, 'GET', `/1.0/instances/${name}/backups`)).metadata).toEqual([]);
    }, 180_000);

    it('publish makes an image with the alias (of a stopped instance)', async () => {
      const alias = `${name}-img`;
      const pub = await runCli(['--socket', socket, 'publish', `${name}`, '--alias', alias], undefined, 120_000);
      // A running instance is refused, in the server's own words.
      expect(pub.code).toBe(1);
      expect(pub.stderr).toMatch(/running|stop/i);
      await d.tool('stop', name, '--force');
      const ok = await runCli(['--socket', socket, 'publish', name, '--alias', alias], undefined, 120_000);
      try {
        expect(ok.stderr).toContain(`publish ${name}: done`);
        expect(ok.code).toBe(0);
        const fp = ok.stdout.toString().trim().split(' ')[1];
        expect((await unixApi(socket, 'GET', `/1.0/images/aliases/${alias}`)).metadata.target).toBe(fp);
      } finally {
        const a = await unixApi(socket, 'GET', `/1.0/images/aliases/${alias}`);
        if (a.type !== 'error') await unixApi(socket, 'DELETE', `/1.0/images/${a.metadata.target}`);
      }
    }, 240_000);
  });
}

backupSuite('lxd');
backupSuite('incus');

describeOn(['lxd', 'cluster'], 'copy to another remote: LXD to the cluster over HTTPS (built CLI)', () => {
  const lxdSocket = daemonSocket('lxd')!;
  const clusterSocket = daemonSocket('cluster')!;
  const d = daemonTool('lxd', lxdSocket);
  const name = uniqueName('rcp');
  const home = remotesHome('lxtop-rcopy', { src: { socket: lxdSocket, protocol: 'lxd' } });
  const env = { ...home.env, NO_COLOR: '1' };
  let fp = '';

  beforeAll(async () => {
    await launch(d, name, { start: false });
    await d.tool('config', 'set', name, 'user.lxtop-test=remote', 'limits.memory=80MB');
    // lxtop's client certificate trusted by the cluster through a token, its certificate pinned.
    const cl = daemonTool('lxd', clusterSocket);
    const token = (await cl.tool('config', 'trust', 'add', '--name', `lxtop-rcopy-${process.pid}`, '--quiet')).trim().split('\n').at(-1)!;
    const added = await runCli(['remote', 'add', 'cl', `https://127.0.0.1:${CLUSTER_PORT}`, '--token', token, '--accept-certificate'], undefined, 30_000, env);
    expect(added.stderr + added.stdout.toString()).toContain('Remote cl added');
    fp = fingerprintPem(readFileSync(join(home.env.LXTOP_CONF!, 'client.crt'), 'utf8'));
  }, 120_000);
  afterAll(async () => {
    await remove(d, name);
    const op = await unixApi(clusterSocket, 'DELETE', `/1.0/instances/${name}`).catch(() => null);
    if (op?.operation) await unixApi(clusterSocket, 'GET', `${op.operation}/wait?timeout=30`);
    if (fp) await unixApi(clusterSocket, 'DELETE', `/1.0/certificates/${fp}`).catch(() => undefined);
    home.remove();
  }, 120_000);

  it('the instance appears on the cluster with the same config, devices and profiles', async () => {
    const r = await runCli(['copy', `src:${name}`, `cl:${name}`], undefined, 120_000, env);
    expect(r.stderr).toContain(`copy src:${name} → cl:${name}: done`);
    expect(r.code).toBe(0);
    expect(await comparable(clusterSocket, name)).toEqual(await comparable(lxdSocket, name));
    // And through the remote, over HTTPS, as lxtop lists it.
    const listed = await run(process.execPath, [cliPath, '--remote', 'cl', '--once'], { env: { ...process.env, ...env, LXD_SOCKET: undefined } as NodeJS.ProcessEnv });
    expect(listed.stdout).toContain(name);
  }, 180_000);

  it('Ctrl-C during the copy cancels the sending side: exit 130, nothing on the cluster, nothing left running', async () => {
    const big = `${name}-big`;
    try {
      await launch(d, big);
      await d.tool('exec', big, '--', 'sh', '-c', 'head -c 60000000 /dev/urandom > /root/big');
      await d.tool('stop', big, '--force');
      const r = await runCli(['copy', `src:${big}`, `cl:${big}`], undefined, 120_000, env, () => operationOn(clusterSocket, big));
      expect(r.stderr).toContain('lxtop: copy cancelled');
      expect(r.code).toBe(130);
      expect((await unixApi(clusterSocket, 'GET', `/1.0/instances/${big}`)).type).toBe('error');
      const running = ((await unixApi(lxdSocket, 'GET', '/1.0/operations?recursion=1')).metadata?.running ?? []) as { description: string; resources: Record<string, string[]> | null }[];
      expect(running.filter((o) => JSON.stringify(o.resources ?? {}).includes(`/instances/${big}`))).toEqual([]);
    } finally {
      await remove(d, big);
      const op = await unixApi(clusterSocket, 'DELETE', `/1.0/instances/${big}`).catch(() => null);
      if (op?.operation) await unixApi(clusterSocket, 'GET', `${op.operation}/wait?timeout=30`);
    }
  }, 240_000);
});
