// A text file of an instance edited in $EDITOR (the files view's e, with the terminal handed
// over): read whole (up to EDIT_LIMIT), written to a private file of the same name (so the editor
// knows its syntax), and written back with its mode, uid and gid when the editor exits 0 with a
// changed text. Nothing is written after a non-zero exit or no change; when the write is refused,
// the edit is kept in a file whose path the message gives.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { editorCommand, runEditor } from '../edit/editor.js';
import type { InstanceFiles } from '../lxd/files.js';

/** Larger files are not edited here (pull, edit, push). */
export const EDIT_LIMIT = 4 * 1024 * 1024;

export async function editInstanceFile(files: InstanceFiles, path: string, label: string): Promise<{ ok: boolean; message: string }> {
  const editor = editorCommand();
  if (editor === null) return { ok: false, message: 'edit: no editor: set VISUAL or EDITOR (none of editor, vi, nano is on the PATH)' };
  const { data, info } = await files.read(path, EDIT_LIMIT);
  if (data.includes(0)) return { ok: false, message: `edit: ${label} is not a text file (it has NUL bytes); p pulls it` };
  const dir = mkdtempSync(join(tmpdir(), 'lxtop-file-'));
  const file = join(dir, basename(path) || 'file');
  try {
    writeFileSync(file, data, { mode: 0o600 });
    const code = await runEditor(editor, file);
    if (code !== 0) return { ok: false, message: `edit: the editor exited with ${code}: ${label} left as it was` };
    const after = readFileSync(file);
    if (after.equals(data)) return { ok: true, message: `${label}: no changes` };
    try {
      await files.push(path, Readable.from([after]), { mode: info.mode ?? undefined, uid: info.uid ?? undefined, gid: info.gid ?? undefined });
    } catch (err) {
      const kept = join(tmpdir(), `lxtop-file-${basename(path)}-${Date.now()}`);
      writeFileSync(kept, after, { mode: 0o600 });
      return { ok: false, message: `edit: ${err instanceof Error ? err.message : String(err)}; your edit is kept in ${kept}` };
    }
    return { ok: true, message: `${label}: written (${after.length} bytes)` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
