// n: a new instance. First the image: this server's, or (from the picker's last rows) one on another
// configured remote, which the daemon then pulls itself (src/lxd/launch.ts); then the name line with
// lxtop launch's options (new-line.ts); on a cluster, then the member (cluster-flows.ts).
import type { LxdApi } from '../lxd/api.js';
import type { LxdClient } from '../lxd/client.js';
import { remoteImageSource } from '../lxd/launch.js';
import type { Image } from '../lxd/types.js';
import { imageAlias, imageLabel, imageOs, type State } from '../store/index.js';
import { ANY_MEMBER, askNewTarget } from './cluster-flows.js';
import { closeDialog, openDialog, status, type AppContext } from './context.js';
import { readNewLine, type NewInstanceOptions } from './new-line.js';
import './intents.js';

/** Picker values for "another remote's images" (remote names cannot contain spaces). */
const REMOTE_PREFIX = ' remote:';

function suggestName(base: string, state: State): string {
  const stem = (base.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^[^A-Za-z]+/, '').replace(/-+$/, '') || 'instance').slice(0, 50);
  for (let n = 1; ; n++) {
    const name = `${stem}-${n}`;
    if (!Object.values(state.instances).some((i) => i.name === name)) return name;
  }
}

function imageItems(images: readonly [string, Image][]) {
  return images
    .map(([key, image]) => ({ key, image, alias: imageAlias(image), os: imageOs(image) }))
    .sort((a, b) => Number(!a.alias) - Number(!b.alias) || a.alias.localeCompare(b.alias) || a.image.fingerprint.localeCompare(b.image.fingerprint))
    .map((r) => ({
      value: r.key, // the fingerprint; in the fleet view `remote:fingerprint`
      // The fleet view has the same alias on several remotes: name the remote too (lxc's `remote:alias`).
      label: `${r.key === r.image.fingerprint ? '' : r.key.slice(0, r.key.indexOf(':') + 1)}${imageLabel(r.image, r.image.fingerprint)}`,
      hint: [r.image.fingerprint.slice(0, 12), r.os, r.image.architecture, r.image.type].filter(Boolean).join(' '),
    }));
}

/**
 * n: the picker opens at once with this server's images; the other configured remotes join it as
 * its last rows once they are listed (as the copy picker does).
 */
export async function askNew(ctx: AppContext): Promise<void> {
  // Every image, whatever the images pane's filter.
  const local = imageItems(Object.entries(ctx.store.getState().images));
  const canPull = ctx.listRemotes !== undefined && ctx.openRemote !== undefined;
  if (local.length === 0 && !canPull) {
    status(ctx, 'new instance: no images on this server', 'error');
    return;
  }
  const intent = { command: 'new' as const, step: 'image' as const };
  openDialog(ctx, { kind: 'picker', title: 'New instance: pick an image', items: local, selected: 0, intent });
  if (!canPull) return;
  const remotes = await ctx.listRemotes!().catch(() => []);
  const d = ctx.store.getState().ui.dialog;
  if (d?.kind !== 'picker' || d.intent.command !== 'new' || d.intent.step !== 'image' || d.items.length !== local.length) return; // answered or closed
  const label = ctx.remoteLabel?.();
  const others = remotes.filter((r) => r.name !== label && r.addr !== label);
  if (others.length === 0 && local.length === 0) {
    closeDialog(ctx);
    status(ctx, 'new instance: no images on this server, and no other remote to take one from', 'error');
    return;
  }
  openDialog(ctx, { ...d, items: [...local, ...others.map((r) => ({ value: `${REMOTE_PREFIX}${r.name}`, label: `images on ${r.name}…`, hint: r.addr }))] });
}

/** The other remote's images, in a picker of their own (its client opened for the listing only). */
async function askRemoteImage(ctx: AppContext, remote: string): Promise<void> {
  status(ctx, `Listing the images on ${remote}…`);
  let images: Image[];
  try {
    const api = await ctx.openRemote!(remote);
    try {
      images = await api.listImages();
    } finally {
      void api.close().catch(() => undefined);
    }
  } catch (err) {
    status(ctx, `images on ${remote}: ${err instanceof Error ? err.message : String(err)}`, 'error');
    return;
  }
  if (images.length === 0) return status(ctx, `new instance: no images on ${remote}`, 'error');
  status(ctx, '');
  const items = imageItems(images.map((i) => [i.fingerprint, i] as [string, Image]));
  const labels = Object.fromEntries(items.map((i) => [i.value, i.label]));
  openDialog(ctx, { kind: 'picker', title: `New instance: an image on ${remote}`, items, selected: 0, intent: { command: 'new', step: 'remote-image', remote, labels } });
}

