import { describe, expect, it } from 'vitest';
import { instancesPath, parseServerInfo } from '../../../src/lxd/capabilities.js';
import { serverInfo } from '../../support/fake-server.js';

describe('server detection', () => {
  it('reads kind, version, extensions, clustering from GET /1.0', () => {
    const info = parseServerInfo(serverInfo({ server: 'incus', clustered: true }), 'default');
    expect(info).toMatchObject({ kind: 'incus', version: '6.0.4', clustered: true, auth: 'trusted', serverName: 'fake', project: 'default' });
    expect(info.apiExtensions).toContain('instances');
    expect(info.certificateFingerprint).toBe('ab'.repeat(32));
  });

  it('an untrusted answer (no environment) still parses', () => {
    const info = parseServerInfo({ auth: 'untrusted', api_extensions: ['instances'] }, 'p');
    expect(info).toMatchObject({ kind: 'lxd', version: '', auth: 'untrusted', clustered: false, certificateFingerprint: null, project: 'p' });
  });

  it('garbage metadata gives an empty, safe info', () => {
    expect(parseServerInfo(null, 'default').apiExtensions).toEqual([]);
  });

  it('instances path follows the `instances` extension', () => {
    expect(instancesPath({ apiExtensions: ['instances'] })).toBe('/1.0/instances');
    expect(instancesPath({ apiExtensions: ['clustering'] })).toBe('/1.0/containers');
  });
});
