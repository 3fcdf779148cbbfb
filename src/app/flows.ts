// The commands that ask first (confirmations, prompts, pickers) or act on instances, and what
// happens when a dialog is accepted. The controller never rejects; server errors reach the status
// line verbatim through it.
import { deleteWarning } from './warnings-flow.js';
import {
  imageLabel,
  parseInstanceKey,
  selectSelectedKey,
  selectTargetKeys,
  validateInstanceName,
  type InstanceKey,
  type PickerIntent,
  type PromptIntent,
} from '../store/index.js';
import { shownKey } from '../keys/registry.js';
import { defaultSnapshotName, formatDate } from '../views/format.js';
import { closeDialog, openDialog, status, type AppContext } from './context.js';
import { acceptProject, acceptRemote } from './cluster-flows.js';
import { EXEC_LINE_HINT, parseExecLine, type ExecLineOptions } from './exec-line.js';
import { backToSnapshots, openSnapshots } from './snapshots-flow.js';
import { acceptFileDelete, acceptFilePull, acceptFilePush, validateFilePrompt } from './files-flow.js';
import { acceptCopyTarget, acceptMove, acceptTransfer, validateTransfer } from './copy-flow.js';
import { selectedInstance } from './selection.js';
import './intents.js';
import { closeSession, renameSession, validateSessionName } from './session-flows.js';
import { acceptResourceDelete, acceptResourceNew, validateResourceName } from './resources-flow.js';
import { acceptKnob, pickKnob, validateKnob } from './knobs-flow.js';
import { parseNewLine } from './new-line.js';
import { acceptNewName, pickNew } from './new-flow.js';
export { askNew, askNewName } from './new-flow.js';

export function names(keys: readonly string[]): string {
  const list = keys.map((k) => parseInstanceKey(k).name);
  return list.length <= 3 ? list.join(', ') : `${list.length} instances`;
}

/** The instance under the cursor; says so in the status line when there is none. */
export { selectedInstance };

export function instanceTargets(ctx: AppContext, what: string): InstanceKey[] | null {
  const keys = selectTargetKeys(ctx.store.getState(), 'instances');
  if (keys.length === 0) {
    status(ctx, `${what}: no instance selected`, 'error');
    return null;
  }
  return keys;
}

type Bulk = (keys: readonly InstanceKey[]) => Promise<unknown>;

export function bulk(ctx: AppContext, what: string, verb: string, run: Bulk): void {
  const keys = instanceTargets(ctx, what);
  if (!keys) return;
  // The request first (it leaves before the next render), then the status line.
  void run(keys);
  status(ctx, `${verb} ${names(keys)}…`);
}

export function openDetail(ctx: AppContext): void {
  const key = selectedInstance(ctx, 'details');
  if (!key) return;
  openDialog(ctx, { kind: 'detail', key, loading: true, detail: null, error: null, scroll: 0 });
  void ctx.controller.instanceDetail(key).then((detail) => {
    const state = ctx.store.getState();
    const d = state.ui.dialog;
    if (!d || d.kind !== 'detail' || d.key !== key) return;
    openDialog(ctx, {
      ...d,
      loading: false,
      detail,
      error: detail ? null : (state.status?.text ?? 'could not read the instance'),
    });
  });
}

export function askDelete(ctx: AppContext): void {
  const keys = instanceTargets(ctx, 'delete');
  if (!keys) return;
  const state = ctx.store.getState();
  const running = keys.filter((k) => (state.instances[k]?.status ?? 'Stopped') !== 'Stopped');
  const lines = [`Delete ${names(keys)}? This cannot be undone.`];
  if (running.length) {
    lines.push(`${names(running)} ${running.length === 1 ? 'is' : 'are'} running: press ${shownKey('dialog-force')} to force-stop and delete.`);
  }
  openDialog(ctx, {
    kind: 'confirm',
    title: keys.length === 1 ? `Delete instance ${names(keys)}` : `Delete ${keys.length} instances`,
    message: lines.join('\n'),
    dangerous: true,
    needsForce: running.length > 0,
    intent: { command: 'delete', keys },
  });
}

export function askForceStop(ctx: AppContext): void {
  const keys = instanceTargets(ctx, 'force stop');
  if (!keys) return;
  openDialog(ctx, {
    kind: 'confirm',
    title: 'Force stop',
    message: `Kill ${names(keys)} without a clean shutdown?`,
    dangerous: true,
    intent: { command: 'force-stop', keys },
  });
}

