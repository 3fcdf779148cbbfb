// The files view's model (pure): the dialog the store keeps while an instance's directory is listed
// (directories first, then files, by name), and the lines drawn: a row a name with its type, mode,
// size (where the server says: Incus's HEAD does, LXD 5.0's does not) and owner.
import type { FileInfo } from '../lxd/files.js';
import type { InstanceKey } from '../store/index.js';
import { fit, formatBytes } from './format.js';

export interface FileRow {
  name: string;
  /** Null until its HEAD answered (or when it failed). */
  info: FileInfo | null;
}

export interface FilesDialog {
  kind: 'files';
  key: InstanceKey;
  /** The directory listed, absolute. */
  path: string;
  loading: boolean;
  error: string | null;
  items: readonly FileRow[];
  selected: number;
  scroll: number;
}

declare module '../store/state.js' {
  interface DialogKinds {
    files: FilesDialog;
  }
}

const rank = (r: FileRow) => (r.info?.type === 'directory' ? 0 : 1);

/** Directories first, then the rest, each by name. */
export function sortFiles(items: readonly FileRow[]): FileRow[] {
  return [...items].sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function filesHeader(width: number): string {
  return fileCells('NAME', 'TYPE', 'MODE', 'SIZE', 'OWNER', width);
}

/** `drwxr-xr-x`-free: the octal mode (0644), as lxc file push --mode takes it. */
function modeText(mode: number | null | undefined): string {
  return mode === null || mode === undefined ? '' : mode.toString(8).padStart(4, '0');
}

export function fileLine(r: FileRow, width: number): string {
  const i = r.info;
  const name = i?.type === 'directory' ? `${r.name}/` : i?.type === 'symlink' ? `${r.name}@` : r.name;
  const owner = i && i.uid !== null ? `${i.uid}:${i.gid ?? ''}` : '';
  const size = i?.size === null || i?.size === undefined ? '' : formatBytes(i.size);
  return fileCells(name, i?.type ?? '…', modeText(i?.mode), size, owner, width);
}

function fileCells(name: string, type: string, mode: string, size: string, owner: string, width: number): string {
  const nameWidth = Math.max(12, Math.min(40, width - 40));
  return fit(`${fit(name, nameWidth)} ${fit(type, 9)} ${fit(mode, 5)} ${fit(size, 9, 'right')}  ${owner}`, Math.max(0, width));
}
