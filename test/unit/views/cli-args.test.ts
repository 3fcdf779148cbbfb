import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCli, parseDuration } from '../../../src/app/args.js';
import { detachHint } from '../../../src/app/run-tui.js';

describe('lxtop command line', () => {
  it('--daemon-budget: % of one core, 0 for events only; nonsense refused', () => {
    expect(parseCli(['--daemon-budget', '25']).daemonBudget).toBe(0.25);
    expect(parseCli(['--daemon-budget', '2.5%']).daemonBudget).toBe(0.025);
    expect(parseCli(['--daemon-budget=0']).daemonBudget).toBe(0);
    expect(parseCli(['--daemon-budget', '5', 'exec', 'c1']).exec).toEqual(['c1']);
    expect(() => parseCli(['--daemon-budget', 'lots'])).toThrow(/percentage of one core/);
    expect(() => parseCli(['--daemon-budget', '-1'])).toThrow();
    expect(() => parseCli(['--daemon-budget', '5000'])).toThrow(/at most 1000/);
  });

  it('has defaults', () => {
    expect(parseCli([])).toEqual({
      socket: undefined,
      project: undefined,
      intervalMs: 2000,
      daemonBudget: 0.1,
      readOnly: false,
      detach: undefined,
      once: false,
      help: false,
      version: false,
      exec: null,
      logs: null,
      edit: null,
      file: null,
      events: null,
      console: null,
      transfer: null,
      launch: null,
    });
  });

  it('takes launch as a subcommand with its own words', () => {
    expect(parseCli(['launch', 'src:busybox', 'cl:c1', '--vm', '-c', 'a=b'])).toMatchObject({ launch: ['src:busybox', 'cl:c1', '--vm', '-c', 'a=b'], transfer: null });
  });

  it('takes logs and events as subcommands, with --socket after them', () => {
    const logs = parseCli(['logs', 'c1', '-f', '--socket', '/s']);
    expect(logs).toMatchObject({ logs: ['c1', '-f'], exec: null, events: null, socket: '/s' });
    expect(parseCli(['--detach', '^]', 'logs', 'c1']).logs).toEqual(['c1']);
    expect(parseCli(['events', '--format', 'json'])).toMatchObject({ events: ['--format', 'json'], logs: null });
  });

  it('reads every option', () => {
    const o = parseCli(['--socket', '/s', '--project=p', '--interval', '500ms', '--read-only', '--once']);
    expect(o).toMatchObject({ socket: '/s', project: 'p', intervalMs: 500, readOnly: true, once: true, exec: null });
    expect(parseCli(['-h']).help).toBe(true);
    expect(parseCli(['-V']).version).toBe(true);
  });

  it('hands the words after exec to the console, keeping --socket for itself', () => {
    expect(parseCli(['--socket', '/s', 'exec', 'web', '--', 'ls', '-l']).exec).toEqual(['web', '--', 'ls', '-l']);
    const o = parseCli(['exec', '--socket', '/x', '-T', 'web', '--', 'echo', '--socket']);
    expect(o.socket).toBe('/x');
    expect(o.exec).toEqual(['-T', 'web', '--', 'echo', '--socket']);
    // A socket path called exec is a value, not the subcommand.
    expect(parseCli(['--socket', 'exec']).exec).toBeNull();
  });

  it('takes --detach for the TUI console and passes it on to exec unless exec has its own', () => {
    expect(parseCli(['--detach', '^]']).detach).toBe('^]');
    expect(parseCli(['--detach=none']).detach).toBe('none');
    expect(parseCli(['--detach', '^]', 'exec', 'web', '--', 'sh']).exec).toEqual(['web', '--detach', '^]', '--', 'sh']);
    expect(parseCli(['--detach', '^]', 'exec', 'web', '--detach', '~~']).exec).toEqual(['web', '--detach', '~~']);
    // A value called exec is the sequence, not the subcommand.
    expect(parseCli(['--detach', 'exec']).exec).toBeNull();
  });

  it('says how to detach in the console banner', () => {
    expect(detachHint(undefined)).toBe(' (type Enter ~. to detach)');
    expect(detachHint('~,')).toBe(' (type Enter ~, to detach)');
    expect(detachHint('^]')).toBe(' (type ^] to detach)');
    expect(detachHint('\x1d')).toBe(' (type ^] to detach)');
    expect(detachHint('^?')).toBe(' (type Enter ^? to detach)');
    expect(detachHint('none')).toBe('');
    expect(detachHint('')).toBe('');
  });

  it('refuses unknown options and stray words', () => {
    expect(() => parseCli(['--bogus'])).toThrow(CliUsageError);
    expect(() => parseCli(['web'])).toThrow(/unexpected argument "web"/);
    expect(() => parseCli(['--interval', 'soon'])).toThrow(/duration/);
  });

  it('parses durations', () => {
    expect(parseDuration('2s')).toBe(2000);
    expect(parseDuration('1.5')).toBe(1500);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1m')).toBe(60_000);
    expect(() => parseDuration('10ms')).toThrow(/at least/);
  });
});
