// The user's editor on a private file: $VISUAL, then $EDITOR, then the first of `editor` (Debian's
// alternative), `vi`, `nano` on the PATH. The command is run by the shell with the file as "$1", as
// git does, so `EDITOR="code -w"` works; it gets the terminal as it is (stdin, stdout, stderr).
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants as os, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const FALLBACKS = ['editor', 'vi', 'nano'];

function onPath(name: string, path: string): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir || '.', name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The editor command, or null when there is none. */
export function editorCommand(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const v of [env.VISUAL, env.EDITOR]) if (v && v.trim() !== '') return v;
  return FALLBACKS.find((name) => onPath(name, env.PATH ?? '')) ?? null;
}

/** Runs `command` on `file` with the terminal; resolves its exit code (128+n for a signal). */
export function runEditor(command: string, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', `${command} "$1"`, 'sh', file], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? os.signals[signal] : 0)));
  });
}

/** A private directory (0700) with one file named for the object, so the editor picks YAML. */
export function editFile(stem: string): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'lxtop-edit-'));
  const file = join(dir, `${stem.replace(/[^A-Za-z0-9._-]+/g, '_')}.yaml`);
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The editor on `text` in `file`: its exit code and what it left there. */
export async function editText(command: string, file: string, text: string): Promise<{ code: number; text: string }> {
  writeFileSync(file, text, { mode: 0o600 });
  const code = await runEditor(command, file);
  return { code, text: readFileSync(file, 'utf8') };
}

/** Keeps a text beside the temporary files, outside the directory removed at the end. */
export function keepText(stem: string, text: string): string {
  const path = join(tmpdir(), `lxtop-edit-${stem.replace(/[^A-Za-z0-9._-]+/g, '_')}-${Date.now()}.yaml`);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}