export function freezeToggle(ctx: AppContext): void {
  const keys = instanceTargets(ctx, 'freeze');
  if (!keys) return;
  const state = ctx.store.getState();
  const frozen = keys.filter((k) => state.instances[k]?.status === 'Frozen');
  const running = keys.filter((k) => state.instances[k]?.status === 'Running');
  if (frozen.length === 0 && running.length === 0) {
    status(ctx, `freeze: ${names(keys)} ${keys.length === 1 ? 'is' : 'are'} not running`, 'error');
    return;
  }
  if (running.length) {
    status(ctx, `Freezing ${names(running)}…`);
    void ctx.controller.freezeInstances(running);
  }
  if (frozen.length) {
    status(ctx, `Unfreezing ${names(frozen)}…`);
    void ctx.controller.unfreezeInstances(frozen);
  }
}

export function askSnapshot(ctx: AppContext): void {
  const key = selectedInstance(ctx, 'snapshot');
  if (!key) return;
  openDialog(ctx, {
    kind: 'prompt',
    title: `Snapshot ${parseInstanceKey(key).name}`,
    label: 'Snapshot name',
    value: defaultSnapshotName(ctx.now()),
    error: null,
    intent: { command: 'snapshot', key },
  });
}

export function askRename(ctx: AppContext): void {
  const key = selectedInstance(ctx, 'rename');
  if (!key) return;
  const { name } = parseInstanceKey(key);
  openDialog(ctx, {
    kind: 'prompt',
    title: `Rename ${name}`,
    label: 'New name',
    value: name,
    error: null,
    intent: { command: 'rename', key },
  });
}

export async function askRestore(ctx: AppContext): Promise<void> {
  const key = selectedInstance(ctx, 'restore');
  if (!key) return;
  const { name } = parseInstanceKey(key);
  const snapshots = await ctx.controller.listSnapshots(key);
  if (snapshots === null) return; // the error is in the status line
  if (snapshots.length === 0) {
    status(ctx, `${name} has no snapshots`, 'error');
    return;
  }
  const sorted = [...snapshots].sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
  openDialog(ctx, {
    kind: 'picker',
    title: `Restore ${name} to snapshot`,
    items: sorted.map((s) => ({ value: s.name, label: s.name, hint: `${formatDate(s.created_at)}${s.stateful ? ' stateful' : ''}` })),
    selected: 0,
    intent: { command: 'restore', key },
  });
}

export function openConsole(ctx: AppContext, commandLine?: string[]): void {
  const key = selectedInstance(ctx, 'exec');
  if (key) consoleOrWake(ctx, key, commandLine);
}

function consoleOrWake(ctx: AppContext, key: InstanceKey, commandLine: string[] | undefined, options?: ExecLineOptions): void {
  const inst = ctx.store.getState().instances[key];
  if (inst && inst.status !== 'Running') {
    // A shell needs a running instance: offer to start (or unfreeze) it, then open the console.
    const wake = inst.status === 'Stopped' ? 'start' : inst.status === 'Frozen' ? 'unfreeze' : null;
    if (wake === null) {
      status(ctx, `${inst.name} is ${inst.status.toLowerCase()}: no shell until it runs`, 'error');
      return;
    }
    openDialog(ctx, {
      kind: 'confirm',
      title: `${inst.name} is ${inst.status.toLowerCase()}`,
      message: `${wake === 'start' ? 'Start' : 'Unfreeze'} ${inst.name} and open ${commandLine?.length ? `"${commandLine.join(' ')}"` : 'a shell'} in it?`,
      intent: { command: 'exec', key, wake, run: commandLine, options },
    });
    return;
  }
  ctx.console({ key, command: commandLine, options });
}

/** The confirmed "start it, then the console": the console opens once the instance runs. */
async function wakeThenConsole(
  ctx: AppContext,
  key: InstanceKey,
  wake: 'start' | 'unfreeze',
  command: string[] | undefined,
  options: ExecLineOptions | undefined,
): Promise<void> {
  const { name } = parseInstanceKey(key);
  status(ctx, `${wake === 'start' ? 'Starting' : 'Unfreezing'} ${name}, then the shell…`);
  const result = await (wake === 'start' ? ctx.controller.startInstances([key]) : ctx.controller.unfreezeInstances([key]));
  if (!result.ok) return; // the controller put the server's reason in the status line
  // The user may have moved on meanwhile (a dialog open, another project or remote): then no
  // console jumps up.
  const state = ctx.store.getState();
  if (state.instances[key] === undefined) return;
  if (state.ui.dialog !== null) {
    status(ctx, `${name} is running: ${shownKey('exec')} opens the shell`);
    return;
  }
  ctx.console({ key, command, options });
}

