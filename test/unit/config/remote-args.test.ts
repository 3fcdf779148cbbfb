import { describe, expect, it } from 'vitest';
import { normaliseUrl, parseRemoteArgs } from '../../../src/remote/args.js';
import { tokenFingerprint, trustRequest } from '../../../src/remote/add.js';

describe('remote arguments', () => {
  it('parses add with every option, in both forms', () => {
    expect(parseRemoteArgs(['add', 'prod', 'https://10.0.0.5:8443', '--token', 'T', '--accept-certificate', '--project=web'])).toEqual({
      cmd: 'add',
      name: 'prod',
      url: 'https://10.0.0.5:8443',
      token: 'T',
      acceptCertificate: true,
      project: 'web',
    });
    expect(parseRemoteArgs(['add', '--password=p w', 'x', 'h'])).toMatchObject({ name: 'x', url: 'https://h:8443', password: 'p w' });
    expect(parseRemoteArgs(['list'])).toEqual({ cmd: 'list' });
    expect(parseRemoteArgs([])).toEqual({ cmd: 'help' });
    expect(parseRemoteArgs(['rm', 'x'])).toEqual({ cmd: 'remove', name: 'x' });
  });

  it('refuses bad command lines', () => {
    expect(() => parseRemoteArgs(['add', 'x'])).toThrow('remote add needs NAME and https://HOST:PORT');
    expect(() => parseRemoteArgs(['add', 'x', 'h', '--token', 'a', '--password', 'b'])).toThrow('give --token or --password, not both');
    expect(() => parseRemoteArgs(['add', 'a:b', 'h'])).toThrow(/invalid remote name "a:b"/);
    expect(() => parseRemoteArgs(['add', 'x', 'h', '--token'])).toThrow('--token needs a value');
    expect(() => parseRemoteArgs(['add', 'x', 'h', '--bogus'])).toThrow('unknown option for remote add: --bogus');
    expect(() => parseRemoteArgs(['frob'])).toThrow('unknown remote command: frob');
  });

  it('normalises addresses to https://HOST:PORT', () => {
    expect(normaliseUrl('https://h:1/')).toBe('https://h:1');
    expect(normaliseUrl('h')).toBe('https://h:8443');
    expect(normaliseUrl('[::1]:9')).toBe('https://[::1]:9');
    expect(() => normaliseUrl('http://h:1')).toThrow('only https:// remotes can be added');
    expect(() => normaliseUrl('https://h:1/x')).toThrow('expected https://HOST:PORT with no path');
  });
});

describe('trust request', () => {
  it('sends a token as trust_token with explicit_trust_token, else in both fields; a password as password', () => {
    expect(trustRequest(['explicit_trust_token'], { token: 'T' }, 'n')).toEqual({ type: 'client', trust_token: 'T' });
    expect(trustRequest(['certificate_token'], { token: 'T' }, 'n')).toEqual({ type: 'client', password: 'T', trust_token: 'T' });
    expect(trustRequest([], { password: 'P' }, 'n')).toEqual({ type: 'client', password: 'P', name: 'n' });
    expect(trustRequest(['explicit_trust_token'], { password: 'P' }, 'n')).toEqual({ type: 'client', password: 'P', name: 'n' });
  });

  it('reads the server fingerprint out of an lxc / incus token', () => {
    const token = Buffer.from(JSON.stringify({ client_name: 'a', fingerprint: 'ABCD', addresses: [], secret: 's' })).toString('base64');
    expect(tokenFingerprint(token)).toBe('abcd');
    expect(tokenFingerprint('not a token')).toBeNull();
  });
});
