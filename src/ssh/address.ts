// `ssh://[user@]host[:port][/path/to/unix.socket]`: a daemon reached through the system ssh client.
// Nothing here does I/O.

export interface SshAddress {
  /** As ssh takes it: `user@host` or `host` (a Host alias of ~/.ssh/config works too). */
  destination: string;
  /** `-p PORT`, when the address gives one (else ssh's config or 22). */
  port?: number;
  /** The daemon's socket on the far side; undefined: find it the way lxtop does locally. */
  socket?: string;
  /** `ssh://user@host:port/path`, for messages and headers. */
  url: string;
}

export class SshAddressError extends Error {
  override name = 'SshAddressError';
}

export function isSshUrl(text: string): boolean {
  return /^ssh:\/\//i.test(text);
}

/** Parses an ssh:// address; throws SshAddressError with what is wrong. */
export function parseSshUrl(text: string): SshAddress {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new SshAddressError(`${text}: not a valid address (expected ssh://[USER@]HOST[:PORT][/path/to/unix.socket])`);
  }
  if (u.protocol !== 'ssh:') throw new SshAddressError(`${text}: not an ssh:// address`);
  if (u.hostname === '') throw new SshAddressError(`${text}: no host`);
  if (u.password) throw new SshAddressError(`${text}: no password in the address (lxtop uses your ssh keys or agent)`);
  if (u.search || u.hash) throw new SshAddressError(`${text}: unexpected ?query or #fragment`);
  // A host beginning with '-' would be taken by ssh as an option.
  if (u.hostname.startsWith('-') || decodeURIComponent(u.username).startsWith('-')) throw new SshAddressError(`${text}: invalid host or user`);
  const user = decodeURIComponent(u.username);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const path = decodeURIComponent(u.pathname);
  const socket = path === '' || path === '/' ? undefined : path;
  const port = u.port === '' ? undefined : Number(u.port);
  const destination = user ? `${user}@${host}` : host;
  const url = `ssh://${user ? `${user}@` : ''}${u.host}${socket ?? ''}`;
  return { destination, port, socket, url };
}
