import { describe, expect, it } from 'vitest';
import { parseExecArgs, splitRemote, UsageError } from '../../../src/console/args.js';

describe('parseExecArgs', () => {
  it('takes a name alone: default shell, auto mode', () => {
    expect(parseExecArgs(['c1'])).toMatchObject({ instance: 'c1', command: [], mode: 'auto', env: {} });
  });

  it('splits remote:NAME', () => {
    expect(parseExecArgs(['prod:web-1'])).toMatchObject({ remote: 'prod', instance: 'web-1' });
    expect(splitRemote('web')).toEqual({ name: 'web' });
  });

  it('passes everything after -- verbatim', () => {
    expect(parseExecArgs(['c1', '--', 'sh', '-c', 'exit 5', '--user']).command).toEqual(['sh', '-c', 'exit 5', '--user']);
  });

  it('starts the command at the first word after the name', () => {
    expect(parseExecArgs(['c1', 'ls', '-la']).command).toEqual(['ls', '-la']);
  });

  it('reads options before and after the name', () => {
    const a = parseExecArgs(['-T', '--user', '1000', 'c1', '--group=100', '--cwd', '/tmp', '--env', 'A=1', '--env=B=x=y', '--', 'id']);
    expect(a).toMatchObject({ mode: 'non-interactive', user: 1000, group: 100, cwd: '/tmp', env: { A: '1', B: 'x=y' }, command: ['id'] });
  });

  it('knows -t, -n, grouped short flags, --mode, --detach, --project', () => {
    expect(parseExecArgs(['-tn', 'c1'])).toMatchObject({ mode: 'interactive', noStdin: true });
    expect(parseExecArgs(['--mode', 'non-interactive', 'c1']).mode).toBe('non-interactive');
    expect(parseExecArgs(['--detach', '^]', '--project', 'p', 'c1'])).toMatchObject({ detach: '^]', project: 'p' });
  });

  it('answers -h without a name', () => {
    expect(parseExecArgs(['-h']).help).toBe(true);
  });

  it('refuses what makes no sense, with a message', () => {
    const bad: string[][] = [
      [],
      ['--user', 'root', 'c1'],
      ['--env', 'NOEQUALS', 'c1'],
      ['--env', '=v', 'c1'],
      ['--bogus', 'c1'],
      ['-x', 'c1'],
      ['c1', '--cwd'],
      ['c1/snap0'],
      ['1abc'],
      [':c1'],
      ['--mode', 'sometimes', 'c1'],
      ['--force-interactive=yes', 'c1'],
    ];
    for (const args of bad) expect(() => parseExecArgs(args), args.join(' ')).toThrow(UsageError);
  });
});
