// `lxtop remote ...` and `lxtop --once --remote NAME` through the built CLI: the first-use prompt
// and the hidden password in a real pseudo-terminal, the non-interactive refusal, the listing and
// `lxtop exec REMOTE:NAME` over HTTPS, and a changed server certificate refused with both fingerprints. Temporary HOME /
// LXTOP_CONF per test; trusted client certificates and instances are removed in afterAll.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fetchServerCertificate, fingerprintPem } from '../../src/remote/index.js';
import { daemonSocket, describeOn, INCUS_URL, LXD_URL, literal } from '../support/daemons.js';
import { unixApi } from '../support/unix-api.js';
import { cliCommand, startPty } from '../support/pty.js';

const run = promisify(execFile);

async function settle(socket: string, env: { type: string; operation?: string; error?: string }): Promise<void> {
  if (env.type === 'error') throw new Error(env.error);
  if (env.type === 'async' && env.operation) await unixApi(socket, 'GET', `${env.operation}/wait?timeout=60`);
}

async function ensureInstance(socket: string, name: string): Promise<void> {
  if ((await unixApi(socket, 'GET', `/1.0/instances/${name}`)).type !== 'error') return;
  await settle(socket, await unixApi(socket, 'POST', '/1.0/instances', { name, source: { type: 'image', alias: 'busybox' } }));
}

async function startInstance(socket: string, name: string): Promise<void> {
  const state = await unixApi(socket, 'GET', `/1.0/instances/${name}/state`);
  if ((state as { metadata?: { status?: string } }).metadata?.status === 'Running') return;
  await settle(socket, await unixApi(socket, 'PUT', `/1.0/instances/${name}/state`, { action: 'start' }));
}

async function deleteInstance(socket: string, name: string): Promise<void> {
  if ((await unixApi(socket, 'GET', `/1.0/instances/${name}`)).type === 'error') return;
  await settle(socket, await unixApi(socket, 'PUT', `/1.0/instances/${name}/state`, { action: 'stop', force: true })).catch(() => undefined);
  await settle(socket, await unixApi(socket, 'DELETE', `/1.0/instances/${name}`)).catch(() => undefined);
}

interface Home {
  root: string;
  conf: string;
  env: Record<string, string>;
}

const homes: Home[] = [];
function newHome(): Home {
  const root = mkdtempSync(join(tmpdir(), 'lxtop-remote-e2e-'));
  const conf = join(root, 'lxtop');
  const env = { HOME: root, LXTOP_CONF: conf, LXD_CONF: join(root, 'lxc'), INCUS_CONF: join(root, 'incus'), NO_COLOR: '1' };
  const h = { root, conf, env };
  homes.push(h);
  return h;
}

const toUntrust: { socket: string; fp: string }[] = [];
function rememberClient(h: Home, socket: string) {
  const crt = join(h.conf, 'client.crt');
  if (existsSync(crt)) toUntrust.push({ socket, fp: fingerprintPem(readFileSync(crt, 'utf8')) });
}

afterAll(async () => {
  for (const { socket, fp } of toUntrust) await unixApi(socket, 'DELETE', `/1.0/certificates/${fp}`).catch(() => undefined);
  for (const h of homes) rmSync(h.root, { recursive: true, force: true });
});

