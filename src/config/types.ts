// Remotes as lxtop reads them from the lxc / incus CLIs' configuration and its own, and the target a
// connection is made to. Nothing here does I/O.

/** Which configuration a remote came from. `builtin` is the implicit `local` (unix socket) remote. */
export type SourceKind = 'lxtop' | 'lxc' | 'incus' | 'builtin';

export interface ConfigSource {
  kind: Exclude<SourceKind, 'builtin'>;
  /** The config.yml path (it may not exist). */
  file: string;
  /** Its directory: client.crt / client.key / servercerts/ live here. */
  dir: string;
  exists: boolean;
  /** `default-remote` as written in this file, if any. */
  defaultRemote?: string;
}

export interface RemoteEntry {
  name: string;
  /**
   * What the remote is called on the command line and in the fleet's REMOTE column: `name`, or
   * `name@source` (`local@incus`) when a configuration of higher precedence defines the same name.
   */
  id: string;
  /** `unix://`, `unix:///path/unix.socket`, `https://host:port` or `ssh://[user@]host[:port][/path]`. */
  addr: string;
  /** lxd | incus | simplestreams (anything else is kept as written). */
  protocol: string;
  public: boolean;
  /** `tls` unless the file says otherwise. */
  authType: string;
  project?: string;
  source: SourceKind;
  /** The file it came from, or `(built-in)`. */
  file: string;
  /** Directory of that file (client certificate and server pins), '' for built-in. */
  dir: string;
  /** True when a source of higher precedence defines the same name (lxtop > lxc > incus > built-in). */
  shadowed: boolean;
}

export interface LoadedConfig {
  sources: ConfigSource[];
  /** Every remote of every source, in precedence order, shadowed ones included. */
  remotes: RemoteEntry[];
  /** The effective default remote (its id: `name`, or `name@source` when a file's own entry is shadowed). */
  defaultRemote: string;
  /** Where the default came from. */
  defaultFrom: SourceKind;
  /** Files that did not parse or had bad entries: each message names the file (and line). */
  warnings: string[];
}

export interface TargetOptions {
  /** `--remote NAME` or the `NAME:` positional. Default: the configuration's default remote. */
  remote?: string;
  /** `--project P`: overrides the remote's project. */
  project?: string;
  /** `--all-projects`. */
  allProjects?: boolean;
  /** The fleet view: several `NAME:` positionals, or `--fleet` (empty: every configured remote). */
  fleet?: string[];
}

export interface UnixTarget {
  kind: 'unix';
  /** Socket path; undefined = find the local daemon (LXD first, then Incus, unless `server` says). */
  socket?: string;
  /** Which daemon the socket belongs to, when the remote says (lxc → lxd, incus → incus). */
  server?: 'lxd' | 'incus';
  /**
   * With `server` and no socket: when none of that daemon's sockets answers, try the other's too.
   * Set for a default remote (`local` from default-remote), not for one the user named.
   */
  fallback?: boolean;
  /** For "no daemon found": which remote wanted it, and a hint line. */
  wanted?: string;
  hint?: string;
  project?: string;
  allProjects: boolean;
  /** The remote name this was resolved from. */
  remote: string;
  /** Set when the name the user typed is defined by several configurations: which one this is. */
  note?: string;
}

export interface HttpsTarget {
  kind: 'https';
  /** `https://host:port` (no trailing slash). */
  url: string;
  /** Client certificate and key, PEM. */
  cert: string;
  key: string;
  /**
   * The pinned server certificate, PEM (`servercerts/<remote>.crt`). Every connection must present
   * exactly this certificate. null: no pin on disk, so the system CAs and host name decide.
   */
  serverCert: string | null;
  project?: string;
  allProjects: boolean;
  remote: string;
  /** Files behind the PEMs above, for messages. */
  certFile: string;
  keyFile: string;
  serverCertFile: string | null;
  protocol: string;
  /** As UnixTarget's. */
  note?: string;
}

/** A daemon reached through the system ssh client (src/ssh): its socket forwarded to a local one. */
export interface SshTarget {
  kind: 'ssh';
  /** `ssh://[user@]host[:port][/path/to/unix.socket]`, as written. */
  url: string;
  project?: string;
  allProjects: boolean;
  remote: string;
  /** As UnixTarget's. */
  note?: string;
}

export type Target = UnixTarget | HttpsTarget | SshTarget;

export class ConfigError extends Error {
  override name = 'ConfigError';
}