export function askNewName(ctx: AppContext, image: string, from?: { remote: string; label: string }): void {
  const state = ctx.store.getState();
  const known = state.images[image];
  const label = from ? `${from.remote}:${from.label}` : imageLabel(known, image);
  openDialog(ctx, {
    kind: 'prompt',
    title: `New instance from ${label}`,
    label: 'Name',
    hint: 'NAME [--vm] [-c KEY=VALUE]... [-p PROFILE]... [--user-data FILE] [--no-start]',
    value: suggestName(from ? from.label : known?.aliases?.[0]?.name || 'instance', state),
    error: null,
    intent: { command: 'new', image, ...(from ? { remote: from.remote } : {}) },
  });
}

/** The create call's options argument, left out when there are none (as before the line had options). */
function createOptions<T extends object>(o: T): [T] | [] {
  return Object.keys(o).length > 0 ? [o] : [];
}

/** The name line accepted: create now, or first ask for the cluster member. */
export function acceptNewName(ctx: AppContext, image: string, value: string, remote?: string): void {
  const line = readNewLine(value);
  if ('error' in line) return status(ctx, `new instance: ${line.error}`, 'error');
  if (askNewTarget(ctx, line.name, image, line.options, remote)) return;
  create(ctx, line.name, image, line.options, remote);
}

/** The new-instance pickers: the image (here, or which remote), that remote's image, the member. */
export function pickNew(ctx: AppContext, intent: import('../store/index.js').PickerIntent & { command: 'new' }, value: string): void {
  if (intent.step === 'image') {
    if (value.startsWith(REMOTE_PREFIX)) return void askRemoteImage(ctx, value.slice(REMOTE_PREFIX.length));
    return askNewName(ctx, value);
  }
  if (intent.step === 'remote-image') return askNewName(ctx, value, { remote: intent.remote, label: intent.labels[value] ?? value.slice(0, 12) });
  const target = value === ANY_MEMBER ? undefined : value;
  create(ctx, intent.name, intent.image, { ...intent.options, ...(target ? { target } : {}) }, intent.remote);
}

function create(ctx: AppContext, name: string, image: string, options: NewInstanceOptions & { target?: string }, remote?: string): void {
  status(ctx, options.target ? `Creating ${name} on ${options.target}…` : `Creating ${name}…`);
  if (remote === undefined) {
    void ctx.controller.createInstance(name, image, ...createOptions(options));
    return;
  }
  void createFromRemote(ctx, name, image, options, remote);
}

/**
 * From another remote's image: that remote is asked for the image's address, certificate and (for
 * a private image) a one-time secret; this daemon pulls it. The secret is withdrawn if nothing used it.
 */
async function createFromRemote(ctx: AppContext, name: string, image: string, options: NewInstanceOptions & { target?: string }, remote: string): Promise<void> {
  let api: LxdApi;
  try {
    api = await ctx.openRemote!(remote);
  } catch (err) {
    return status(ctx, `${name}: ${remote}: ${err instanceof Error ? err.message : String(err)}`, 'error');
  }
  try {
    const client = api as Partial<LxdClient>;
    if (typeof client.request !== 'function' || client.transport === undefined) throw new Error(`${remote}: not a daemon connection`);
    const source = await remoteImageSource(api as LxdClient, image);
    // The secret stays valid on the source until cancelled (the daemons keep it after the download).
    await ctx.controller.createInstance(name, image, { ...options, remote: source });
    if (source.secretOperation) await api.cancelOperation(source.secretOperation).catch(() => undefined);
  } catch (err) {
    status(ctx, `${name}: ${err instanceof Error ? err.message : String(err)}`, 'error');
  } finally {
    void api.close().catch(() => undefined);
  }
}
