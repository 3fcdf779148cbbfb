// What each confirmation, prompt and picker does when accepted (its intent), declared into the
// store's maps (src/store/dialogs.ts). Each intent is keyed by the registry command whose flow it
// is and carries exactly the fields that flow needs; accepting is a switch over them in flows.ts,
// exhaustive, so an intent without a handler does not build either.
import type { CommandId } from '../keys/registry.js';
import type { InstanceKey } from '../store/index.js';
import type { ConfirmIntents, PickerIntents, PromptIntents } from '../store/dialogs.js';
import type { ExecLineOptions } from './exec-line.js';

/** An intent with nothing to carry but its command. */
type NoFields = Record<never, never>;

declare module '../store/dialogs.js' {
  interface ConfirmIntents {
    delete: { keys: readonly InstanceKey[] };
    'force-stop': { keys: readonly InstanceKey[] };
    /** The images' keys: the fingerprint (in the fleet view `remote:fingerprint`). */
    'image-delete': { images: readonly string[] };
    /** The console (e or :) on an instance that does not run: start or unfreeze it first; `run`
     *  is the command (absent: the shell). */
    exec: { key: InstanceKey; wake: 'start' | 'unfreeze'; run?: string[]; options?: ExecLineOptions };
    /** From the snapshots view (z), which comes back after it. */
    'snapshot-restore': { key: InstanceKey; snapshot: string };
    'snapshot-delete': { key: InstanceKey; snapshot: string };
    /** A warning's uuid; `selected`: the warnings view's row to come back to. */
    'warning-delete': { uuid: string; selected: number };
    /** A background session whose command still runs. */
    'session-close': { id: string };
    /** From the files view (F), which comes back after it: the file's absolute path. */
    'file-delete': { key: InstanceKey; path: string };
  }
  interface PromptIntents {
    /** `back`: asked from the snapshots view, which comes back after it. */
    snapshot: { key: InstanceKey; back?: boolean };
    'snapshot-rename': { key: InstanceKey; snapshot: string };
    'snapshot-schedule': { key: InstanceKey };
    'snapshot-expiry': { key: InstanceKey };
    rename: { key: InstanceKey };
    /** The new instance's name, to be made from `image` (a fingerprint or fleet image key). */
    new: { image: string; remote?: string };
    'exec-command': { key: InstanceKey };
    'session-rename': { id: string };
    /** The files view's file `path` pulled to the local path typed. */
    'file-pull': { key: InstanceKey; path: string; dir: string };
    /** A local file pushed into the files view's directory `dir`. */
    'file-push': { key: InstanceKey; dir: string };
  }
  interface PickerIntents {
    /** Which snapshot to restore `key` to. */
    restore: { key: InstanceKey };
    /** A new instance: first the image, then (on a cluster, after the name) the member. */
    new:
      | { step: 'image' }
      /** An image on another remote: `labels` are the picker's words for each fingerprint. */
      | { step: 'remote-image'; remote: string; labels: Record<string, string> }
      | { step: 'target'; image: string; name: string; options?: import('./new-line.js').NewInstanceOptions; remote?: string };
    project: NoFields;
    remote: NoFields;
  }
}

/** Holds when every intent is keyed by a registry command (else this line does not compile). */
export type IntentsAreCommands = Assert<Exclude<keyof ConfirmIntents | keyof PromptIntents | keyof PickerIntents, CommandId>>;
type Assert<Unknown extends never> = Unknown;