/** Runs the built CLI without a terminal; never throws on a non-zero exit. */
async function lxtop(h: Home, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = { ...process.env, ...h.env };
  delete env.LXD_SOCKET; // the remote decides, not the environment's local socket
  try {
    const { stdout, stderr } = await run(...cliCommand(args), { env, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/**
 * `lxtop exec REMOTE:NAME` over HTTPS with the client certificate: a command with its streams and
 * exit code, then an interactive shell in a real pty (the exec websockets over TLS).
 */
async function execOverHttps(h: Home, socket: string, remote: string, instance: string): Promise<void> {
  await startInstance(socket, instance);
  const r = await lxtop(h, ['exec', `${remote}:${instance}`, '--', 'sh', '-c', 'echo out-$((40+2)); echo err >&2; sleep 0.2; exit 6']);
  expect(r).toEqual({ code: 6, stdout: 'out-42\n', stderr: 'err\n' });
  const s = startPty(...cliCommand(['exec', `${remote}:${instance}`]), { env: { ...h.env, LXD_SOCKET: undefined } });
  try {
    s.write('echo shell-$((6*7))\r');
    await s.waitFor(/^shell-42\s*$/m, 15_000);
    s.write('exit 7\r');
    const { exitCode } = await s.exited;
    expect(exitCode).toBe(7);
  } finally {
    s.kill();
  }
}

describeOn(['lxd'], 'lxtop remote against LXD 5 (built CLI)', () => {
  const socket = daemonSocket('lxd')!;
  const h = newHome();
  beforeAll(() => ensureInstance(socket, 'remote-e2e-lxd'));
  afterAll(async () => {
    rememberClient(h, socket);
    await deleteInstance(socket, 'remote-e2e-lxd');
  });

  it('refuses to trust a certificate without a terminal unless --accept-certificate', async () => {
    const other = newHome();
    const r = await lxtop(other, ['remote', 'add', 'x', LXD_URL, '--password', 'lxtop-sandbox']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`Certificate fingerprint: ${(await fetchServerCertificate(LXD_URL)).fingerprint}`);
    expect(r.stderr).toContain('run again with --accept-certificate');
    expect(existsSync(other.conf)).toBe(false);
  });

  it('asks y/N for the fingerprint and the password without echo, in a terminal', async () => {
    const s = startPty(...cliCommand(['remote', 'add', 'e2e-lxd', LXD_URL]), { env: h.env });
    try {
      const fp = (await fetchServerCertificate(LXD_URL)).fingerprint;
      await s.waitFor((screen) => screen.includes(fp) && screen.includes('ok (y/N)?'));
      s.write('y\r');
      await s.waitFor('Trust token or password for e2e-lxd:');
      s.write('lxtop-sandbox\r');
      const { exitCode } = await s.exited;
      const screen = s.screen();
      expect(screen).toContain(`Remote e2e-lxd added: ${LXD_URL}`);
      expect(screen).not.toContain('lxtop-sandbox');
      expect(exitCode).toBe(0);
    } finally {
      s.kill();
    }
    expect(readFileSync(join(h.conf, 'config.yml'), 'utf8')).not.toContain('lxtop-sandbox');
  });

  it('lists the remote, marked with its source file', async () => {
    const r = await lxtop(h, ['remote', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^e2e-lxd\\s+${literal(LXD_URL)}\\s+lxd\\s+default\\s+${join(h.conf, 'config.yml')}$`, 'm'));
    expect(r.stdout).toMatch(/^local \(default\)\s+unix:\/\//m);
  });

  it('lxtop --once --remote NAME and lxtop NAME: --once list the instances over HTTPS', async () => {
    for (const args of [['--once', '--remote', 'e2e-lxd'], ['e2e-lxd:', '--once']]) {
      const r = await lxtop(h, args);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('remote-e2e-lxd');
    }
  });

  it('lxtop exec NAME: runs a command and an interactive shell over HTTPS', async () => {
    await execOverHttps(h, socket, 'e2e-lxd', 'remote-e2e-lxd');
  });

  it('refuses the remote once its certificate changed, naming both fingerprints', async () => {
    const pin = join(h.conf, 'servercerts', 'e2e-lxd.crt');
    const good = readFileSync(pin, 'utf8');
    const incusCrt = join(dirname(daemonSocket('incus') ?? '/nonexistent/x'), 'server.crt');
    const other = existsSync(incusCrt) ? readFileSync(incusCrt, 'utf8') : readFileSync(join(h.conf, 'client.crt'), 'utf8');
    writeFileSync(pin, other);
    try {
      const r = await lxtop(h, ['--once', '--remote', 'e2e-lxd']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('HAS CHANGED');
      expect(r.stderr).toContain(`pinned:    ${fingerprintPem(other)}`);
      expect(r.stderr).toContain(`presented: ${fingerprintPem(good)}`);
      expect(r.stdout).not.toContain('remote-e2e-lxd');
    } finally {
      writeFileSync(pin, good);
    }
  });
});

describeOn(['incus'], 'lxtop remote against Incus 6 (built CLI)', () => {
  const socket = daemonSocket('incus')!;
  const h = newHome();
  beforeAll(() => ensureInstance(socket, 'remote-e2e-incus'));
  afterAll(async () => {
    rememberClient(h, socket);
    await deleteInstance(socket, 'remote-e2e-incus');
  });

  it('adds by token non-interactively, then --once --remote lists the instances', async () => {
    const { stdout } = await run('incus', ['config', 'trust', 'add', `lxtop-e2e-${process.pid}`, '--quiet'], {
      env: { ...process.env, INCUS_DIR: dirname(socket), INCUS_SOCKET: socket, INCUS_CONF: join(h.root, 'incus-admin') },
    });
    const token = stdout.trim().split('\n').filter(Boolean).at(-1)!;
    const add = await lxtop(h, ['remote', 'add', 'e2e-inc', INCUS_URL, '--token', token, '--accept-certificate']);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(new RegExp(`Remote e2e-inc added: ${literal(INCUS_URL)} \\(Incus 6`));
    const r = await lxtop(h, ['--once', '--remote', 'e2e-inc']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('remote-e2e-incus');
  });

  it('lxtop exec NAME: runs a command and an interactive shell over HTTPS', async () => {
    await execOverHttps(h, socket, 'e2e-inc', 'remote-e2e-incus');
  });

  it('an unreachable remote is a clear error', async () => {
    const other = newHome();
    const r = await lxtop(other, ['remote', 'add', 'gone', 'https://127.0.0.1:1', '--token', 'x', '--accept-certificate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot reach https://127.0.0.1:1: connection refused (ECONNREFUSED)');
  });
});
