// `lxtop remote add` end to end against the real sandbox daemons over HTTPS on loopback: trust by
// password and by token (LXD 5), by token (Incus 6), refusals that leave nothing behind, a changed
// server certificate refused before anything is sent, and an unreachable remote. Every test uses a
// temporary HOME / LXTOP_CONF; every client certificate a server was made to trust is removed again.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { loadConfig, resolveTarget, type HttpsTarget } from '../../src/config/index.js';
import { connectTarget, fetchServerCertificate, fingerprintPem, generateClientCertificate, HttpsClient, PinMismatchError, remoteMain, type RemoteIo } from '../../src/remote/index.js';
import { daemonSocket, describeOn, INCUS_URL, LXD_URL, literal } from '../support/daemons.js';
import { unixApi } from '../support/unix-api.js';

const run = promisify(execFile);
const sandbox = process.env.LXTOP_SANDBOX ?? '/var/tmp/lxtop-sandbox';
const TRUST_PASSWORD = 'lxtop-sandbox';

// --- the daemons' unix sockets (trusted): setup and cleanup ----------------------------------------

async function unixWait(socket: string, env: { type: string; operation?: string; error?: string }): Promise<void> {
  if (env.type === 'error') throw new Error(env.error);
  if (env.type === 'async' && env.operation) {
    const done = await unixApi(socket, 'GET', `${env.operation}/wait?timeout=60`);
    if (done.type === 'error' || done.metadata?.status === 'Failure') throw new Error(done.error || done.metadata?.err);
  }
}

async function ensureInstance(socket: string, name: string): Promise<void> {
  const got = await unixApi(socket, 'GET', `/1.0/instances/${name}`);
  if (got.type !== 'error') return;
  await unixWait(socket, await unixApi(socket, 'POST', '/1.0/instances', { name, source: { type: 'image', alias: 'busybox' } }));
}

async function deleteInstance(socket: string, name: string): Promise<void> {
  const got = await unixApi(socket, 'GET', `/1.0/instances/${name}`);
  if (got.type === 'error') return;
  await unixWait(socket, await unixApi(socket, 'DELETE', `/1.0/instances/${name}`)).catch(() => undefined);
}

async function instanceNames(socket: string): Promise<string[]> {
  const got = await unixApi(socket, 'GET', '/1.0/instances?recursion=1');
  return (got.metadata as { name: string }[]).map((i) => i.name).sort();
}

/**
 * The HTTPS list against the unix socket's, read before and after it: other test files create and
 * delete instances meanwhile, so every instance present in both unix reads must be there, and
 * nothing that was in neither.
 */
async function expectSameInstances(socket: string, overHttps: () => Promise<string[]>): Promise<string[]> {
  const before = await instanceNames(socket);
  const names = await overHttps();
  const after = await instanceNames(socket);
  for (const n of before.filter((x) => after.includes(x))) expect(names).toContain(n);
  for (const n of names) expect([...before, ...after]).toContain(n);
  return names;
}

async function trustedFingerprints(socket: string): Promise<string[]> {
  const got = await unixApi(socket, 'GET', '/1.0/certificates?recursion=1');
  return (got.metadata as { fingerprint: string }[]).map((c) => c.fingerprint);
}

// --- temporary homes -------------------------------------------------------------------------------

interface Home {
  root: string;
  conf: string;
  env: Record<string, string | undefined>;
}

const homes: Home[] = [];
function newHome(): Home {
  const root = mkdtempSync(join(tmpdir(), 'lxtop-remote-it-'));
  const conf = join(root, 'lxtop');
  const h = {
    root,
    conf,
    env: { HOME: root, LXTOP_CONF: conf, LXD_CONF: join(root, 'lxc'), INCUS_CONF: join(root, 'incus'), PATH: process.env.PATH },
  };
  homes.push(h);
  return h;
}

