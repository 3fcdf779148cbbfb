// Prints the suite's total as the plain last line CI reads: `N passed, N failed[, N skipped]`.
// A file that fails to load counts as one failure, so a broken import never reads as green; a file
// whose set-up (beforeAll) failed counts its tests as failed, not skipped (vitest skips them).
// Before it, one line counts the passed tests per real daemon (the tags `describeOn` puts on them),
// one `PASSED ON RETRY` line names each test that passed only on its retry (vitest.config.ts),
// and one `FAILED` line names each failed test with its first error line: CI shows only the tail of
// the output, so the name must be there, not only in vitest's report further up.
import type { Reporter, TestCase, TestModule } from 'vitest/node';

/** A test vitest skipped because a suite around it (or the file) has an error of its own: a hook's. */
function setUpFailed(test: TestCase): boolean {
  for (let p = test.parent; ; p = p.parent) {
    if (p.errors().length > 0) return true;
    if (p.type === 'module') return false;
  }
}

function firstLine(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message ?? String(error ?? 'set-up failed');
  return String(message).split('\n')[0].slice(0, 300);
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = errors.length;
    let skipped = 0;
    const perDaemon = new Map<string, number>();
    const flaky: string[] = [];
    const failures: string[] = errors.map((e) => `FAILED (run error): ${firstLine(e)}`);
    for (const mod of modules) {
      const tests = [...mod.children.allTests()];
      if (mod.state() === 'failed' && tests.length === 0) {
        failed += 1;
        failures.push(`FAILED ${mod.relativeModuleId}: ${firstLine(mod.errors()[0])}`);
      }
      for (const test of tests) {
        const state = test.result().state;
        if (state === 'passed') {
          passed += 1;
          if (test.diagnostic()?.flaky) flaky.push(`PASSED ON RETRY ${mod.relativeModuleId} > ${test.fullName}: ${firstLine(test.result().errors?.[0])}`);
          for (const d of (test.meta() as { daemons?: readonly string[] }).daemons ?? []) perDaemon.set(d, (perDaemon.get(d) ?? 0) + 1);
        }
        else if (state === 'failed' || setUpFailed(test)) {
          failed += 1;
          failures.push(`FAILED ${mod.relativeModuleId} > ${test.fullName}: ${firstLine(test.result().errors?.[0])}`);
        }
        else skipped += 1;
      }
    }
    if (perDaemon.size > 0) {
      const counts = [...perDaemon].map(([d, n]) => `${d} ${n}`).join(', ');
      process.stdout.write(`\npassed on real daemons (a test on two counts for both): ${counts}\n`);
    }
    if (flaky.length > 0) process.stdout.write(`\n${flaky.join('\n')}\n`);
    if (failures.length > 0) process.stdout.write(`\n${failures.join('\n')}\n`);
    const tail = skipped > 0 ? `, ${skipped} skipped` : '';
    process.stdout.write(`\n${passed} passed, ${failed} failed${tail}\n`);
  }
}
