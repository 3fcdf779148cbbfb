// The App's slow clock (ages in the instances table) draws only when an age on screen changes: a
// frame costs Ink the whole screen, and at 50 rows the 15 s tick alone was ~0.3 % of a core idle.
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../../src/app/App.js';
import { makeInstance, NOW, recordingController, settle, storeWith } from '../views/helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

function renderLive(createdAgoMs: number) {
  // Only the clock the App reads is faked; Ink and React keep their real timers.
  vi.useFakeTimers({ now: NOW, toFake: ['setInterval', 'clearInterval', 'Date'] });
  const store = storeWith({ instances: [makeInstance('web1', { status: 'Stopped', created_at: new Date(NOW - createdAgoMs).toISOString() })] });
  const r = render(
    <App store={store} controller={recordingController(store)} remote="unix:/test.socket" cols={100} rows={24} theme={{ color: false }} coalesceMs={0} onQuit={() => {}} onConsole={() => {}} />,
  );
  return { ...r, store, frame: () => r.lastFrame() ?? '' };
}

describe('age tick', () => {
  it('a tick that changes no age on screen draws nothing', async () => {
    const app = renderLive(3 * 3600_000);
    await settle();
    expect(app.frame()).toMatch(/web1\s+Stopped.*\b3h\b/);
    const before = app.frames.length;
    for (let i = 0; i < 4; i++) {
      await vi.advanceTimersByTimeAsync(15_000);
      await settle(10);
    }
    expect(app.frames.length).toBe(before);
    app.unmount();
  });

  it('a tick that changes an age draws it', async () => {
    const app = renderLive(3600_000 - 20_000); // 59m 40s
    await settle();
    expect(app.frame()).toMatch(/web1\s+Stopped.*\b59m\b/);
    const before = app.frames.length;
    await vi.advanceTimersByTimeAsync(15_000); // 59m 55s: the same text
    await settle(10);
    expect(app.frames.length).toBe(before);
    await vi.advanceTimersByTimeAsync(15_000); // 1h 0m 10s
    await settle(10);
    expect(app.frames.length).toBeGreaterThan(before);
    expect(app.frame()).toMatch(/web1\s+Stopped.*\b1h\b/);
    app.unmount();
  });
});
