// What the store keeps of a listed instance. A list answer carries each instance's whole config and
// devices (most of its ~1.7 KB: volatile keys, idmaps, UUIDs); the tables never read them and the
// detail view reads the instance afresh. Kept: every scalar field, the profiles, and the `image.*`
// config keys (what the instance runs). At thousands of instances that is most of the memory a
// list costs. And an instance whose kept fields did not change keeps its object, so a re-list that
// changed nothing leaves the store's instances as they were (no re-sort, no redraw).
import type { Instance } from '../lxd/types.js';

const DROPPED = new Set(['config', 'expanded_config', 'devices', 'expanded_devices']);

function imageConfig(config: Record<string, string> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!config || typeof config !== 'object') return out;
  for (const k of Object.keys(config)) if (k.startsWith('image.')) out[k] = config[k];
  return out;
}

function sameRecord(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

function sameList(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((x, i) => x === b[i]);
}

/** Equal kept fields: scalars, profiles, image config; snapshots by length (only counts are shown). */
function same(a: Instance, b: Instance): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    const x = (a as unknown as Record<string, unknown>)[k];
    const y = (b as unknown as Record<string, unknown>)[k];
    if (x === y) continue;
    if (k === 'config') {
      if (!sameRecord(x as Record<string, unknown>, y as Record<string, unknown>)) return false;
    } else if (k === 'profiles') {
      if (!sameList(x, y)) return false;
    } else if (k === 'snapshots') {
      if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    } else if (k === 'devices') {
      continue; // always {} here
    } else return false;
  }
  return true;
}

/** The slim copy of `inst`, or `prev` when that is the same. */
export function slimInstance(inst: Instance, prev?: Instance): Instance {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(inst)) {
    if (!DROPPED.has(k)) out[k] = (inst as unknown as Record<string, unknown>)[k];
  }
  out.config = imageConfig(inst.config ?? inst.expanded_config);
  out.devices = {};
  const slim = out as unknown as Instance;
  return prev !== undefined && same(slim, prev) ? prev : slim;
}
