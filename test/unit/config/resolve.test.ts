import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, describeTarget, loadConfig, parseTargetArgs, resolveTarget } from '../../../src/config/index.js';
import { tempHome, type TempHome } from './helpers.js';

let h: TempHome;
beforeEach(() => {
  h = tempHome();
});
afterEach(() => h.cleanup());

function withCerts(dir: string, remote?: string) {
  h.write(`${dir}/client.crt`, 'CLIENT CERT');
  h.write(`${dir}/client.key`, 'CLIENT KEY');
  if (remote) h.write(`${dir}/servercerts/${remote}.crt`, `PIN ${remote}`);
}

describe('resolveTarget', () => {
  it('resolves the built-in local remote to socket discovery (LXD first, then Incus)', () => {
    const t = resolveTarget(loadConfig({ env: h.env }), { env: h.env });
    expect(t).toEqual({ kind: 'unix', server: undefined, fallback: true, wanted: undefined, project: undefined, allProjects: false, remote: 'local' });
  });

  it('resolves an HTTPS remote to url, client cert/key beside its config, and the pin', () => {
    h.write('.config/lxc/config.yml', 'remotes:\n  prod:\n    addr: https://10.0.0.5:8443/\n    protocol: lxd\n    project: web\n');
    withCerts('.config/lxc', 'prod');
    const t = resolveTarget(loadConfig({ env: h.env }), { remote: 'prod', env: h.env });
    expect(t).toMatchObject({
      kind: 'https',
      url: 'https://10.0.0.5:8443',
      cert: 'CLIENT CERT',
      key: 'CLIENT KEY',
      serverCert: 'PIN prod',
      project: 'web',
      allProjects: false,
      remote: 'prod',
      serverCertFile: h.path('.config/lxc/servercerts/prod.crt'),
    });
  });

  it('lets --project and --all-projects override the remote', () => {
    h.write('.config/lxtop/config.yml', 'default-remote: p\nremotes:\n  p:\n    addr: https://p:8443\n    project: web\n');
    withCerts('.config/lxtop', 'p');
    const c = loadConfig({ env: h.env });
    expect(resolveTarget(c, { project: 'db', env: h.env })).toMatchObject({ remote: 'p', project: 'db' });
    expect(resolveTarget(c, { allProjects: true, env: h.env })).toMatchObject({ project: 'web', allProjects: true });
  });

  it('has serverCert null when no pin exists', () => {
    h.write('.config/lxtop/config.yml', 'remotes:\n  p:\n    addr: https://p:8443\n');
    withCerts('.config/lxtop');
    expect(resolveTarget(loadConfig({ env: h.env }), { remote: 'p', env: h.env })).toMatchObject({ serverCert: null, serverCertFile: null });
  });

  it('refuses simplestreams remotes, unknown remotes, other auth types and missing client certs', () => {
    h.write(
      '.config/lxc/config.yml',
      'remotes:\n  images:\n    addr: https://images.linuxcontainers.org\n    protocol: simplestreams\n    public: true\n' +
        '  oidc:\n    addr: https://o:8443\n    auth_type: oidc\n  bare:\n    addr: https://b:8443\n  plain:\n    addr: http://x:80\n',
    );
    const c = loadConfig({ env: h.env });
    const err = (remote: string) => {
      try {
        resolveTarget(c, { remote, env: h.env });
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(err('images')).toMatch(/simplestreams image server/);
    expect(err('nope')).toBe('remote "nope" not found (known remotes: images, oidc, bare, plain, local; see lxtop remote list)');
    expect(err('oidc')).toMatch(/auth_type oidc is not supported/);
    expect(err('bare')).toBe(`remote "bare": no client certificate at ${h.path('.config/lxc/client.crt')} (lxtop remote add creates one)`);
    expect(err('plain')).toMatch(/unsupported address http:\/\/x:80/);
  });

  it('maps unix remotes: explicit path; lxc → LXD; incus → Incus (the socket is found when connecting)', () => {
    h.write('.config/lxtop/config.yml', 'remotes:\n  path:\n    addr: unix:///run/x/unix.socket\n');
    h.write('.config/lxc/config.yml', 'remotes:\n  lxl:\n    addr: unix://\n');
    h.write('.config/incus/config.yml', 'remotes:\n  inl:\n    addr: unix://\n');
    const c = loadConfig({ env: h.env });
    expect(resolveTarget(c, { remote: 'path' })).toMatchObject({ kind: 'unix', socket: '/run/x/unix.socket' });
    expect(resolveTarget(c, { remote: 'lxl' })).toMatchObject({ kind: 'unix', server: 'lxd', fallback: false });
    expect(resolveTarget(c, { remote: 'inl' })).toMatchObject({ kind: 'unix', server: 'incus', fallback: false });
  });
});

describe('parseTargetArgs', () => {
  it('takes NAME:, --remote, --project, --all-projects out and keeps the rest in order', () => {
    expect(parseTargetArgs(['prod:', '--once', '--project', 'web', 'x'])).toEqual({
      options: { remote: 'prod', project: 'web' },
      rest: ['--once', 'x'],
    });
    expect(parseTargetArgs(['--remote=a', '--all-projects', '--project=p'])).toEqual({
      options: { remote: 'a', project: 'p', allProjects: true },
      rest: [],
    });
    expect(parseTargetArgs(['exec', 'c1', '--', 'prod:'])).toEqual({ options: {}, rest: ['exec', 'c1', '--', 'prod:'] });
  });

  it('refuses a missing value and conflicting remotes', () => {
    expect(() => parseTargetArgs(['--remote'])).toThrow('--remote needs a value');
    expect(() => parseTargetArgs(['a:', '--remote', 'b'])).toThrow('conflicting remotes: a: and --remote b');
    expect(parseTargetArgs(['a:', '--remote', 'a']).options.remote).toBe('a');
  });
});

describe('describeTarget', () => {
  it('labels a target for headers', () => {
    expect(describeTarget({ kind: 'unix', allProjects: false, remote: 'local' })).toBe('local (local socket)');
    expect(describeTarget({ kind: 'unix', socket: '/s', allProjects: true, remote: 'l' })).toBe('l (unix:/s, all projects)');
    expect(
      describeTarget({ kind: 'https', url: 'https://h:1', project: 'web', allProjects: false, remote: 'p' } as never),
    ).toBe('p (https://h:1, project web)');
  });
});
