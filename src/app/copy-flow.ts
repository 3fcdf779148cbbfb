// The transfer keys (issue 15, parts 4 and 5): copy to a new name here or on another configured
// remote (c, on an instance or, from the snapshots view, a snapshot), move to another cluster member (M, a picker), publish as an image
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
    /** `remote`: to that configured remote (else on this server). */
    copy: { key: InstanceKey; snapshot?: string; remote?: string };
    publish: { key: InstanceKey; snapshot?: string };
    export: { key: InstanceKey };
    import: { step: 'file' } | { step: 'name'; file: string };
  }
  interface PickerIntents {
    move: { key: InstanceKey };
    /** Where the copy goes: this server or another configured remote. */
    copy: { key: InstanceKey; snapshot?: string };
  }
}

type TransferPrompt = { command: 'copy' | 'publish' | 'export' | 'import' } & Record<string, unknown>;

function transfers(ctx: AppContext) {
  const t = ctx.controller.transfers;
  if (!t) status(ctx, 'Copy, move, publish, export and import are not available on this connection', 'error');
  return t ?? null;
}

/** The picker value for "this server" (remote names cannot contain spaces). */
const HERE = ' here';

/**
 * c: where to (this server, or another configured remote, when the app can open one), then the
 * name. The picker opens at once with this server alone (keys typed meanwhile land in it, never in
 * the pane), and gets the other remotes once they are listed; without any, the name at once.
 */
export async function askCopy(ctx: AppContext, key: InstanceKey | null = selectedInstance(ctx, 'copy'), snapshot?: string): Promise<void> {
  if (!key) return;
  if (!ctx.listRemotes || !ctx.openRemote) return askCopyName(ctx, key, snapshot);
  const { name } = parseInstanceKey(key);
  const title = `Copy ${snapshot ? `${name}/${snapshot}` : name} to`;
  const here = { value: HERE, label: 'this server', hint: 'a new name here' };
  const intent = { command: 'copy' as const, key, ...(snapshot ? { snapshot } : {}) };
  openDialog(ctx, { kind: 'picker', title, items: [here], selected: 0, intent });
  const remotes = await ctx.listRemotes().catch(() => []);
  const d = ctx.store.getState().ui.dialog;
  if (d?.kind !== 'picker' || d.intent.command !== 'copy' || d.intent.key !== key || d.items.length !== 1) return; // answered or closed meanwhile
  const label = ctx.remoteLabel?.();
  const others = remotes.filter((r) => r.name !== label && r.addr !== label);
  if (others.length === 0) return askCopyName(ctx, key, snapshot);
  openDialog(ctx, { ...d, items: [here, ...others.map((r) => ({ value: r.name, label: r.name, hint: r.addr }))] });
}

export function acceptCopyTarget(ctx: AppContext, key: InstanceKey, snapshot: string | undefined, value: string): void {
  askCopyName(ctx, key, snapshot, value === HERE ? undefined : value);
}

function askCopyName(ctx: AppContext, key: InstanceKey, snapshot?: string, remote?: string): void {
  const { name } = parseInstanceKey(key);
  const from = snapshot ? `${name}/${snapshot}` : name;
  const value = remote ? (snapshot ?? name) : `${snapshot ?? name}-copy`;
  openDialog(ctx, { kind: 'prompt', title: `Copy ${from}${remote ? ` to ${remote}` : ''}`, label: 'New instance name', value, error: null, hint: remote ? `on ${remote}, its daemon pulling it from this one` : 'on this server', intent: { command: 'copy', key, ...(snapshot ? { snapshot } : {}), ...(remote ? { remote } : {}) } });
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

type Intent = { command: 'copy'; key: InstanceKey; snapshot?: string; remote?: string } | { command: 'publish'; key: InstanceKey; snapshot?: string } | { command: 'export'; key: InstanceKey } | ({ command: 'import' } & ({ step: 'file' } | { step: 'name'; file: string }));

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
      if (intent.remote) {
        copyToRemote(ctx, intent.key, intent.remote, value, intent.snapshot);
        if (intent.snapshot) backTo(intent.key);
        return;
      }
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

function copyToRemote(ctx: AppContext, key: InstanceKey, remote: string, newName: string, snapshot?: string): void {
  const t = transfers(ctx);
  if (!t || !ctx.openRemote) return;
  const from = `${parseInstanceKey(key).name}${snapshot ? `/${snapshot}` : ''}`;
  status(ctx, `Copying ${from} to ${remote}:${newName}…`);
  void ctx.openRemote(remote).then(
    (target) => void t.copyTo(key, target, remote, newName, snapshot).finally(() => void target.close().catch(() => undefined)),
    (err: unknown) => status(ctx, `copy ${from} to ${remote}: ${err instanceof Error ? err.message : String(err)}`, 'error'),
  );
}
