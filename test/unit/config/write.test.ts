import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findRemote, loadConfig, withDefaultRemote, withoutRemote, withRemote, writeAllOrNothing } from '../../../src/config/index.js';
import { tempHome, type TempHome } from './helpers.js';

let h: TempHome;
beforeEach(() => {
  h = tempHome();
});
afterEach(() => h.cleanup());

describe('config edits', () => {
  it('creates a config with the remote in the CLIs format, readable back', () => {
    const file = h.path('.config/lxtop/config.yml');
    const text = withRemote(file, 'prod', { addr: 'https://p:8443', protocol: 'incus', project: 'web' });
    writeAllOrNothing([{ path: file, content: text, mode: 0o644 }]);
    expect(readFileSync(file, 'utf8')).toBe(
      'remotes:\n  prod:\n    addr: https://p:8443\n    auth_type: tls\n    project: web\n    protocol: incus\n    public: false\n',
    );
    expect(findRemote(loadConfig({ env: h.env }), 'prod')).toMatchObject({ addr: 'https://p:8443', project: 'web', source: 'lxtop' });
  });

  it('keeps comments and other keys, and removes / sets the default', () => {
    const file = h.write('.config/lxtop/config.yml', '# mine\ndefault-remote: a\nremotes:\n  a:\n    addr: https://a:1 # first\naliases: {}\n');
    const added = withRemote(file, 'b', { addr: 'https://b:1', protocol: 'lxd' });
    expect(added).toContain('# mine');
    expect(added).toContain('addr: https://a:1 # first');
    expect(added).toContain('aliases: {}');
    expect(withoutRemote(file, 'a')).not.toContain('default-remote');
    expect(withDefaultRemote(file, 'z')).toContain('default-remote: z');
  });

  it('refuses to edit a file that does not parse', () => {
    const file = h.write('.config/lxtop/config.yml', 'remotes: [\n');
    expect(() => withRemote(file, 'b', { addr: 'https://b:1', protocol: 'lxd' })).toThrow(
      new RegExp(`^refusing to change a file that does not parse: ${file.replace(/[.]/g, '\\.')}:2:1: `),
    );
  });
});

describe('writeAllOrNothing', () => {
  it('writes every file with its mode, creating directories 0700', () => {
    const key = h.path('conf/client.key');
    const pin = h.path('conf/servercerts/x.crt');
    writeAllOrNothing([
      { path: key, content: 'k', mode: 0o600 },
      { path: pin, content: 'p', mode: 0o644 },
    ]);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(statSync(pin).mode & 0o777).toBe(0o644);
    expect(statSync(h.path('conf')).mode & 0o777).toBe(0o700);
    expect(readdirSync(h.path('conf')).sort()).toEqual(['client.key', 'servercerts']);
  });

  it('writes nothing and restores what it replaced when one file fails', () => {
    const cfg = h.write('conf/config.yml', 'old');
    // A plain file where a directory should be makes the last write fail.
    h.write('conf/servercerts', 'not a directory');
    expect(() =>
      writeAllOrNothing([
        { path: cfg, content: 'new', mode: 0o644 },
        { path: h.path('conf/new/client.key'), content: 'k', mode: 0o600 },
        { path: h.path('conf/servercerts/x.crt'), content: 'p', mode: 0o644 },
      ]),
    ).toThrow();
    expect(readFileSync(cfg, 'utf8')).toBe('old');
    expect(existsSync(h.path('conf/new'))).toBe(false);
    expect(readdirSync(h.path('conf')).sort()).toEqual(['config.yml', 'servercerts']);
  });

  it('refuses to replace a directory', () => {
    h.write('conf/x.crt/inside', '');
    expect(() => writeAllOrNothing([{ path: h.path('conf/x.crt'), content: 'p', mode: 0o644 }])).toThrow(/is a directory/);
    expect(readdirSync(h.path('conf/x.crt'))).toEqual(['inside']);
  });
});
