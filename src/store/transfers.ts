// The controller's long transfers from the TUI: copy to a new name, move to a cluster member,
// publish, export to a file, import from one. Each is refused in read-only mode, shows its
// operation in the operations pane while it runs (its metadata carries the daemon's progress, the
// pane draws it: src/views/progress.ts), and ends with one status line in the server's words. An
// export's download has no operation: its progress (lxtop's own byte count) is in the status line.
import { exportBackup, importBackup } from '../lxd/backup.js';
import type { LxdClient } from '../lxd/client.js';
import { errorText } from '../lxd/errors.js';
import type { LxdApi } from '../lxd/api.js';
import { copyInstance, copyToRemote, moveToMember, publishImage } from '../lxd/transfer.js';
import type { Operation } from '../lxd/types.js';
import { finish } from '../lxd/wait.js';
import { ByteMeter } from '../lxd/progress.js';
import { progressText } from './progress-text.js';
import type { ActionContext } from './actions.js';
import { instanceKey, parseInstanceKey, type ActionResult, type InstanceKey } from './state.js';

export interface TransferActions {
  /** A copy of the instance (or of its `snapshot`) named `newName`, on the same server. */
  copy(key: InstanceKey, newName: string, snapshot?: string): Promise<ActionResult>;
  /**
   * A copy on another remote (`target`, named `remote` in messages), its daemon pulling it from this
   * one; this server's migration operation (its rsync figures) is shown while it runs.
   */
  copyTo(key: InstanceKey, target: LxdApi, remote: string, newName: string, snapshot?: string): Promise<ActionResult>;
  /** A stopped instance to another cluster member. */
  move(key: InstanceKey, member: string): Promise<ActionResult>;
  /** An image of the instance (stopped) or of its `snapshot`, with an alias. */
  publish(key: InstanceKey, alias: string, snapshot?: string): Promise<ActionResult>;
  exportBackup(key: InstanceKey, file: string): Promise<ActionResult>;
  importBackup(file: string, name: string): Promise<ActionResult>;
}

export function createTransfers(ctx: ActionContext): TransferActions {
  const status = (text: string, level: 'info' | 'error') => ctx.dispatch({ type: 'status/set', text, level, at: ctx.now() });
  const track = (op: Operation) => ctx.dispatch({ type: 'operation/upsert', operation: op, at: ctx.now() });

  /** The connection's client, or null (a fake API in tests, which has no raw requests). */
  function client(): LxdClient | null {
    const c = ctx.api as Partial<LxdClient>;
    return typeof c.request === 'function' && c.transport !== undefined ? (ctx.api as LxdClient) : null;
  }

  async function run(what: string, act: (c: LxdClient) => Promise<string>): Promise<ActionResult> {
    if (ctx.readOnly) {
      const error = `Read-only mode: ${what} refused`;
      status(error, 'error');
      return { ok: false, error };
    }
    const c = client();
    if (c === null) {
      status(`${what}: not available on this connection`, 'error');
      return { ok: false, error: 'not available' };
    }
    try {
      status(await act(c), 'info');
      return { ok: true };
    } catch (err) {
      const error = errorText(err);
      status(`${what}: ${error}`, 'error');
      return { ok: false, error };
    }
  }

  /** Shows the operation, follows its metadata (progress) until it ends. */
  async function follow(c: LxdClient, op: Operation): Promise<Operation | null> {
    track(op);
    try {
      const done = await finish(c, op.id, track);
      if (done) track(done);
      return done;
    } catch (err) {
      void c.getOperation(op.id).then(track, () => undefined);
      throw err;
    }
  }

  return {
    copy(key, newName, snapshot) {
      const { name, project } = parseInstanceKey(key);
      const from = snapshot ? `${name}/${snapshot}` : name;
      return run(`copy ${from}`, async (c) => {
        await follow(c, await copyInstance(c, { name, snapshot, project }, newName));
        await ctx.fetchInstance(instanceKey(project, newName));
        return `Copied ${from} to ${newName}`;
      });
    },
    copyTo(key, target, remote, newName, snapshot) {
      const { name, project } = parseInstanceKey(key);
      const from = snapshot ? `${name}/${snapshot}` : name;
      return run(`copy ${from} to ${remote}`, async (c) => {
        const to = target as Partial<LxdClient>;
        if (typeof to.request !== 'function' || to.transport === undefined) throw new Error(`${remote}: not a daemon connection`);
        const started = await copyToRemote(c, { name, snapshot, project }, target as LxdClient, newName);
        const sending = follow(c, started.source);
        try {
          await finish(target, started.target.id);
        } catch (err) {
          await c.cancelOperation(started.source.id).catch(() => undefined);
          throw err;
        }
        await sending.catch(() => undefined);
        return `Copied ${from} to ${remote}:${newName}`;
      });
    },
    move(key, member) {
      const { name, project } = parseInstanceKey(key);
      return run(`move ${name}`, async (c) => {
        await follow(c, await moveToMember(c, name, member, project));
        await ctx.fetchInstance(key);
        return `Moved ${name} to ${member}`;
      });
    },
    publish(key, alias, snapshot) {
      const { name, project } = parseInstanceKey(key);
      const from = snapshot ? `${name}/${snapshot}` : name;
      return run(`publish ${from}`, async (c) => {
        const done = await follow(c, await publishImage(c, { name, snapshot, project }, alias));
        const fp = done?.metadata?.fingerprint;
        return `Published ${from} as ${alias}${typeof fp === 'string' ? ` (${fp.slice(0, 12)})` : ''}`;
      });
    },
    exportBackup(key, file) {
      const { name, project } = parseInstanceKey(key);
      return run(`export ${name}`, async (c) => {
        const meter = new ByteMeter('download', ctx.now);
        let shown = 0;
        const bytes = await exportBackup(c, name, file, {
          project,
          onOperation: track,
          onBytes: (b, total) => {
            meter.update(b, total);
            if (ctx.now() - shown < 250) return;
            shown = ctx.now();
            status(`Exporting ${name}: ${progressText(meter.progress(), shown)}`, 'info');
          },
        });
        return `Exported ${name} to ${file} (${bytes} bytes)`;
      });
    },
    importBackup(file, newName) {
      return run(`import ${file}`, async (c) => {
        const meter = new ByteMeter('upload', ctx.now);
        let shown = 0;
        const op = await importBackup(c, file, {
          ...(newName ? { name: newName } : {}),
          onBytes: (b, total) => {
            meter.update(b, total);
            if (ctx.now() - shown < 250) return;
            shown = ctx.now();
            status(`Uploading ${file}: ${progressText(meter.progress(), shown)}`, 'info');
          },
        });
        await follow(c, op);
        if (newName) await ctx.fetchInstance(instanceKey(ctx.api.project, newName));
        return `Imported ${file}${newName ? ` as ${newName}` : ''}`;
      });
    },
  };
}
