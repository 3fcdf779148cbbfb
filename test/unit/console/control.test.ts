import { describe, expect, it } from 'vitest';
import { dimension, resizeMessage, signalMessage } from '../../../src/console/control.js';

describe('control messages', () => {
  it('sends width and height as strings (numbers are ignored by the server)', () => {
    expect(JSON.parse(resizeMessage(120, 40))).toEqual({
      command: 'window-resize',
      args: { width: '120', height: '40' },
    });
  });

  it('falls back to 80x24 for unknown or silly sizes', () => {
    expect(JSON.parse(resizeMessage(undefined, 0)).args).toEqual({ width: '80', height: '24' });
    expect(dimension(Number.NaN, 80)).toBe(80);
    expect(dimension(99.7, 80)).toBe(99);
  });

  it('sends signals as numbers', () => {
    expect(JSON.parse(signalMessage(1))).toEqual({ command: 'signal', signal: 1 });
  });
});
