// The snapshots view's model (pure): the dialog the store keeps while an instance's snapshots are
// listed (newest first), and the lines drawn: the schedule and expiry settings, then a row a snapshot.
import type { Snapshot } from '../lxd/types.js';
import type { InstanceKey } from '../store/index.js';
import { fit, formatDate } from './format.js';

export interface SnapshotsDialog {
  kind: 'snapshots';
  key: InstanceKey;
  loading: boolean;
  error: string | null;
  /** Newest first. */
  items: readonly Snapshot[];
  selected: number;
  scroll: number;
}

export const SNAPSHOT_SETTINGS = ['snapshots.schedule', 'snapshots.expiry', 'snapshots.pattern'] as const;
export type SnapshotSetting = (typeof SNAPSHOT_SETTINGS)[number];

declare module '../store/state.js' {
  interface DialogKinds {
    snapshots: SnapshotsDialog;
  }
}

/** Newest first. */
export function sortSnapshots(items: readonly Snapshot[]): Snapshot[] {
  return [...items].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
}

/** The settings line (from the instance's config, which the store keeps current): each or "unset". */
export function settingsLine(config: Readonly<Record<string, string>>): string {
  return SNAPSHOT_SETTINGS.map((k: SnapshotSetting) => `${k.slice('snapshots.'.length)}: ${config[k] || 'unset'}`).join('   ');
}

export function snapshotHeader(width: number): string {
  return snapshotCells('NAME', 'CREATED', 'EXPIRES', 'STATEFUL', width);
}

/** A snapshot's row; a zero or absent expiry reads "never". */
export function snapshotLine(s: Snapshot, width: number): string {
  const expires = !s.expires_at || s.expires_at.startsWith('0001-01-01') ? 'never' : formatDate(s.expires_at);
  return snapshotCells(s.name, formatDate(s.created_at), expires, s.stateful ? 'yes' : 'no', width);
}

function snapshotCells(name: string, created: string, expires: string, stateful: string, width: number): string {
  return fit(`${fit(name, 24)} ${fit(created, 19)} ${fit(expires, 19)} ${stateful}`, Math.max(0, width));
}
