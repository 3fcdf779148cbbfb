// The edit key (c): the selected instance's configuration, or the selected profile, network, pool or
// volume of a resources view, in $EDITOR through the hand-over (the panes go, the editor has the
// terminal, the outcome lands in the status line) and the ETag-safe loop of `lxtop edit`.
import { editorCommand } from '../edit/editor.js';
import { editObject } from '../edit/run.js';
import { describeTarget, editStem, type EditTarget } from '../lxd/editable.js';
import { parseInstanceKey } from '../store/index.js';
import { status, type AppContext } from './context.js';
import { selectedInstance } from './selection.js';

export function editInEditor(ctx: AppContext, target: EditTarget): void {
  const what = describeTarget(target);
  const io = ctx.controller.resources?.editIo(target) ?? null;
  if (io === null) return status(ctx, `${what}: this connection cannot edit it`, 'error');
  if (!ctx.handOver) return status(ctx, `${what}: editing needs the terminal`, 'error');
  const editor = editorCommand();
  if (editor === null) return status(ctx, 'no editor: set VISUAL or EDITOR (none of editor, vi, nano is on the PATH)', 'error');
  ctx.handOver({ title: `editing ${what} in ${editor}`, run: () => editObject(what, editStem(target), io, editor) });
}

/** c in the instances pane. */
export function editSelectedInstance(ctx: AppContext): void {
  const key = selectedInstance(ctx, 'edit');
  if (!key) return;
  if (ctx.store.getState().fleet) return status(ctx, 'edit: open the remote itself (lxtop REMOTE:) to edit its instances', 'error');
  const { project, name } = parseInstanceKey(key);
  editInEditor(ctx, { kind: 'instance', name, project });
}
