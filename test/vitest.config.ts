import { defineConfig } from 'vitest/config';

// Unit tests run in parallel; tests against the real daemons and the built CLI share the sandbox,
// so they get longer timeouts. Every file must use instance names of its own.
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