function io(h: Home) {
  const out: string[] = [];
  const err: string[] = [];
  const value: Partial<RemoteIo> = {
    env: h.env,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    interactive: false,
    confirm: async () => false,
    secret: async () => '',
  };
  return { value, out: () => out.join(''), err: () => err.join('') };
}

/** Client certificates made trusted, per daemon socket, removed in afterAll. */
const toUntrust: { socket: string; fp: string }[] = [];
function rememberClient(h: Home, socket: string) {
  const crt = join(h.conf, 'client.crt');
  if (existsSync(crt)) toUntrust.push({ socket, fp: fingerprintPem(readFileSync(crt, 'utf8')) });
}

afterAll(async () => {
  for (const { socket, fp } of toUntrust) await unixApi(socket, 'DELETE', `/1.0/certificates/${fp}`).catch(() => undefined);
  for (const h of homes) rmSync(h.root, { recursive: true, force: true });
});

/** The instance names, through src/lxd's client built from the resolved target. */
async function listOverHttps(target: HttpsTarget): Promise<string[]> {
  const client = await connectTarget(target);
  try {
    const info = await client.server();
    expect(info.auth).toBe('trusted');
    return (await client.listInstances()).map((i) => i.name).sort();
  } finally {
    await client.close();
  }
}

function resolved(h: Home, remote: string): HttpsTarget {
  const t = resolveTarget(loadConfig({ env: h.env }), { remote, env: h.env });
  if (t.kind !== 'https') throw new Error(`expected an https target, got ${t.kind}`);
  return t;
}

// --- LXD 5 -----------------------------------------------------------------------------------------

