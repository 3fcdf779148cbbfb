// The pure parts of the files feature: paths in the instance, `lxtop file` words, the view's rows.
import { describe, expect, it } from 'vitest';
import { joinPath, parentPath } from '../../../src/lxd/files.js';
import { parseFileArgs, parseInstancePath } from '../../../src/app/file-cli.js';
import { fileLine, sortFiles, type FileRow } from '../../../src/views/files.js';

describe('instance paths', () => {
  it('joins, resolves . and .., stays absolute', () => {
    expect(joinPath('/', 'etc')).toBe('/etc');
    expect(joinPath('/root/a', 'b.txt')).toBe('/root/a/b.txt');
    expect(joinPath('/root/a', '..')).toBe('/root');
    expect(joinPath('/', '..')).toBe('/');
    expect(joinPath('/root', '/etc/./x')).toBe('/etc/x');
    expect(parentPath('/root/a')).toBe('/root');
    expect(parentPath('/root')).toBe('/');
    expect(parentPath('/')).toBe('/');
  });
});

describe('lxtop file words', () => {
  it('pull and push, with a remote, a project and push options', () => {
    expect(parseFileArgs(['pull', 'c1/etc/hosts', '/tmp/h'])).toMatchObject({ action: 'pull', instance: 'c1', path: '/etc/hosts', local: '/tmp/h' });
    expect(parseFileArgs(['push', '--mode', '0600', '--uid=1000', 'f.txt', 'far:c1/root/', '--project', 'p'])).toMatchObject({
      action: 'push',
      remote: 'far',
      instance: 'c1',
      path: '/root/',
      local: 'f.txt',
      mode: 0o600,
      uid: 1000,
      project: 'p',
    });
    expect(parseInstancePath('c1/x')).toEqual({ instance: 'c1', path: '/x' });
  });

  it('refuses what it cannot read, saying why', () => {
    expect(() => parseFileArgs(['pull', 'c1', '/tmp/x'])).toThrow(/is not NAME\/PATH/);
    expect(() => parseFileArgs(['copy', 'a', 'b'])).toThrow(/unknown file command "copy"/);
    expect(() => parseFileArgs(['push', 'a'])).toThrow(/lxtop file push LOCAL/);
    expect(() => parseFileArgs(['push', '--mode', '999', 'a', 'c1/x'])).toThrow(/octal mode/);
    expect(() => parseFileArgs(['pull', ':c1/x', 'y'])).toThrow(/empty remote/);
  });
});

describe('the files view rows', () => {
  const info = (type: string, mode: number, size: number | null = null) => ({ type, mode, uid: 0, gid: 0, size, modified: null });
  it('directories first, then by name; a directory ends in /, a symlink in @', () => {
    const rows: FileRow[] = [
      { name: 'b.txt', info: info('file', 0o644, 2048) },
      { name: 'z', info: info('directory', 0o755) },
      { name: 'a', info: null },
      { name: 'sh', info: info('symlink', 0o777) },
    ];
    expect(sortFiles(rows).map((r) => r.name)).toEqual(['z', 'a', 'b.txt', 'sh']);
    expect(fileLine(rows[0], 80)).toMatch(/^b\.txt\s+file\s+0644\s+2(\.0)? ?Ki?B\s+0:0\s*$/);
    expect(fileLine(rows[1], 80)).toMatch(/^z\/\s+directory\s+0755\s+0:0\s*$/);
    expect(fileLine(rows[2], 80)).toMatch(/^a\s+…\s*$/);
    expect(fileLine(rows[3], 80)).toMatch(/^sh@\s+symlink\s+0777/);
  });
});
