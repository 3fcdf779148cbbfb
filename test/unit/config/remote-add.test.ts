// `remoteMain(['add', ...])` against a small local HTTPS server: prompts, refusals, and that a failed
// add leaves no file behind. The same flows run against real LXD and Incus in test/integration.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findRemote, loadConfig, resolveTarget } from '../../../src/config/index.js';
import { remoteMain, type RemoteIo } from '../../../src/remote/index.js';
import { fakeLxd, type FakeLxd } from './fake-lxd.js';
import { tempHome, type TempHome } from './helpers.js';

let h: TempHome;
let server: FakeLxd;
beforeEach(async () => {
  h = tempHome();
  server = await fakeLxd({ password: 'sesame', projects: ['default', 'web'] });
});
afterEach(async () => {
  await server.close();
  h.cleanup();
});

function io(over: Partial<RemoteIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const asked: string[] = [];
  const value: Partial<RemoteIo> = {
    env: h.env,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    interactive: false,
    confirm: async (q) => {
      asked.push(q);
      return false;
    },
    secret: async (q) => {
      asked.push(q);
      return '';
    },
    ...over,
  };
  return { value, out: () => out.join(''), err: () => err.join(''), asked };
}

const conf = () => h.path('.config/lxtop');

describe('remote add', () => {
  it('trusts the client with the password, pins the certificate and records the remote', async () => {
    const t = io();
    const code = await remoteMain(['add', 'fake', server.url, '--password', 'sesame', '--accept-certificate', '--project', 'web'], t.value);
    expect(t.err()).toBe('');
    expect(code).toBe(0);
    expect(t.out()).toContain(`Certificate fingerprint: ${server.fingerprint}`);
    expect(t.out()).toContain(`Remote fake added: ${server.url} (LXD 5.0.2, project web)`);
    expect(readdirSync(conf()).sort()).toEqual(['client.crt', 'client.key', 'config.yml', 'servercerts']);
    expect(statSync(`${conf()}/client.key`).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${conf()}/servercerts/fake.crt`, 'utf8')).toContain('BEGIN CERTIFICATE');
    const config = readFileSync(`${conf()}/config.yml`, 'utf8');
    expect(config).not.toContain('sesame');
    expect(findRemote(loadConfig({ env: h.env }), 'fake')).toMatchObject({ addr: server.url, protocol: 'lxd', project: 'web', source: 'lxtop' });
    const target = resolveTarget(loadConfig({ env: h.env }), { remote: 'fake', env: h.env });
    expect(target).toMatchObject({ kind: 'https', url: server.url, project: 'web', serverCert: readFileSync(`${conf()}/servercerts/fake.crt`, 'utf8') });
    expect(server.trusted.size).toBe(1);
    expect(server.requests).toEqual(['GET /1.0', 'POST /1.0/certificates', 'GET /1.0', 'GET /1.0/projects/web']);
  });

  it('asks y/N on a terminal; "no" writes nothing and sends nothing', async () => {
    const t = io({ interactive: true });
    expect(await remoteMain(['add', 'fake', server.url, '--password', 'sesame'], t.value)).toBe(1);
    expect(t.asked).toEqual(['ok (y/N)? ']);
    expect(t.err()).toContain('certificate not accepted');
    expect(existsSync(conf())).toBe(false);
    expect(server.requests).toEqual([]);
  });

  it('asks for the secret on a terminal when none is given', async () => {
    const t = io({ interactive: true, confirm: async () => true, secret: async () => 'sesame' });
    expect(await remoteMain(['add', 'fake', server.url], t.value)).toBe(0);
    expect(server.trusted.size).toBe(1);
  });

  it('requires --accept-certificate when not on a terminal', async () => {
    const t = io();
    expect(await remoteMain(['add', 'fake', server.url, '--password', 'sesame'], t.value)).toBe(1);
    expect(t.err()).toContain('run again with --accept-certificate');
    expect(t.err()).toContain('Nothing was written.');
    expect(existsSync(conf())).toBe(false);
  });

  it('shows the server refusal of a wrong password verbatim and writes nothing', async () => {
    const t = io();
    expect(await remoteMain(['add', 'fake', server.url, '--password', 'wrong', '--accept-certificate'], t.value)).toBe(1);
    expect(t.err()).toBe('lxtop remote add: the server refused to trust this client: not authorized\nNothing was written.\n');
    expect(existsSync(conf())).toBe(false);
  });

  it('takes back the trust it granted when a later step fails (unknown project)', async () => {
    const t = io();
    expect(await remoteMain(['add', 'fake', server.url, '--password', 'sesame', '--accept-certificate', '--project', 'nope'], t.value)).toBe(1);
    expect(t.err()).toContain('project "nope": Project not found');
    expect(existsSync(conf())).toBe(false);
    expect(server.trusted.size).toBe(0);
    expect(server.requests.at(-1)).toMatch(/^DELETE \/1\.0\/certificates\/[0-9a-f]{64}$/);
  });

  it('refuses a name lxtop already has, and a config that does not parse, before any connection', async () => {
    h.write('.config/lxtop/config.yml', 'remotes:\n  fake:\n    addr: https://x:1\n');
    const t = io();
    expect(await remoteMain(['add', 'fake', server.url, '--password', 'sesame', '--accept-certificate'], t.value)).toBe(1);
    expect(t.err()).toContain(`remote "fake" already exists in ${conf()}/config.yml`);
    h.write('.config/lxtop/config.yml', 'remotes: [\n');
    const t2 = io();
    expect(await remoteMain(['add', 'other', server.url, '--password', 'sesame', '--accept-certificate'], t2.value)).toBe(1);
    expect(t2.err()).toContain(`refusing to change a file that does not parse: ${conf()}/config.yml:2:1`);
    expect(server.connections).toBe(0);
  });

  it('reports an unreachable server clearly', async () => {
    const t = io();
    expect(await remoteMain(['add', 'gone', 'https://127.0.0.1:1', '--password', 'x', '--accept-certificate'], t.value)).toBe(1);
    expect(t.err()).toBe('lxtop remote add: cannot reach https://127.0.0.1:1: connection refused (ECONNREFUSED)\nNothing was written.\n');
  });

  it('refuses a token issued by another server', async () => {
    const token = Buffer.from(JSON.stringify({ client_name: 'c', fingerprint: 'ab'.repeat(32), addresses: [], secret: 's' })).toString('base64');
    const t = io();
    expect(await remoteMain(['add', 'fake', server.url, '--token', token, '--accept-certificate'], t.value)).toBe(1);
    expect(t.err()).toContain(`the token was issued by a server with certificate ${'ab'.repeat(32)}, but ${server.url} presents ${server.fingerprint}`);
    expect(server.requests).toEqual([]);
  });

  it('reuses an existing client certificate', async () => {
    expect(await remoteMain(['add', 'fake', server.url, '--password', 'sesame', '--accept-certificate'], io().value)).toBe(0);
    const crt = readFileSync(`${conf()}/client.crt`, 'utf8');
    const second = await fakeLxd({ password: 'two' });
    try {
      const t = io();
      expect(await remoteMain(['add', 'second', second.url, '--password', 'two', '--accept-certificate'], t.value)).toBe(0);
      expect(t.out()).not.toContain('Generated');
      expect(readFileSync(`${conf()}/client.crt`, 'utf8')).toBe(crt);
    } finally {
      await second.close();
    }
  });
});

describe('remote list, remove, switch', () => {
  it('lists every source with the default marked, warnings on stderr', async () => {
    h.write('.config/lxc/config.yml', 'default-remote: prod\nremotes:\n  prod:\n    addr: https://p:8443\n    protocol: lxd\n    project: web\n');
    h.write('.config/incus/config.yml', 'remotes: [\n');
    const t = io();
    expect(await remoteMain(['list'], t.value)).toBe(0);
    const lines = t.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ADDR\s+PROTOCOL\s+PROJECT\s+SOURCE$/);
    expect(lines[1]).toMatch(new RegExp(`^prod \\(default\\)\\s+https://p:8443\\s+lxd\\s+web\\s+${h.path('.config/lxc/config.yml')}$`));
    expect(lines[2]).toMatch(/^local\s+unix:\/\/\s+-\s+default\s+\(built-in: the local daemon\)$/);
    expect(t.err()).toMatch(new RegExp(`^warning: ${h.path('.config/incus/config.yml')}:2:1: `));
  });

  it('removes an lxtop remote and its pin; switches the default', async () => {
    expect(await remoteMain(['add', 'fake', server.url, '--password', 'sesame', '--accept-certificate'], io().value)).toBe(0);
    expect(await remoteMain(['switch', 'fake'], io().value)).toBe(0);
    expect(loadConfig({ env: h.env }).defaultRemote).toBe('fake');
    expect(await remoteMain(['remove', 'fake'], io().value)).toBe(0);
    const c = loadConfig({ env: h.env });
    expect(findRemote(c, 'fake')).toBeUndefined();
    expect(c.defaultRemote).toBe('local');
    expect(existsSync(`${conf()}/servercerts/fake.crt`)).toBe(false);
    const t = io();
    expect(await remoteMain(['remove', 'local'], t.value)).toBe(1);
  });

  it('prints usage on bad arguments with exit 2', async () => {
    const t = io();
    expect(await remoteMain(['add'], t.value)).toBe(2);
    expect(t.err()).toContain('Usage:');
  });
});
