// The linter as part of the suite (so `scripts/test` and CI count it): ESLint over the whole repository
// with eslint.config.js, zero errors and zero warnings, as `npm run lint` demands.
import { ESLint } from 'eslint';
import { expect, it } from 'vitest';

it('ESLint finds nothing (npm run lint)', async () => {
  const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });
  const results = await eslint.lintFiles(['.']);
  const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line}:${m.column} ${m.ruleId ?? ''} ${m.message}`));
  expect(results.length).toBeGreaterThan(100); // it really linted the tree
  expect(problems).toEqual([]);
}, 180_000);
