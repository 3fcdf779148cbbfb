import { describe, expect, it } from 'vitest';
import { parseExecLine } from '../../../src/app/exec-line.js';

describe('the : line (a command, exec options first)', () => {
  it('is a plain command, quotes and all', () => {
    expect(parseExecLine(`sh -c 'echo "a b"'`)).toEqual({ command: ['sh', '-c', 'echo "a b"'], options: {} });
  });

  it('takes --user, --group, --cwd and --env before the command', () => {
    expect(parseExecLine('--user 1000 --group=100 --cwd /tmp --env A=1 --env B=x=y -- id -u')).toEqual({
      command: ['id', '-u'],
      options: { user: 1000, group: 100, cwd: '/tmp', env: { A: '1', B: 'x=y' } },
    });
    expect(parseExecLine('--cwd /srv ls -l')).toEqual({ command: ['ls', '-l'], options: { cwd: '/srv', user: undefined, group: undefined } });
  });

  it('takes a leading exec word, as in :exec ps aux; exec alone is the shell', () => {
    expect(parseExecLine('exec ps aux')).toEqual({ command: ['ps', 'aux'], options: {} });
    expect(parseExecLine('exec --cwd /tmp -- pwd')).toMatchObject({ command: ['pwd'], options: { cwd: '/tmp' } });
    expect(parseExecLine('exec')).toEqual({ command: [], options: {} });
  });

  it('says what is wrong', () => {
    expect(parseExecLine('   ')).toEqual({ error: 'Type a command, e.g. ps aux' });
    expect(parseExecLine('--user bob -- id')).toEqual({ error: '--user wants a number, got "bob"' });
    expect(parseExecLine('--user 0')).toEqual({ error: 'A command goes after the options (-- command)' });
    expect(parseExecLine('-T -- ls')).toEqual({ error: 'Only --user, --group, --cwd and --env work here' });
    expect(parseExecLine('--bogus ls')).toEqual({ error: 'unknown option --bogus' });
  });
});
