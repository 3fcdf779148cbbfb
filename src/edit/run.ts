// One edit of one object, start to end, for `lxtop edit` and the TUI's edit key: the private file,
// the loop (loop.ts) with the daemon's refusals told apart (412: changed meanwhile; any other answer
// of the server: reopen with its words), and the outcome in one line.
import { isLxdError } from '../lxd/errors.js';
import { editFile, editText, keepText } from './editor.js';
import { editLoop } from './loop.js';

export interface EditObjectIo {
  read(): Promise<{ body: Record<string, unknown>; etag: string | null }>;
  write(body: Record<string, unknown>, etag: string | null): Promise<void>;
}

export interface EditOutcome {
  ok: boolean;
  /** `instance c1: saved`, `…: no changes`, or why nothing was saved (and where the edit is kept). */
  message: string;
}

/** `what`: how messages name it (`instance c1`); `stem`: the file's name. */
export async function editObject(what: string, stem: string, io: EditObjectIo, editor: string): Promise<EditOutcome> {
  const tmp = editFile(stem);
  try {
    const result = await editLoop(what, {
      read: () => io.read(),
      write: (body, etag) => io.write(body, etag),
      edit: (text) => editText(editor, tmp.file, text),
      keep: (text) => keepText(stem, text),
      isConflict: (err) => isLxdError(err) && err.is(412),
      isRefusal: (err) => isLxdError(err) && err.kind === 'http',
    });
    if (result.kind === 'saved') return { ok: true, message: `${what}: saved` };
    if (result.kind === 'unchanged') return { ok: true, message: `${what}: no changes` };
    return { ok: false, message: `${what}: ${result.why}${result.kept ? `; your edit is kept in ${result.kept}` : ''}` };
  } catch (err) {
    const kept = (err as { kept?: string }).kept;
    return { ok: false, message: `${what}: ${err instanceof Error ? err.message : String(err)}${kept ? `; your edit is kept in ${kept}` : ''}` };
  } finally {
    tmp.remove();
  }
}
