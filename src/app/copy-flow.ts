// The transfer keys (issue 15, parts 4 and 5): copy to a new name (c, on an instance or, from the
// snapshots view, a snapshot), move to another cluster member (M, a picker), publish as an image
// (p), export a backup to a file (b) and import one (B: the file, then the name). Each asks
// (a prompt or a picker) and hands the work to the controller's transfers (src/store/transfers.ts),
// whose operation shows its progress in the operations pane. Kept apart from flows.ts, which only
// routes these intents here.
import { resolve } from 'node:path';
import { parseInstanceKey, validateInstanceName, type InstanceKey } from '../store/index.js';
import { openDialog, status, type AppContext } from './context.js';
import { selectedInstance } from './selection.js';

declare module '../store/dialogs.js' {
  interface PromptIntents {
    /** `snapshot`: the copy is of a snapshot (asked from the snapshots view, which comes back). */
    copy: { key: InstanceKey; snapshot?: string };
    publish: { key: InstanceKey; snapshot?: string };
    export: { key: InstanceKey };
    import: { step: 'file' } | { step: 'name'; file: string };
  }
  interface PickerIntents {
    move: { key: InstanceKey };
  }
}

type TransferPrompt = { command: 'copy' | 'publish' | 'export' | 'import' } & Record<string, unknown>;

function transfers(ctx: AppContext) {
  const t = ctx.controller.transfers;
  if (!t) status(ctx, 'Copy, move, publish, export and import are not available on this connection', 'error');
  return t ?? null;
}

export function askCopy(ctx: AppContext, key: InstanceKey | null = selectedInstance(ctx, 'copy'), snapshot?: string): void {
  if (!key) return;
  const { name } = parseInstanceKey(key);
  const from = snapshot ? `${name}/${snapshot}` : name;
  openDialog(ctx, { kind: 'prompt', title: `Copy ${from}`, label: 'New instance name', value: `${snapshot ?? name}-copy`, error: null, hint: 'on this server; another remote: lxtop copy', intent: { command: 'copy', key, ...(snapshot ? { snapshot } : {}) } });
}

export function askPublish(ctx: AppContext, key: InstanceKey | null = selectedInstance(ctx, 'publish'), snapshot?: string): void {
  if (!key) return;
  const { name } = parseInstanceKey(key);
  const from = snapshot ? `${name}/${snapshot}` : name;
  openDialog(ctx, { kind: 'prompt', title: `Publish ${from} as an image`, label: 'Alias', value: snapshot ? `${name}-${snapshot}` : name, error: null, hint: snapshot ? undefined : 'the instance must be stopped', intent: { command: 'publish', key, ...(snapshot ? { snapshot } : {}) } });
}

export function askExport(ctx: AppContext): void {
  const key = selectedInstance(ctx, 'export');
  if (!key) return;
  const { name } = parseInstanceKey(key);
  openDialog(ctx, { kind: 'prompt', title: `Export ${name} (a backup, with its snapshots)`, label: 'File', value: resolve(`${name}.tar.gz`), error: null, intent: { command: 'export', key } });
}

export function askImport(ctx: AppContext): void {
  openDialog(ctx, { kind: 'prompt', title: 'Import a backup file as a new instance', label: 'File', value: '', error: null, hint: 'a file made by lxtop export, lxc export or incus export', intent: { command: 'import', step: 'file' } });
}

/** M: the cluster's other members; the instance must be stopped (the server says so otherwise). */
export function askMove(ctx: AppContext): void {
  const key = selectedInstance(ctx, 'move');
  if (!key) return;
  const state = ctx.store.getState();
  const here = state.instances[key]?.location ?? '';
  const members = state.server?.clustered ? (state.members ?? []).filter((m) => m.server_name !== here) : [];
  if (members.length === 0) {
    status(ctx, state.server?.clustered ? 'move: no other cluster member known yet' : 'move: this server is not a cluster (copy to another remote: lxtop copy)', 'error');
    return;
  }
  const { name } = parseInstanceKey(key);
  openDialog(ctx, {
    kind: 'picker',
    title: `Move ${name}${here ? ` from ${here}` : ''} to`,
    items: [...members].sort((a, b) => a.server_name.localeCompare(b.server_name)).map((m) => ({ value: m.server_name, label: m.server_name, hint: [m.status, m.message].filter(Boolean).join(' ') })),
    selected: 0,
    intent: { command: 'move', key },
  });
}

export function acceptMove(ctx: AppContext, key: InstanceKey, member: string): void {
  const t = transfers(ctx);
  if (!t) return;
  status(ctx, `Moving ${parseInstanceKey(key).name} to ${member}…`);
  void t.move(key, member);
}

/** Prompt validation for these intents; null when fine. */
export function validateTransfer(intent: TransferPrompt, value: string): string | null {
  const v = value.trim();
  switch (intent.command) {
    case 'copy':
      return validateInstanceName(v);
    case 'publish':
      return v === '' ? 'An image alias is needed' : null;
    case 'export':
      return v === '' ? 'A file to write is needed' : null;
    case 'import':
      if (intent.step === 'file') return v === '' ? 'A backup file is needed' : null;
      return v === '' ? null : validateInstanceName(v);
  }
}

type Intent = { command: 'copy'; key: InstanceKey; snapshot?: string } | { command: 'publish'; key: InstanceKey; snapshot?: string } | { command: 'export'; key: InstanceKey } | ({ command: 'import' } & ({ step: 'file' } | { step: 'name'; file: string }));

/** `backTo`: reopens the snapshots view (passed in: importing snapshots-flow.ts here would make a cycle). */
export function acceptTransfer(ctx: AppContext, intent: Intent, value: string, backTo: (key: InstanceKey) => void): void {
  if (intent.command === 'import' && intent.step === 'file') {
    const file = resolve(value);
    const stem = file.split('/').pop()?.replace(/\.(tar\.(gz|xz|zst|bz2)|tgz|tar)$/, '') ?? '';
    openDialog(ctx, { kind: 'prompt', title: `Import ${file}`, label: 'Instance name', value: validateInstanceName(stem) === null ? stem : '', error: null, hint: "empty: the backup's own name", intent: { command: 'import', step: 'name', file } });
    return;
  }
  const t = transfers(ctx);
  if (!t) return;
  switch (intent.command) {
    case 'copy': {
      const done = t.copy(intent.key, value, intent.snapshot);
      status(ctx, `Copying ${parseInstanceKey(intent.key).name}${intent.snapshot ? `/${intent.snapshot}` : ''} to ${value}…`);
      if (intent.snapshot) backTo(intent.key);
      void done;
      return;
    }
    case 'publish': {
      const done = t.publish(intent.key, value, intent.snapshot);
      status(ctx, `Publishing ${parseInstanceKey(intent.key).name}${intent.snapshot ? `/${intent.snapshot}` : ''} as ${value}…`);
      if (intent.snapshot) backTo(intent.key);
      void done;
      return;
    }
    case 'export':
      status(ctx, `Exporting ${parseInstanceKey(intent.key).name} to ${resolve(value)}…`);
      void t.exportBackup(intent.key, resolve(value));
      return;
    case 'import':
      if (intent.step === 'name') {
        status(ctx, `Importing ${intent.file}…`);
        void t.importBackup(intent.file, value);
      }
      return;
  }
}
