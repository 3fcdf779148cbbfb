// The quick settings of an instance (K): CPU and memory limits, boot.autostart, a profile added or
// removed. The instance is read with its ETag when the picker opens; each change is a PATCH with
// that ETag (If-Match), so a change made meanwhile by anyone else is refused (412), never overwritten.
import { parseInstanceKey, type InstanceKey } from '../store/index.js';
import { openDialog, status, type AppContext } from './context.js';
import { selectedInstance } from './selection.js';

export const KNOB_SETTINGS = ['limits.cpu', 'limits.memory'] as const;
export type KnobSetting = (typeof KNOB_SETTINGS)[number];

type KnobStep = 'which' | 'profile-add' | 'profile-remove';

declare module '../store/dialogs.js' {
  interface PickerIntents {
    /** `profiles`: the instance's, as read with `etag`. */
    knobs: { key: InstanceKey; etag: string | null; step: KnobStep; profiles: readonly string[]; autostart: string };
  }
  interface PromptIntents {
    knobs: { key: InstanceKey; etag: string | null; setting: KnobSetting };
  }
}

const HINTS: Record<KnobSetting, string> = {
  'limits.cpu': 'CPUs: a count (2) or a set (0-1,3); empty: no limit',
  'limits.memory': 'bytes with a unit (512MiB, 2GiB) or a share of the host (50%); empty: no limit',
};

/** K: reads the instance (and its ETag), then the picker of knobs with their current values. */
export async function openKnobs(ctx: AppContext): Promise<void> {
  const key = selectedInstance(ctx, 'quick settings');
  const port = ctx.controller.resources;
  if (!key) return;
  if (!port || ctx.store.getState().fleet) return status(ctx, 'quick settings: open the remote itself (lxtop REMOTE:)', 'error');
  let read: Awaited<ReturnType<typeof port.readInstance>>;
  try {
    read = await port.readInstance(key);
  } catch (err) {
    return status(ctx, `quick settings: ${err instanceof Error ? err.message : String(err)}`, 'error');
  }
  const { instance, etag } = read;
  const config = instance.config ?? {};
  const autostart = config['boot.autostart'] ?? '';
  const profiles = instance.profiles ?? [];
  const items = [
    ...KNOB_SETTINGS.map((s) => ({ value: s, label: s, hint: config[s] || 'unset' })),
    { value: 'boot.autostart', label: 'boot.autostart', hint: `${autostart || 'unset'} → ${autostart === 'true' ? 'false' : 'true'}` },
    { value: 'profile-add', label: 'add a profile', hint: profiles.join(', ') || 'none' },
    ...(profiles.length ? [{ value: 'profile-remove', label: 'remove a profile', hint: profiles.join(', ') }] : []),
  ];
  openDialog(ctx, { kind: 'picker', title: `Quick settings of ${instance.name}`, items, selected: 0, intent: { command: 'knobs', key, etag, step: 'which', profiles, autostart } });
}

type PickIntent = { key: InstanceKey; etag: string | null; step: KnobStep; profiles: readonly string[]; autostart: string };

export async function pickKnob(ctx: AppContext, intent: PickIntent, value: string): Promise<void> {
  const port = ctx.controller.resources;
  if (!port) return;
  const { key, etag, profiles } = intent;
  const name = parseInstanceKey(key).name;
  if (intent.step === 'profile-add') {
    status(ctx, `Adding profile ${value} to ${name}…`);
    return void port.patchInstance(key, { profiles: [...profiles, value] }, etag, `profile ${value} added`);
  }
  if (intent.step === 'profile-remove') {
    status(ctx, `Removing profile ${value} from ${name}…`);
    return void port.patchInstance(key, { profiles: profiles.filter((p) => p !== value) }, etag, `profile ${value} removed`);
  }
  if (value === 'boot.autostart') {
    const next = intent.autostart === 'true' ? 'false' : 'true';
    status(ctx, `Setting boot.autostart of ${name} to ${next}…`);
    return void port.patchInstance(key, { config: { 'boot.autostart': next } }, etag, `boot.autostart set to ${next}`);
  }
  if (value === 'profile-add') {
    let all: string[];
    try {
      all = (await port.list('profiles')).map((p) => p.name);
    } catch (err) {
      return status(ctx, `profiles: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
    const free = all.filter((p) => !profiles.includes(p));
    if (free.length === 0) return status(ctx, `${name} has every profile of the project already`, 'error');
    return openDialog(ctx, { kind: 'picker', title: `Add a profile to ${name}`, items: free.map((p) => ({ value: p, label: p })), selected: 0, intent: { ...intent, command: 'knobs', step: 'profile-add' } });
  }
  if (value === 'profile-remove') {
    return openDialog(ctx, { kind: 'picker', title: `Remove a profile from ${name}`, items: profiles.map((p) => ({ value: p, label: p })), selected: 0, intent: { ...intent, command: 'knobs', step: 'profile-remove' } });
  }
  const setting = KNOB_SETTINGS.find((s) => s === value);
  if (!setting) return;
  const currentValue = ctx.store.getState().instances[key]?.config?.[setting] ?? '';
  openDialog(ctx, { kind: 'prompt', title: `${setting} of ${name}`, label: setting, value: currentValue, error: null, hint: HINTS[setting], intent: { command: 'knobs', key, etag, setting } });
}

/** Cheap checks before the server's own (which says more when it refuses). */
export function validateKnob(setting: KnobSetting, value: string): string | null {
  if (value === '') return null;
  if (setting === 'limits.cpu' && !/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(value)) return 'A count (2) or a set of CPUs (0-1,3)';
  if (setting === 'limits.memory' && !/^\d+(\.\d+)?\s*(%|[kKMGTPE]i?B|B)?$/.test(value)) return 'Bytes with a unit (512MiB, 2GiB, 1GB) or a percentage (50%)';
  return null;
}

export function acceptKnob(ctx: AppContext, intent: { key: InstanceKey; etag: string | null; setting: KnobSetting }, value: string): void {
  const port = ctx.controller.resources;
  if (!port) return;
  status(ctx, `Setting ${intent.setting} of ${parseInstanceKey(intent.key).name} to ${value || '(none)'}…`);
  void port.patchInstance(intent.key, { config: { [intent.setting]: value } }, intent.etag, `${intent.setting} set to ${value || '(none)'}`);
}