export function askExecCommand(ctx: AppContext): void {
  const key = selectedInstance(ctx, 'exec');
  if (!key) return;
  openDialog(ctx, {
    kind: 'prompt',
    title: `Run in ${parseInstanceKey(key).name}`,
    label: 'Command',
    value: '',
    error: null,
    hint: EXEC_LINE_HINT,
    intent: { command: 'exec-command', key },
  });
}

export function askImageDelete(ctx: AppContext): void {
  const state = ctx.store.getState();
  const keys = selectTargetKeys(state, 'images');
  if (keys.length === 0) {
    status(ctx, 'delete image: no image selected', 'error');
    return;
  }
  const label = (fp: string) => imageLabel(state.images[fp], fp);
  openDialog(ctx, {
    kind: 'confirm',
    title: keys.length === 1 ? `Delete image ${label(keys[0])}` : `Delete ${keys.length} images`,
    message: `Delete ${keys.map(label).join(', ')}? Instances made from it keep running.`,
    dangerous: true,
    intent: { command: 'image-delete', images: keys },
  });
}

export function cancelOperation(ctx: AppContext): void {
  const state = ctx.store.getState();
  const id = selectSelectedKey(state, 'operations');
  if (!id) return;
  const tracked = state.operations[id];
  if (!tracked) return;
  if (tracked.finishedAt !== null) {
    status(ctx, `operation ${id.slice(0, 8)} already finished (${tracked.operation.status})`, 'error');
    return;
  }
  if (!tracked.operation.may_cancel) {
    status(ctx, `operation ${id.slice(0, 8)}: This operation can't be cancelled`, 'error');
    return;
  }
  status(ctx, `Cancelling operation ${id.slice(0, 8)}…`);
  void ctx.controller.cancelOperation(id);
}

/** Prompt validation, before anything reaches the server. Null when fine. */
export function validatePrompt(intent: PromptIntent, value: string): string | null {
  const v = value.trim();
  switch (intent.command) {
    case 'snapshot':
    case 'snapshot-rename':
      if (!v) return 'A snapshot needs a name';
      if (v.includes('/')) return 'Snapshot names cannot contain "/"';
      return null;
    case 'snapshot-schedule':
    case 'snapshot-expiry':
      return null; // the server says what it refuses

    case 'rename':
      return validateInstanceName(v);
    case 'new': {
      const line = parseNewLine(v);
      return 'error' in line ? line.error : validateInstanceName(line.name);
    }
    case 'exec-command': {
      const line = parseExecLine(v);
      return 'error' in line ? line.error : null;
    }
    case 'session-rename':
      return validateSessionName(v);
    case 'resource-new':
      return validateResourceName(v);
    case 'knobs':
      return validateKnob(intent.setting, v);
    case 'file-pull':
    case 'file-push':
      return validateFilePrompt(intent.command, v);
    case 'copy':
    case 'publish':
    case 'export':
    case 'import':
      return validateTransfer(intent, v);
    default:
      return unhandled(intent);
  }
}

/** The end of an exhaustive switch: an intent without a case does not compile. */
function unhandled(intent: never): never {
  throw new Error(`no handler for intent ${JSON.stringify(intent)}`);
}

/** A prompt was accepted (Enter): validate, close, act. */
export function acceptPrompt(ctx: AppContext): void {
  const d = ctx.store.getState().ui.dialog;
  if (!d || d.kind !== 'prompt') return;
  const error = validatePrompt(d.intent, d.value);
  if (error) {
    openDialog(ctx, { ...d, error });
    return;
  }
  const value = d.value.trim();
  closeDialog(ctx);
  const intent = d.intent;
  switch (intent.command) {
    case 'snapshot': {
      status(ctx, `Snapshotting ${parseInstanceKey(intent.key).name} as ${value}…`);
      const done = ctx.controller.snapshot(intent.key, value);
      if (intent.back) backToSnapshots(ctx, intent.key, done);
      return;
    }
    case 'snapshot-rename': {
      const { key, snapshot } = intent;
      if (value === snapshot) return openSnapshots(ctx, key);
      status(ctx, `Renaming snapshot ${snapshot} to ${value}…`);
      return backToSnapshots(ctx, key, ctx.controller.renameSnapshot?.(key, snapshot, value) ?? Promise.resolve());
    }
    case 'snapshot-schedule':
    case 'snapshot-expiry': {
      const setting = `snapshots.${intent.command === 'snapshot-schedule' ? 'schedule' : 'expiry'}`;
      status(ctx, `Setting ${setting} of ${parseInstanceKey(intent.key).name} to ${value || '(none)'}…`);
      return backToSnapshots(ctx, intent.key, ctx.controller.setConfig?.(intent.key, { [setting]: value }) ?? Promise.resolve());
    }
    case 'rename':
      if (parseInstanceKey(intent.key).name === value) return;
      status(ctx, `Renaming ${parseInstanceKey(intent.key).name} to ${value}…`);
      void ctx.controller.rename(intent.key, value);
      return;
    case 'new':
      return acceptNewName(ctx, intent.image, value, intent.remote);
    case 'exec-command': {
      const line = parseExecLine(value);
      if (!('error' in line)) consoleOrWake(ctx, intent.key, line.command, line.options);
      return;
    }
    case 'session-rename':
      renameSession(ctx, intent.id, value);
      return;
    case 'resource-new':
      return acceptResourceNew(ctx, intent, value);
    case 'knobs':
      return acceptKnob(ctx, intent, value);
    case 'file-pull':
      return acceptFilePull(ctx, intent, value);
    case 'file-push':
      return acceptFilePush(ctx, intent, value);
    case 'copy':
    case 'publish':
    case 'export':
    case 'import':
      return acceptTransfer(ctx, intent, value, (key) => openSnapshots(ctx, key));
    default:
      return unhandled(intent);
  }
}

