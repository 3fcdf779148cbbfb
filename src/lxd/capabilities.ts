// What a server can do, read from `GET /1.0`. Optional paths and query parameters are chosen by
// `api_extensions`, never by version numbers (distributions backport extensions).
import type { ServerInfo, ServerKind } from './types.js';

/** API extensions lxtop looks at, by the feature they enable. */
export const EXT = {
  /** `/1.0/instances` (LXD ≥ 3.19); before it only `/1.0/containers`. */
  instances: 'instances',
  /** `?project=` and `/1.0/projects`. */
  projects: 'projects',
  /** `/1.0/instances?all-projects=true`. */
  instanceAllProjects: 'instance_all_projects',
  /** `/1.0/operations?all-projects=true` (not in LXD 5.0). */
  operationsAllProjects: 'operations_get_query_all_projects',
  /** `/1.0/images?all-projects=true`. */
  imagesAllProjects: 'images_all_projects',
  /** `recursion=2` on the instance list: each entry with its state, snapshots and backups. */
  instanceFull: 'container_full',
  /** `?filter=` on collections (`status eq Running`). */
  apiFiltering: 'api_filtering',
  /** `/1.0/cluster`, `?target=`. */
  clustering: 'clustering',
  /** exec `user`, `group`, `cwd`. */
  execUserGroupCwd: 'container_exec_user_group_cwd',
  /** `PATCH` on instances. */
  patch: 'patch',
  /** `type: virtual-machine`. */
  virtualMachines: 'virtual-machines',
  /** `GET /1.0/metrics`: OpenMetrics text, `?project=`, `?target=` (see metrics.ts). */
  metrics: 'metrics',
  /** `GET /1.0/instances/NAME/console`: the console log. */
  console: 'console',
  /** `/1.0/warnings`. */
  warnings: 'warnings',
  /** `/1.0/resources`, `/1.0/storage-pools/NAME/resources`. */
  resources: 'resources',
  /** `load` (averages, processes) in `/1.0/resources` (Incus 6; not LXD 5.0). */
  resourcesLoad: 'resources_load',
  /** `GET /1.0/cluster/members/NAME/state`: load, processes, pools' use (Incus 6; LXD 5.0 answers 501). */
  memberState: 'cluster_member_state',
} as const;

export function hasExtension(info: Pick<ServerInfo, 'apiExtensions'>, ext: string): boolean {
  return info.apiExtensions.includes(ext);
}

/** `/1.0/instances`, or `/1.0/containers` on servers without the `instances` extension. */
export function instancesPath(info: Pick<ServerInfo, 'apiExtensions'>): '/1.0/instances' | '/1.0/containers' {
  return hasExtension(info, EXT.instances) ? '/1.0/instances' : '/1.0/containers';
}

function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

/** Lifts what lxtop uses out of `GET /1.0` metadata. Untrusted clients get no `environment`. */
export function parseServerInfo(meta: unknown, project: string): ServerInfo {
  const raw = (meta && typeof meta === 'object' ? meta : {}) as Record<string, unknown>;
  const env = (raw.environment && typeof raw.environment === 'object' ? raw.environment : {}) as Record<string, unknown>;
  const kind: ServerKind = env.server === 'incus' ? 'incus' : 'lxd';
  const extensions = Array.isArray(raw.api_extensions) ? raw.api_extensions.filter((e): e is string => typeof e === 'string') : [];
  return {
    kind,
    version: str(env.server_version),
    apiExtensions: extensions,
    auth: str(raw.auth, 'untrusted'),
    serverName: str(env.server_name),
    clustered: env.server_clustered === true,
    certificateFingerprint: typeof env.certificate_fingerprint === 'string' ? env.certificate_fingerprint : null,
    project: str(env.project, project),
    raw,
  };
}
