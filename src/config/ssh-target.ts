// An ssh:// address as a connection target. Apart from resolve.ts: a one-off `lxtop ssh://…`
// needs no configuration, so neither the loader nor its YAML parser.
import { parseSshUrl } from '../ssh/address.js';
import { ConfigError, type SshTarget } from './types.js';

/** Throws ConfigError when the address does not parse. */
export function sshTarget(url: string, remote: string, opts: { project?: string; allProjects?: boolean } = {}): SshTarget {
  try {
    parseSshUrl(url);
  } catch (err) {
    throw new ConfigError(remote === url ? (err as Error).message : `remote "${remote}": ${(err as Error).message}`);
  }
  return { kind: 'ssh', url, project: opts.project, allProjects: opts.allProjects === true, remote };
}
