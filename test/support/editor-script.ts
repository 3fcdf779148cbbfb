// A scripted $EDITOR for the edit tests: round N (the Nth time it is started) copies the text it was
// given to DIR/round-N.yaml, then does what the plan says for that round — add `key: "value"` lines
// under `config:` (once), drop lines, replace the whole text, run a command (a concurrent change
// made while "the user edits"), exit with a code.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EditorRound {
  set?: Record<string, string>;
  /** Raw lines put under `config:` (to break the YAML). */
  insert?: string[];
  drop?: string[];
  raw?: string;
  description?: string;
  run?: string[];
  exit?: number;
}

const SCRIPT = `
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const dir = process.env.EDIT_DIR;
const file = process.argv[2];
let round = 1;
while (existsSync(join(dir, 'round-' + round + '.yaml'))) round++;
let text = readFileSync(file, 'utf8');
writeFileSync(join(dir, 'round-' + round + '.yaml'), text);
const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'))[round - 1] ?? {};
if (plan.run) execFileSync(plan.run[0], plan.run.slice(1), { stdio: 'ignore' });
if (plan.raw !== undefined) text = plan.raw;
for (const key of plan.drop ?? []) text = text.split('\\n').filter((l) => !l.trimStart().startsWith(key + ':')).join('\\n');
for (const [key, value] of Object.entries(plan.set ?? {})) {
  const lines = text.split('\\n');
  if (lines.some((l) => l === '  ' + key + ': "' + value + '"')) continue;
  const at = lines.findIndex((l) => l === 'config:');
  if (at === -1) throw new Error('no config: line');
  lines.splice(at + 1, 0, '  ' + key + ': "' + value + '"');
  text = lines.join('\\n');
}
if (plan.insert) text = text.replace(/^config:$/m, 'config:\\n' + plan.insert.join('\\n'));
if (plan.description !== undefined) text = text.replace(/^description:.*$/m, 'description: ' + plan.description);
writeFileSync(file, text);
process.exit(plan.exit ?? 0);
`;

export interface ScriptedEditor {
  /** EDITOR and EDIT_DIR for the CLI's environment. */
  env: Record<string, string>;
  /** The text the editor was given in round N (1-based), or null. */
  given(round: number): string | null;
  remove(): void;
}

export function scriptedEditor(plan: EditorRound[]): ScriptedEditor {
  const dir = mkdtempSync(join(tmpdir(), 'lxtop-editor-test-'));
  writeFileSync(join(dir, 'editor.mjs'), SCRIPT);
  writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
  return {
    env: { EDITOR: `${process.execPath} ${join(dir, 'editor.mjs')}`, VISUAL: '', EDIT_DIR: dir },
    given(round) {
      try {
        return readFileSync(join(dir, `round-${round}.yaml`), 'utf8');
      } catch {
        return null;
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
