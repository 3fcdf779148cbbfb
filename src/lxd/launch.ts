// Launching an instance from an image, on the same server or pulled from another LXD/Incus server
// used as an image server: the target daemon downloads the image itself over HTTPS, checking the
// source's certificate; a private image needs a one-time secret made on the source
// (POST /1.0/images/FINGERPRINT/secret). See docs/lxd-api.md ("Launch from another remote").
import { EXT, hasExtension } from './capabilities.js';
import type { LxdClient } from './client.js';
import { LxdError } from './errors.js';
import { isObject } from './normalize.js';
import { reachableUrl } from './transfer.js';
import type { ServerInfo } from './types.js';

const seg = encodeURIComponent;

/** Where the image comes from when it is on another server. */
export interface RemoteImageSource {
  server: string;
  protocol: 'lxd' | 'incus';
  certificate: string;
  fingerprint: string;
  /** Set for a private image. */
  secret?: string;
  /** The source's operation holding the secret (cancelled when the launch fails to start). */
  secretOperation?: string;
}

export interface LaunchSpec {
  name: string;
  /**
   * On the target itself: an alias or a fingerprint (a word from the command line: a fingerprint
   * when it reads as one), or said which; ignored when `remote` is set.
   */
  image: string | { alias: string } | { fingerprint: string };
  remote?: RemoteImageSource;
  vm?: boolean;
  profiles?: string[];
  config?: Record<string, string>;
}

/** The `source` of a create that pulls the image from another server (with its secret if private). */
export function pullSource(r: RemoteImageSource): Record<string, unknown> {
  const source: Record<string, unknown> = { type: 'image', mode: 'pull', server: r.server, protocol: r.protocol, certificate: r.certificate, fingerprint: r.fingerprint };
  if (r.secret !== undefined) source.secret = r.secret;
  return source;
}

/** An image named on the command line: a fingerprint (or its prefix) when it reads as one, else an alias. */
export function imageRef(word: string): { alias: string } | { fingerprint: string } {
  return /^[0-9a-f]{12,64}$/.test(word) ? { fingerprint: word } : { alias: word };
}

/** The body of `POST /1.0/instances` for a new instance from an image (client.ts createInstance). */
export function launchBody(spec: LaunchSpec, target: Pick<ServerInfo, 'apiExtensions'>): Record<string, unknown> {
  const image = typeof spec.image === 'string' ? imageRef(spec.image) : spec.image;
  const source: Record<string, unknown> = spec.remote ? pullSource(spec.remote) : { type: 'image', ...image };
  const body: Record<string, unknown> = { name: spec.name, source };
  if (hasExtension(target, EXT.instances)) body.type = spec.vm ? 'virtual-machine' : 'container';
  else if (spec.vm) throw new LxdError('this server has no virtual machines (no "instances" API extension)', { kind: 'protocol', local: true });
  // An empty list is kept: an instance with no profiles (absent: the server's default profile).
  if (spec.profiles !== undefined) body.profiles = spec.profiles;
  if (spec.config && Object.keys(spec.config).length > 0) body.config = spec.config;
  return body;
}

/** The cloud-init user-data key the server knows: `cloud-init.user-data`, else LXD 5.0's `user.user-data`. */
export function userDataKey(info: Pick<ServerInfo, 'apiExtensions'>): string {
  return hasExtension(info, 'cloud_init') ? 'cloud-init.user-data' : 'user.user-data';
}

/**
 * Resolves IMAGE (an alias or a fingerprint, possibly a prefix) on the source server and, for a
 * private image, makes the secret the target presents when it downloads it.
 */
export async function remoteImageSource(from: LxdClient, image: string): Promise<RemoteImageSource> {
  const info = await from.server();
  const q = hasExtension(info, EXT.projects) ? `?project=${seg(from.project)}` : '';
  let fingerprint = image;
  const alias = await from.request<unknown>('GET', `/1.0/images/aliases/${seg(image)}${q}`).catch(() => null);
  if (alias && isObject(alias.metadata) && typeof alias.metadata.target === 'string') fingerprint = alias.metadata.target;
  const read = await from.request<unknown>('GET', `/1.0/images/${seg(fingerprint)}${q}`).catch((err: unknown) => {
    throw new LxdError(`image "${image}" not found on the source: ${(err as Error).message}`, { kind: 'protocol', local: true });
  });
  const img = isObject(read.metadata) ? read.metadata : {};
  if (typeof img.fingerprint === 'string') fingerprint = img.fingerprint;
  const env = (info.raw.environment ?? {}) as Record<string, unknown>;
  const out: RemoteImageSource = {
    server: await reachableUrl(from),
    protocol: info.kind === 'incus' ? 'incus' : 'lxd',
    certificate: typeof env.certificate === 'string' ? env.certificate : '',
    fingerprint,
  };
  if (img.public !== true) {
    const res = await from.request<unknown>('POST', `/1.0/images/${seg(fingerprint)}/secret${q}`, { body: {} });
    const meta = isObject(res.metadata) && isObject(res.metadata.metadata) ? res.metadata.metadata : {};
    if (typeof meta.secret !== 'string') throw new LxdError(`the source gave no secret for image ${fingerprint}`, { kind: 'protocol', local: true });
    out.secret = meta.secret;
    if (isObject(res.metadata) && typeof res.metadata.id === 'string') out.secretOperation = res.metadata.id;
  }
  return out;
}
