// KeyInput: every event of Ink's input stream, raw, to the latest onKey; keys Ink cannot name
// (Ctrl-F1) are not a crash; unmounting unsubscribes.
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { KeyInput } from '../../../src/app/key-input.js';
import { KEY, press } from '../views/helpers.js';

afterEach(() => cleanup());

describe('KeyInput', () => {
  it('hands each key over raw: one escape sequence, one character or one paste per event', async () => {
    const got: string[] = [];
    const r = render(
      <>
        <KeyInput onKey={(raw) => got.push(raw)} />
        <Text>x</Text>
      </>,
    );
    await press(r.stdin, 'q', KEY.up, KEY.escape, KEY.enter, 'ps aux');
    expect(got).toEqual(['q', KEY.up, KEY.escape, KEY.enter, 'ps aux']);
  });

  it('follows a new onKey without subscribing twice, and survives a key Ink cannot name', async () => {
    const first: string[] = [];
    const second: string[] = [];
    const r = render(<KeyInput onKey={(raw) => first.push(raw)} />);
    await press(r.stdin, 'a');
    r.rerender(<KeyInput onKey={(raw) => second.push(raw)} />);
    await press(r.stdin, '\x1b[1;5P', 'b');
    expect(first).toEqual(['a']);
    expect(second.at(-1)).toBe('b');
    r.unmount();
    await press(r.stdin, 'c');
    expect(second.at(-1)).toBe('b');
  });
});