/** A picker item was chosen. */
export function acceptPicker(ctx: AppContext, value: string): void {
  const d = ctx.store.getState().ui.dialog;
  if (!d || d.kind !== 'picker') return;
  closeDialog(ctx);
  pick(ctx, d.intent, value);
}

function pick(ctx: AppContext, intent: PickerIntent, value: string): void {
  switch (intent.command) {
    case 'restore':
      status(ctx, `Restoring ${parseInstanceKey(intent.key).name} to ${value}…`);
      void ctx.controller.restore(intent.key, value);
      return;
    case 'new':
      return pickNew(ctx, intent, value);
    case 'project':
      return acceptProject(ctx, value);
    case 'remote':
      return acceptRemote(ctx, value);
    case 'knobs':
      return void pickKnob(ctx, intent, value);
    case 'move':
      return acceptMove(ctx, intent.key, value);
    case 'copy':
      return acceptCopyTarget(ctx, intent.key, intent.snapshot, value);
    default:
      return unhandled(intent);
  }
}

/** A confirmation was accepted; `force` when F was pressed. */
export function acceptConfirm(ctx: AppContext, force: boolean): void {
  const d = ctx.store.getState().ui.dialog;
  if (!d || d.kind !== 'confirm') return;
  if (d.needsForce === true && !force) {
    status(ctx, `A running instance is deleted only with ${shownKey('dialog-force')} (force); ${shownKey('dialog-cancel')} cancels`, 'error');
    return;
  }
  closeDialog(ctx);
  const intent = d.intent;
  switch (intent.command) {
    case 'delete':
      status(ctx, `Deleting ${names(intent.keys)}…`);
      ctx.store.dispatch({ type: 'ui/marks', pane: 'instances', keys: [] });
      void ctx.controller.deleteInstances(intent.keys, { force });
      return;
    case 'force-stop':
      status(ctx, `Force-stopping ${names(intent.keys)}…`);
      void ctx.controller.forceStopInstances(intent.keys);
      return;
    case 'exec':
      void wakeThenConsole(ctx, intent.key, intent.wake, intent.run, intent.options);
      return;
    case 'image-delete':
      ctx.store.dispatch({ type: 'ui/marks', pane: 'images', keys: [] });
      for (const fp of intent.images) void ctx.controller.deleteImage(fp);
      return;
    case 'snapshot-restore':
      status(ctx, `Restoring ${parseInstanceKey(intent.key).name} to ${intent.snapshot}…`);
      return backToSnapshots(ctx, intent.key, ctx.controller.restore(intent.key, intent.snapshot));
    case 'snapshot-delete':
      status(ctx, `Deleting snapshot ${intent.snapshot} of ${parseInstanceKey(intent.key).name}…`);
      return backToSnapshots(ctx, intent.key, ctx.controller.deleteSnapshot(intent.key, intent.snapshot));
    case 'warning-delete':
      deleteWarning(ctx, intent.uuid, intent.selected);
      return;
    case 'session-close':
      closeSession(ctx, intent.id);
      return;
    case 'resource-delete':
      return acceptResourceDelete(ctx, intent);
    case 'file-delete':
      return acceptFileDelete(ctx, intent);
    default:
      return unhandled(intent);
  }
}
