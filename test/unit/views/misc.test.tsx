// NO_COLOR, the first paint, typed runs of keys, and empty panes.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { themeFromEnv } from '../../../src/views/theme.js';
import { firstPaint } from '../../../src/app/first-paint.js';
import { splitKeys } from '../../../src/keys/keys.js';
import { KEY, SERVER, makeInstance, press, renderApp, settle, storeWith } from './helpers.js';

afterEach(() => cleanup());

describe('NO_COLOR', () => {
  it('turns colours off when set to anything non-empty (no-color.org)', () => {
    expect(themeFromEnv({ NO_COLOR: '1' }).color).toBe(false);
    expect(themeFromEnv({ NO_COLOR: 'yes' }).color).toBe(false);
    expect(themeFromEnv({ NO_COLOR: '' }).color).toBe(true);
    expect(themeFromEnv({}).color).toBe(true);
  });

  it('keeps selection and marks readable without colour: a > cursor and * marks', async () => {
    const app = renderApp(storeWith({ instances: [makeInstance('a1'), makeInstance('b2')] }));
    await settle();
    await press(app.stdin, KEY.space);
    expect(app.frame()).toMatch(/^ \*a1/m);
    expect(app.frame()).toMatch(/^> b2/m);
  });
});

describe('first paint', () => {
  it('draws the header and the instance table as plain text within the terminal size', () => {
    const instances = Array.from({ length: 30 }, (_, i) => makeInstance(`node-${i}`, { status: i % 3 ? 'Stopped' : 'Running' }));
    const text = firstPaint(SERVER, instances, 'default', 'unix:/s', 60, 12);
    const lines = text.split('\r\n');
    expect(lines.length).toBe(11);
    expect(lines[0]).toBe('lxtop  LXD 5.0.2  unix:/s  project default');
    expect(lines[1]).toContain('30 instances: 10 Running, 20 Stopped');
    expect(lines[3]).toMatch(/^ {2}NAME\s+STATUS/);
    expect(lines[4]).toMatch(/^ {2}node-0\s+Running/);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
    expect(text).not.toContain('\x1b');
  });
});

describe('typed runs', () => {
  it('splits a run of characters into keys, keeps escape sequences whole', () => {
    expect(splitKeys('jjk')).toEqual(['j', 'j', 'k']);
    expect(splitKeys('web\r')).toEqual(['w', 'e', 'b', '\r']);
    expect(splitKeys('\x1b[A')).toEqual(['\x1b[A']);
    expect(splitKeys('q')).toEqual(['q']);
  });

  it('a fast "jj" moves two rows; "/db\\r" filters and closes the input', async () => {
    const app = renderApp(storeWith({ instances: ['a', 'b', 'c', 'db'].map((n) => makeInstance(n)) }));
    await settle();
    await press(app.stdin, 'jj');
    expect(app.frame()).toMatch(/^> c/m);
    await press(app.stdin, '/db\r');
    expect(app.frame()).toContain('filter /db');
    expect(app.frame()).not.toContain('Enter keep');
  });
});

describe('empty and missing selections', () => {
  it('says so instead of doing nothing', async () => {
    const app = renderApp(storeWith({ instances: [] }));
    await settle();
    expect(app.frame()).toContain('no instances');
    await press(app.stdin, 'e');
    expect(app.frame()).toContain('exec: no instance selected');
    await press(app.stdin, 'S');
    expect(app.frame()).toContain('snapshot: no instance selected');
    await press(app.stdin, 's');
    expect(app.frame()).toContain('start: no instance selected');
    await press(app.stdin, '2');
    expect(app.frame()).toContain('no images');
    await press(app.stdin, '3');
    expect(app.frame()).toContain('no operations');
  });
});
