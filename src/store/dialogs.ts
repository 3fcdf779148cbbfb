// The dialog kinds the store knows (the map `DialogKinds` and the union `Dialog` are in state.ts,
// where other modules extend them). Plain data, so a dialog survives the exec console's remount.
import type { Instance, InstanceState, Snapshot } from '../lxd/types.js';
import type { InstanceKey } from './state.js';

/** What a confirm/prompt/picker does when accepted: a command id (from keys/) and its arguments. */
export interface CommandIntent {
  command: string;
  keys?: readonly string[];
  value?: string;
  force?: boolean;
  [extra: string]: unknown;
}

export interface PickerItem {
  value: string;
  label: string;
  hint?: string;
}

/** Everything `Controller.instanceDetail` returns; `state` is null when it could not be read. */
export interface InstanceDetail {
  instance: Instance;
  etag: string | null;
  state: InstanceState | null;
  snapshots: Snapshot[];
}

export interface ConfirmDialog {
  kind: 'confirm';
  title: string;
  message: string;
  dangerous?: boolean;
  intent: CommandIntent;
}
export interface PromptDialog {
  kind: 'prompt';
  title: string;
  label: string;
  value: string;
  /** Validation error shown under the input. */
  error?: string | null;
  /** Shown under the input while there is no error. */
  hint?: string;
  intent: CommandIntent;
}
export interface PickerDialog {
  kind: 'picker';
  title: string;
  items: readonly PickerItem[];
  selected: number;
  intent: CommandIntent;
}
export interface DetailDialog {
  kind: 'detail';
  key: InstanceKey;
  loading: boolean;
  detail: InstanceDetail | null;
  error: string | null;
  scroll: number;
}
export interface HelpDialog {
  kind: 'help';
  scroll: number;
}