describeOn(['lxd'], 'remote add against LXD 5 over HTTPS', () => {
  const socket = daemonSocket('lxd')!;
  let h: Home;
  beforeAll(() => ensureInstance(socket, 'remote-it-lxd'));
  afterAll(() => deleteInstance(socket, 'remote-it-lxd'));
  beforeEach(() => {
    h = newHome();
  });
  afterEach(() => rememberClient(h, socket));

  it('trusts by password, pins, and then lists the instances over HTTPS', async () => {
    const t = io(h);
    const code = await remoteMain(['add', 'lxd5', LXD_URL, '--password', TRUST_PASSWORD, '--accept-certificate'], t.value);
    expect(t.err()).toBe('');
    expect(code).toBe(0);
    const served = await fetchServerCertificate(LXD_URL);
    expect(t.out()).toContain(`Certificate fingerprint: ${served.fingerprint}`);
    expect(t.out()).toMatch(new RegExp(`Remote lxd5 added: ${literal(LXD_URL)} \\(LXD 5\\.[0-9.]+, project default\\)`));
    expect(readFileSync(join(h.conf, 'config.yml'), 'utf8')).not.toContain(TRUST_PASSWORD);
    expect(fingerprintPem(readFileSync(join(h.conf, 'servercerts', 'lxd5.crt'), 'utf8'))).toBe(served.fingerprint);
    const clientFp = fingerprintPem(readFileSync(join(h.conf, 'client.crt'), 'utf8'));
    expect(await trustedFingerprints(socket)).toContain(clientFp);

    const target = resolved(h, 'lxd5');
    expect(target).toMatchObject({ url: LXD_URL, protocol: 'lxd' });
    const names = await expectSameInstances(socket, () => listOverHttps(target));
    expect(names).toContain('remote-it-lxd');
  });

  it("trusts by an 'lxc config trust add' token given with --token", async () => {
    const lxcConf = join(h.root, 'lxc-admin');
    const { stdout } = await run('lxc', ['config', 'trust', 'add', '--name', `lxtop-it-${process.pid}`], {
      env: { ...process.env, LXD_DIR: dirname(socket), LXD_SOCKET: socket, LXD_CONF: lxcConf },
    });
    const token = stdout.trim().split('\n').filter(Boolean).at(-1)!;
    const t = io(h);
    expect(await remoteMain(['add', 'lxd5tok', LXD_URL, '--token', token, '--accept-certificate'], t.value)).toBe(0);
    expect(t.out()).toContain('The token names this same certificate.');
    expect(await listOverHttps(resolved(h, 'lxd5tok'))).toContain('remote-it-lxd');
  });

  it("shows the server's refusal of a wrong password and writes nothing", async () => {
    const t = io(h);
    expect(await remoteMain(['add', 'lxd5', LXD_URL, '--password', 'wrong-password', '--accept-certificate'], t.value)).toBe(1);
    expect(t.err()).toBe('lxtop remote add: the server refused to trust this client: not authorized\nNothing was written.\n');
    expect(existsSync(h.conf)).toBe(false);
  });

  it('checks --project after trust: an unknown project writes nothing and takes the trust back', async () => {
    const t = io(h);
    const before = await trustedFingerprints(socket);
    expect(
      await remoteMain(['add', 'lxd5', LXD_URL, '--password', TRUST_PASSWORD, '--accept-certificate', '--project', 'no-such-project'], t.value),
    ).toBe(1);
    expect(t.err()).toMatch(/^lxtop remote add: project "no-such-project": .+\nNothing was written\.\n$/);
    expect(existsSync(h.conf)).toBe(false);
    expect(await trustedFingerprints(socket)).toEqual(before);
  });

  it('refuses a remote whose certificate changed, naming both fingerprints, and sends it nothing', async () => {
    const t = io(h);
    expect(await remoteMain(['add', 'lxd5', LXD_URL, '--password', TRUST_PASSWORD, '--accept-certificate'], t.value)).toBe(0);
    // Another server's certificate in place of the pin: Incus's when it runs, else a fresh one.
    const incusCrt = join(sandbox, 'incus', 'server.crt');
    const other = existsSync(incusCrt)
      ? readFileSync(incusCrt, 'utf8')
      : readFileSync(join(h.conf, 'client.crt'), 'utf8');
    const pinFile = join(h.conf, 'servercerts', 'lxd5.crt');
    writeFileSync(pinFile, other);
    const target = resolved(h, 'lxd5');
    const c = new HttpsClient(target);
    const probe = 'remote-it-pin-probe';
    try {
      // A request that would create an instance: it must never reach the server.
      const err = await c.call('POST', '/1.0/instances', { name: probe, source: { type: 'none' } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PinMismatchError);
      const msg = (err as Error).message;
      expect(msg).toContain(`WARNING: THE CERTIFICATE OF REMOTE "lxd5" (${LXD_URL}) HAS CHANGED!`);
      expect(msg).toContain(`pinned:    ${fingerprintPem(other)}  (${pinFile})`);
      expect(msg).toContain(`presented: ${(await fetchServerCertificate(LXD_URL)).fingerprint}`);
    } finally {
      await c.close();
    }
    expect(await instanceNames(socket)).not.toContain(probe);
    // The same through src/lxd's client: refused at connect, both fingerprints named.
    const err = await connectTarget(target).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PinMismatchError);
    expect((err as Error).message).toContain(`pinned:    ${fingerprintPem(other)}`);
    expect((err as Error).message).toContain(`presented: ${(await fetchServerCertificate(LXD_URL)).fingerprint}`);
  });

  it('reports an unreachable remote clearly', async () => {
    const t = io(h);
    expect(await remoteMain(['add', 'nowhere', 'https://127.0.0.1:1', '--password', 'x', '--accept-certificate'], t.value)).toBe(1);
    expect(t.err()).toBe('lxtop remote add: cannot reach https://127.0.0.1:1: connection refused (ECONNREFUSED)\nNothing was written.\n');
    expect(existsSync(h.conf)).toBe(false);
    // A recorded remote whose server is gone.
    mkdirSync(join(h.conf, 'servercerts'), { recursive: true });
    writeFileSync(join(h.conf, 'config.yml'), 'remotes:\n  gone:\n    addr: https://127.0.0.1:1\n    protocol: lxd\n');
    const client = await generateClientCertificate();
    writeFileSync(join(h.conf, 'client.crt'), client.cert);
    writeFileSync(join(h.conf, 'client.key'), client.key);
    writeFileSync(join(h.conf, 'servercerts', 'gone.crt'), (await fetchServerCertificate(LXD_URL)).pem);
    const err = await listOverHttps(resolved(h, 'gone')).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/https:\/\/127\.0\.0\.1:1: connection refused \(ECONNREFUSED\)$/);
    rmSync(h.conf, { recursive: true });
  });
});

