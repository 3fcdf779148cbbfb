// The dialog kinds the store knows (the map `DialogKinds` and the union `Dialog` are in state.ts,
// where other modules extend them). Plain data, so a dialog survives the exec console's remount.
import type { Instance, InstanceState, Snapshot } from '../lxd/types.js';
import type { Dialog, InstanceKey } from './state.js';

/**
 * What a confirmation, a prompt or a picker does when accepted: one type per intent, keyed by the
 * registry command whose flow it is. The app declares them (src/app/intents.ts) by merging into
 * these maps, `command id → the fields it needs`, as it adds kinds to DialogKinds: the store only
 * keeps them (plain data, so a dialog survives the exec console's remount).
 */
/* eslint-disable @typescript-eslint/no-empty-object-type -- empty here, filled by declaration merging */
export interface ConfirmIntents {}
export interface PromptIntents {}
export interface PickerIntents {}
/* eslint-enable @typescript-eslint/no-empty-object-type */

type IntentOf<M> = { [C in keyof M]: { command: C } & M[C] }[keyof M];
export type ConfirmIntent = IntentOf<ConfirmIntents>;
export type PromptIntent = IntentOf<PromptIntents>;
export type PickerIntent = IntentOf<PickerIntents>;
export type CommandIntent = ConfirmIntent | PromptIntent | PickerIntent;

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
  /** Only F (force) accepts: deleting a running instance. The footer and the hints say so. */
  needsForce?: boolean;
  /** Answered no: back to this view (a confirmation asked from a view over the panes), not the pane. */
  back?: Dialog;
  intent: ConfirmIntent;
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
  /** Cancelled: back to this view (a prompt asked from a view over the panes), not the pane. */
  back?: Dialog;
  intent: PromptIntent;
}
export interface PickerDialog {
  kind: 'picker';
  title: string;
  items: readonly PickerItem[];
  selected: number;
  intent: PickerIntent;
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
