// The README's usage block is the program's own --help text, word for word.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { USAGE } from '../../src/app/args.js';

it('README usage block matches lxtop --help', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /<!-- usage:start -->\n```\n([\s\S]*?)\n```\n<!-- usage:end -->/.exec(readme);
  expect(block?.[1]).toBe(USAGE);
});