// --- Incus 6 ---------------------------------------------------------------------------------------

async function incusToken(socket: string, name: string): Promise<string> {
  const adminConf = mkdtempSync(join(tmpdir(), 'lxtop-incus-admin-'));
  try {
    const { stdout } = await run('incus', ['config', 'trust', 'add', name, '--quiet'], {
      env: { ...process.env, INCUS_DIR: dirname(socket), INCUS_SOCKET: socket, INCUS_CONF: adminConf },
    });
    return stdout.trim().split('\n').filter(Boolean).at(-1)!;
  } finally {
    rmSync(adminConf, { recursive: true, force: true });
  }
}

describeOn(['incus'], 'remote add against Incus 6 over HTTPS', () => {
  const socket = daemonSocket('incus')!;
  let h: Home;
  beforeAll(() => ensureInstance(socket, 'remote-it-incus'));
  afterAll(() => deleteInstance(socket, 'remote-it-incus'));
  beforeEach(() => {
    h = newHome();
  });
  afterEach(() => rememberClient(h, socket));

  it('trusts by token (trust_token), pins, and then lists the instances over HTTPS', async () => {
    const token = await incusToken(socket, `lxtop-it-${process.pid}`);
    const t = io(h);
    const code = await remoteMain(['add', 'inc', INCUS_URL, '--token', token, '--accept-certificate'], t.value);
    expect(t.err()).toBe('');
    expect(code).toBe(0);
    expect(t.out()).toContain('The token names this same certificate.');
    expect(t.out()).toMatch(new RegExp(`Remote inc added: ${literal(INCUS_URL)} \\(Incus 6\\.[0-9.]+, project default\\)`));
    const target = resolved(h, 'inc');
    expect(target.protocol).toBe('incus');
    const names = await expectSameInstances(socket, () => listOverHttps(target));
    expect(names).toContain('remote-it-incus');
  });

  it("shows the server's refusal of a wrong token and writes nothing", async () => {
    const real = await incusToken(socket, `lxtop-it-bad-${process.pid}`);
    // Same server and fingerprint, wrong secret.
    const json = JSON.parse(Buffer.from(real, 'base64').toString('utf8')) as { secret: string };
    json.secret = '0'.repeat(json.secret.length);
    const wrong = Buffer.from(JSON.stringify(json)).toString('base64');
    const t = io(h);
    expect(await remoteMain(['add', 'inc', INCUS_URL, '--token', wrong, '--accept-certificate'], t.value)).toBe(1);
    expect(t.err()).toMatch(/^lxtop remote add: the server refused to trust this client: .+\nNothing was written\.\n$/);
    expect(existsSync(h.conf)).toBe(false);
    // The unused token's pending operation is cancelled again.
    const ops = await unixApi(socket, 'GET', '/1.0/operations?recursion=1');
    for (const op of (ops.metadata?.running ?? []) as { id: string; class: string; metadata: { request?: { name?: string } } }[]) {
      if (op.class === 'token' && op.metadata?.request?.name === `lxtop-it-bad-${process.pid}`) {
        await unixApi(socket, 'DELETE', `/1.0/operations/${op.id}`);
      }
    }
  });

  it('refuses a password: Incus has no trust password', async () => {
    const t = io(h);
    expect(await remoteMain(['add', 'inc', INCUS_URL, '--password', 'anything', '--accept-certificate'], t.value)).toBe(1);
    expect(t.err()).toMatch(/^lxtop remote add: the server refused to trust this client: .+\nNothing was written\.\n$/);
    expect(existsSync(h.conf)).toBe(false);
  });
});
