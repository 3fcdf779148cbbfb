import { defineConfig } from 'vitest/config';

// Unit tests run in parallel; tests against the real daemons and the built CLI share the sandbox,
// so they get longer timeouts. Every file must use instance names of its own.
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One worker: the real-daemon and pty tests time what a person would see, and on a 2-core
    // machine two of them at once (plus the daemons) made those waits flaky.
    maxWorkers: 1,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
