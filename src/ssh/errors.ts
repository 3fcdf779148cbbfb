// ssh's failures in words: what went wrong first, then ssh's own lines (a changed host key is
// shown as ssh says it, nothing is accepted on the user's behalf).

export class SshError extends Error {
  override name = 'SshError';
  constructor(
    message: string,
    /** What kind of failure, for callers and tests. */
    readonly reason: 'hostkey' | 'auth' | 'unreachable' | 'no-socket' | 'socket-denied' | 'ssh',
  ) {
    super(message);
  }
}

/** ssh's stderr without its banners (`@@@…`, `@ WARNING … @`) and blank lines. */
export function sshLines(stderr: string): string[] {
  return stderr
    .split(/\r?\n/)
    .map((l) => l.trimEnd().replace(/^@\s+(.*?)\s+@$/, '$1'))
    .filter((l) => l.trim() !== '' && !/^@+$/.test(l.trim()));
}

/** Why ssh ended before the link was up, from its exit code and what it wrote on stderr. */
export function sshFailure(url: string, stderr: string, code: number | null, signal: string | null): SshError {
  const lines = sshLines(stderr);
  const text = lines.join('\n');
  const quoted = lines.map((l) => `  ssh: ${l}`).join('\n');
  const say = (what: string, reason: SshError['reason'], hint = '') =>
    new SshError(`${url}: ${what}${hint ? ` ${hint}` : ''}${quoted ? `\n${quoted}` : ''}`, reason);
  if (/HOST IDENTIFICATION HAS CHANGED|Host key verification failed|host key .* (is not known|has changed)|No \S+ host key is known/i.test(text)) {
    const changed = /HAS CHANGED|has changed/i.test(text);
    return say(
      changed ? 'ssh refused the host key: it has changed since it was recorded in known_hosts' : 'ssh refused the host key: it is not known',
      'hostkey',
      changed ? '(check with the host\'s administrator before changing known_hosts)' : '(connect once with ssh to check and accept it; lxtop never accepts a key itself)',
    );
  }
  if (/Permission denied \(|Too many authentication failures|no more authentication methods/i.test(text)) {
    return say('authentication refused (lxtop runs ssh in batch mode: keys or agent only, no password prompt)', 'auth');
  }
  if (/Connection refused|timed out|Could not resolve|No route to host|Network is unreachable|Connection closed by|Connection reset/i.test(text)) {
    return say('cannot reach the ssh server', 'unreachable');
  }
  const how = signal ? `killed by ${signal}` : `exit ${code ?? '?'}`;
  return say(`ssh ended before the link was up (${how})`, 'ssh');
}
