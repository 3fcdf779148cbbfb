// The launch request's body (local image, remote image with and without a secret, VM, profiles,
// config) and `lxtop launch`'s words.
import { describe, expect, it } from 'vitest';
import { parseLaunchArgs } from '../../../src/app/launch-cli.js';
import { parseNewLine, readNewLine } from '../../../src/app/new-line.js';
import { UsageError } from '../../../src/console/args.js';
import { launchBody, userDataKey } from '../../../src/lxd/launch.js';

const modern = { apiExtensions: ['instances', 'projects', 'cloud_init'] };
const old = { apiExtensions: ['projects'] };

describe('launchBody', () => {
  it('a local alias, or a fingerprint, as the source; a container by default', () => {
    expect(launchBody({ name: 'c1', image: 'busybox' }, modern)).toEqual({ name: 'c1', type: 'container', source: { type: 'image', alias: 'busybox' } });
    expect(launchBody({ name: 'c1', image: 'c093ebfa74d7' }, modern).source).toEqual({ type: 'image', fingerprint: 'c093ebfa74d7' });
  });

  it('a remote private image: pull mode, server, protocol, certificate, fingerprint and secret', () => {
    const remote = { server: 'https://10.0.0.1:8443', protocol: 'lxd' as const, certificate: 'PEM', fingerprint: 'ab'.repeat(32), secret: 's3' };
    const body = launchBody({ name: 'v1', image: 'ignored', remote, vm: true, profiles: ['default', 'p2'], config: { 'limits.cpu': '1' } }, modern);
    expect(body).toEqual({
      name: 'v1',
      type: 'virtual-machine',
      profiles: ['default', 'p2'],
      config: { 'limits.cpu': '1' },
      source: { type: 'image', mode: 'pull', server: 'https://10.0.0.1:8443', protocol: 'lxd', certificate: 'PEM', fingerprint: 'ab'.repeat(32), secret: 's3' },
    });
    const { secret: _, ...publicImage } = remote;
    expect(launchBody({ name: 'c', image: 'x', remote: publicImage }, modern).source).not.toHaveProperty('secret');
  });

  it('a server without the instances API: no type, and a VM is refused before anything is sent', () => {
    expect(launchBody({ name: 'c1', image: 'busybox' }, old)).not.toHaveProperty('type');
    expect(() => launchBody({ name: 'c1', image: 'busybox', vm: true }, old)).toThrow(/virtual machines/);
  });

  it('the user-data key follows the server', () => {
    expect(userDataKey(modern)).toBe('cloud-init.user-data');
    expect(userDataKey(old)).toBe('user.user-data');
  });
});

describe('parseLaunchArgs', () => {
  it('reads image, name, --vm, -c, -p, --user-data, --target, --no-start', () => {
    const a = parseLaunchArgs(['src:busybox', 'cl:c1', '--vm', '-c', 'a=b=c', '--config=x=', '-p', 'default', '--profile=p2', '--user-data', '/f', '--target=m1', '--no-start']);
    expect(a).toEqual({ image: 'src:busybox', name: 'cl:c1', vm: true, config: { a: 'b=c', x: '' }, profiles: ['default', 'p2'], userData: '/f', target: 'm1', start: false, help: false });
  });

  it('refuses bad words clearly', () => {
    expect(() => parseLaunchArgs(['busybox'])).toThrow(UsageError);
    expect(() => parseLaunchArgs(['busybox', 'c1', 'extra'])).toThrow(/unexpected argument "extra"/);
    expect(() => parseLaunchArgs(['busybox', 'c1', '-c', 'novalue'])).toThrow(/expected KEY=VALUE/);
    expect(() => parseLaunchArgs(['busybox', 'c1', '--bogus'])).toThrow(/unknown option --bogus/);
    expect(() => parseLaunchArgs(['busybox', 'c1', '-p'])).toThrow(/needs a value/);
  });
});

describe('the new-instance prompt line', () => {
  it('a name alone, or with the launch options', () => {
    expect(parseNewLine('web')).toEqual({ name: 'web', options: {} });
    expect(parseNewLine(' web  --vm -c limits.cpu=2 -p default --no-start --user-data /tmp/u ')).toEqual({
      name: 'web',
      options: { vm: true, start: false, profiles: ['default'], config: { 'limits.cpu': '2' } },
      userDataFile: '/tmp/u',
    });
  });

  it('bad lines are clear messages; an unreadable user-data file is one too', () => {
    expect(parseNewLine('')).toEqual({ error: 'A name is required' });
    expect(parseNewLine('web -c nokey')).toEqual({ error: 'bad config "nokey": expected KEY=VALUE' });
    expect(parseNewLine('web --target m1')).toHaveProperty('error');
    expect(readNewLine('web --user-data /nonexistent/lxtop-ud')).toEqual({ error: expect.stringMatching(/^user-data: ENOENT/) });
  });
});
