// Keys in the fleet view: every key of a remote's store (`project/name` for instances, the
// fingerprint for images, the id for operations) prefixed with `remote:`. Remote names never
// contain `:` (the CLIs refuse them too), so the first `:` splits a key back.

export { fleetKey } from '../store/state.js';

/** The remote and the remote's own key; null for a key without a remote. */
export function splitFleetKey(key: string): { remote: string; key: string } | null {
  const colon = key.indexOf(':');
  if (colon <= 0) return null;
  return { remote: key.slice(0, colon), key: key.slice(colon + 1) };
}

/** Keys grouped by remote, each group in the order given, remote keys unprefixed. */
export function groupByRemote(keys: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const k of keys) {
    const split = splitFleetKey(k);
    if (!split) continue;
    const group = out.get(split.remote) ?? [];
    group.push(split.key);
    out.set(split.remote, group);
  }
  return out;
}
