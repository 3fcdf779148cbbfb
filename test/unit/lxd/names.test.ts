import { describe, expect, it } from 'vitest';
import { LxdError } from '../../../src/lxd/errors.js';
import { checkInstanceName, instanceNameProblem } from '../../../src/lxd/names.js';

describe('instance names', () => {
  it.each(['a', 'web-1', 'A9', 'x'.repeat(63), 'it-lxd-0af3'])('accepts %s', (name) => {
    expect(instanceNameProblem(name)).toBeNull();
  });

  it.each([
    ['', /1-63/],
    ['x'.repeat(64), /1-63/],
    ['-web', /start with "-"/],
    ['web-', /end with "-"/],
    ['1web', /must not start with a number/],
    ['123', /must not start with a number/],
    ['web_1', /alphanumeric and hyphen/],
    ['web.1', /alphanumeric and hyphen/],
    ['wéb', /alphanumeric and hyphen/],
    ['a/b', /alphanumeric and hyphen/],
  ])('refuses %j', (name, why) => {
    expect(instanceNameProblem(name)).toMatch(why);
  });

  it('Incus accepts a leading digit and refuses only an all-digit name', () => {
    expect(instanceNameProblem('1web', 'incus')).toBeNull();
    expect(instanceNameProblem('123', 'incus')).toBe('Name cannot be a number');
    expect(instanceNameProblem('web_1', 'incus')).toMatch(/alphanumeric and hyphen/);
    expect(instanceNameProblem('-web', 'incus')).toMatch(/start with "-"/);
  });

  it('an invalid name is a typed error that reads like the server', () => {
    let caught: unknown;
    try {
      checkInstanceName('bad_name');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(LxdError);
    expect(caught).toMatchObject({ kind: 'http', status: 400, local: true });
    expect((caught as Error).message).toBe('Invalid instance name: Name can only contain alphanumeric and hyphen characters');
  });
});
