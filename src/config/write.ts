// Changes to lxtop's own configuration. Edits keep the rest of the file (comments included), and a
// set of files is written all together or not at all.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isMap } from 'yaml';
import { parseConfigText } from './load.js';
import { ConfigError } from './types.js';

export interface RemoteToWrite {
  addr: string;
  protocol: string;
  project?: string;
}

function loadForEdit(file: string) {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const parsed = parseConfigText(file, text);
  if ('error' in parsed) throw new ConfigError(`refusing to change a file that does not parse: ${parsed.error}`);
  const { doc } = parsed;
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as never;
  return doc;
}

/** The new text of `file` with remote `name` added (or replaced). `file` may not exist yet. */
export function withRemote(file: string, name: string, remote: RemoteToWrite): string {
  const doc = loadForEdit(file);
  const remotes = doc.get('remotes', true);
  if (doc.get('remotes') === undefined || doc.get('remotes') === null) doc.set('remotes', doc.createNode({}));
  else if (!isMap(remotes)) throw new ConfigError(`refusing to change ${file}: remotes is not a mapping`);
  const entry: Record<string, unknown> = {
    addr: remote.addr,
    auth_type: 'tls',
    project: remote.project ?? 'default',
    protocol: remote.protocol,
    public: false,
  };
  doc.setIn(['remotes', name], doc.createNode(entry));
  return doc.toString();
}

/** The new text of `file` without remote `name`, and with default-remote reset if it named it. */
export function withoutRemote(file: string, name: string): string {
  const doc = loadForEdit(file);
  doc.deleteIn(['remotes', name]);
  if (doc.get('default-remote') === name) doc.delete('default-remote');
  return doc.toString();
}

export function withDefaultRemote(file: string, name: string): string {
  const doc = loadForEdit(file);
  doc.set('default-remote', name);
  return doc.toString();
}

export interface FileWrite {
  path: string;
  content: string;
  mode: number;
}

/**
 * Writes every file or none: each goes to a temporary file beside its target first, then all are
 * renamed into place; if anything fails, the temporaries are removed and files already replaced are
 * put back. Directories are created with mode 0700.
 */
export function writeAllOrNothing(files: FileWrite[], removals: string[] = []): void {
  const tag = `.lxtop-tmp-${process.pid}-${Date.now()}`;
  const temps: string[] = [];
  const backups: { path: string; backup: string | null }[] = [];
  const createdDirs: string[] = [];
  try {
    for (const p of [...files.map((f) => f.path), ...removals]) {
      if (existsSync(p) && statSync(p).isDirectory()) throw new Error(`${p} is a directory`);
    }
    for (const f of files) {
      const dir = dirname(f.path);
      const made = mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (made !== undefined) createdDirs.push(made);
      const tmp = f.path + tag;
      writeFileSync(tmp, f.content, { mode: f.mode, flag: 'wx' });
      chmodSync(tmp, f.mode); // the umask may have narrowed or the mode widened nothing: be exact
      temps.push(tmp);
    }
    for (const p of [...files.map((f) => f.path), ...removals]) {
      if (existsSync(p)) {
        const backup = p + tag + '.bak';
        renameSync(p, backup);
        backups.push({ path: p, backup });
      } else {
        backups.push({ path: p, backup: null });
      }
    }
    files.forEach((f, i) => renameSync(temps[i], f.path));
  } catch (err) {
    for (const t of temps) rmSync(t, { force: true });
    for (const b of backups.reverse()) {
      try {
        if (b.backup) renameSync(b.backup, b.path);
        else rmSync(b.path, { force: true });
      } catch {
        // best effort
      }
    }
    for (const d of createdDirs.reverse()) rmSync(d, { recursive: true, force: true });
    throw err;
  }
  for (const b of backups) {
    try {
      if (b.backup) rmSync(b.backup, { force: true });
    } catch {
      // a stale backup is harmless
    }
  }
}
