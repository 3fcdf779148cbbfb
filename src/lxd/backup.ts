// Backups to and from local files: export (`POST …/backups`, wait, `GET …/export` streamed to the
// file, delete the backup) and import (`POST /1.0/instances`, the file as an octet-stream body).
import { createReadStream, statSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { EXT, hasExtension, instancesPath } from './capabilities.js';
import type { LxdClient } from './client.js';
import { LxdError } from './errors.js';
import { checkInstanceName } from './names.js';
import { isObject } from './normalize.js';
import { download, upload } from './stream.js';
import type { Operation } from './types.js';
import { finish, type OperationWatch } from './wait.js';

const seg = encodeURIComponent;

async function projectQuery(client: LxdClient, project: string | undefined): Promise<string> {
  return hasExtension(await client.server(), EXT.projects) ? `?project=${seg(project ?? client.project)}` : '';
}

export interface ExportOptions {
  project?: string;
  /** The daemon's progress while it makes the backup. */
  onOperation?: OperationWatch;
  /** Bytes written to the file so far. */
  onBytes?: (bytes: number, total: number | null) => void;
  /** Without snapshots (`--instance-only`). */
  instanceOnly?: boolean;
  /** Cancels the daemon's backup (when it allows) or the download; the file is removed either way. */
  signal?: AbortSignal;
}

/** Exports `name` to `file`; returns the file's size. The server's backup is deleted in every case. */
export async function exportBackup(client: LxdClient, name: string, file: string, opts: ExportOptions = {}): Promise<number> {
  const info = await client.server();
  const base = `${instancesPath(info)}/${seg(name)}/backups`;
  const q = await projectQuery(client, opts.project);
  // The file first: an existing one is refused (never overwritten) before the server does any work.
  let handle;
  try {
    handle = await open(file, 'wx');
  } catch (err) {
    throw new LxdError(`${file}: ${(err as Error).message}`, { kind: 'protocol', local: true });
  }
  let written = false;
  try {
    const backup = `lxtop-${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
    const expires = new Date(Date.now() + 24 * 3600_000).toISOString();
    const res = await client.request<Operation>('POST', `${base}${q}`, { body: { name: backup, expires_at: expires, instance_only: opts.instanceOnly === true, optimized_storage: false } });
    if (res.type !== 'async' || !isObject(res.metadata)) throw new LxdError(`POST ${base}: expected an operation`, { kind: 'protocol', method: 'POST', path: base });
    try {
      try {
        await finish(client, res.metadata.id, opts.onOperation, opts.signal);
      } catch (err) {
        if (!opts.signal?.aborted) throw err;
        // A backup the daemon would not cancel is waited for, so that the finally below deletes it.
        await finish(client, res.metadata.id).catch(() => undefined);
        throw new LxdError('cancelled', { kind: 'operation' });
      }
      if (opts.signal?.aborted) throw new LxdError('cancelled', { kind: 'operation' });
      const bytes = await download(client.transport, `${base}/${seg(backup)}/export${q}`, handle, { onBytes: opts.onBytes, signal: opts.signal });
      written = true;
      return bytes;
    } finally {
      await client.request('DELETE', `${base}/${seg(backup)}${q}`).catch(() => undefined);
    }
  } finally {
    await handle.close().catch(() => undefined);
    if (!written) await rm(file, { force: true });
  }
}

export interface ImportOptions {
  /** The new instance's name; default: the one in the backup. */
  name?: string;
  /** Storage pool; default: the backup's, or the default profile's. */
  pool?: string;
  project?: string;
  onBytes?: (bytes: number, total: number | null) => void;
  /** Stops the upload (the daemon then has nothing to import). */
  signal?: AbortSignal;
}

/** Imports a backup file as a new instance; returns the daemon's operation (unpacking it). */
export async function importBackup(client: LxdClient, file: string, opts: ImportOptions = {}): Promise<Operation> {
  const info = await client.server();
  if (opts.name !== undefined) checkInstanceName(opts.name, info.kind);
  let size: number;
  try {
    size = statSync(file).size;
  } catch (err) {
    throw new LxdError(`${file}: ${(err as Error).message}`, { kind: 'protocol', local: true });
  }
  const prefix = info.kind === 'incus' ? 'X-Incus' : 'X-LXD';
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  if (opts.name) headers[`${prefix}-name`] = opts.name;
  if (opts.pool) headers[`${prefix}-pool`] = opts.pool;
  const path = `${instancesPath(info)}${await projectQuery(client, opts.project)}`;
  const res = await upload<Operation>(client.transport, 'POST', path, createReadStream(file), size, { headers, onBytes: opts.onBytes, signal: opts.signal });
  if (res.type !== 'async' || !isObject(res.metadata)) throw new LxdError(`POST ${path}: expected an operation`, { kind: 'protocol', method: 'POST', path });
  return res.metadata;
}
