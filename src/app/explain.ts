// Every failure the command line reports, in the user's terms: what went wrong (the server's own
// words), and what to do about it. A stack trace only with LXTOP_DEBUG=1: users get `lxtop: …`.
import type { Target } from '../config/types.js';
import { errorText, httpStatus, isNetworkError, isRefusal, NoDaemonError } from '../lxd/errors.js';

export { isRefusal };

/** Where lxtop was talking to when it failed, for the explanation. */
export interface FailureContext {
  /** The remote's name (`r`), or null for a socket named by `--socket` or the environment. */
  remote?: string | null;
  /** `https://host:port` or `unix:/path`. */
  address?: string | null;
  /** The client certificate lxtop presented (HTTPS remotes): PEM and the file it came from. */
  cert?: string | null;
  certFile?: string | null;
  project?: string | null;
}

/** The context of a resolved remote. */
export function targetContext(t: Target): FailureContext {
  if (t.kind === 'https') return { remote: t.remote, address: t.url, cert: t.cert, certFile: t.certFile, project: t.project ?? null };
  if (t.kind === 'ssh') return { remote: t.remote, address: t.url, project: t.project ?? null };
  return { remote: t.remote, address: t.socket ? `unix:${t.socket}` : null, project: t.project ?? null };
}

/** SHA-256 of the certificate's DER, as `lxc config trust list` shows it. */
export function pemFingerprint(pem: string): string {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  // Node's crypto only here, when a certificate is described: loading it costs every command ~8 ms at start.
  const { createHash } = process.getBuiltinModule('node:crypto');
  return createHash('sha256').update(Buffer.from(b64, 'base64')).digest('hex');
}

/** "remote r (https://…)", "the daemon at unix:/…", or "the daemon". */
function who(ctx: FailureContext): string {
  if (ctx.remote) return `remote ${ctx.remote}${ctx.address ? ` (${ctx.address})` : ''}`;
  return ctx.address ? `the daemon at ${ctx.address}` : 'the daemon';
}

/** One line for the status line of the view: the certificate and the ways out of a refusal. */
export function refusalHint(ctx: FailureContext): string | null {
  if (!ctx.cert) return null;
  return `certificate ${pemFingerprint(ctx.cert).slice(0, 12)}… of remote ${ctx.remote ?? '?'}: ask the server's administrator, or P for a project it may use`;
}

/** The hint lines for a refusal: the certificate used, and the ways out. */
function refusalHints(ctx: FailureContext): string[] {
  if (!ctx.cert) {
    return ['hint: is this user allowed to use the daemon (the lxd / incus-admin group, or root)?'];
  }
  const fp = pemFingerprint(ctx.cert);
  const name = ctx.remote ?? 'NAME';
  return [
    `  certificate: ${ctx.certFile ?? 'lxtop client.crt'} (fingerprint ${fp})`,
    `hint: ask the server's administrator to trust this certificate${ctx.project ? ` for project "${ctx.project}"` : ''}` +
      ` (lxc/incus config trust show ${fp.slice(0, 12)});`,
    '  pick a project it may use with --project NAME (--all-projects: every project it may see),',
    `  or add the remote again: lxtop remote remove ${name}; lxtop remote add ${name} ${ctx.address ?? 'URL'} --token TOKEN`,
  ];
}

/** What to say about `err`: the first line (the server's words, prefixed with who said them) and hints. */
export function explain(err: unknown, ctx: FailureContext = {}): { message: string; hints: string[] } {
  const text = errorText(err);
  if (isRefusal(err)) return { message: `${who(ctx)} refused: ${text}`, hints: refusalHints(ctx) };
  if (isNetworkError(err)) {
    // NoDaemonError lists the sockets tried and how to name one: nothing to add.
    if (err instanceof NoDaemonError) return { message: text, hints: [] };
    return { message: text, hints: [`hint: is ${who(ctx)} running and reachable? lxtop tries again when run again`] };
  }
  const status = httpStatus(err);
  if (status === 404) {
    return { message: `${who(ctx)}: ${text}`, hints: ['hint: the server does not have it: an older server, a name that changed, or not an LXD / Incus daemon at this address?'] };
  }
  if (status !== null && status >= 500) {
    return { message: `${who(ctx)} failed: ${text}`, hints: ["hint: the server's log says why; try again, or ask its administrator"] };
  }
  if (status !== null) return { message: `${who(ctx)}: ${text}`, hints: [] };
  const kind = (err as { kind?: unknown } | null)?.kind;
  if (kind === 'protocol') {
    return { message: `${who(ctx)}: ${text}`, hints: ['hint: the answer is not from an LXD or Incus daemon (a proxy, or another service at this address?)'] };
  }
  // lxtop's own errors (configuration, pins, a missing project, …) explain themselves; a TypeError
  // and the like is a bug, and the stack is what a report needs.
  const bug = !(err instanceof Error) || err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError || err instanceof SyntaxError;
  return { message: text, hints: bug ? ['hint: this is a bug in lxtop; LXTOP_DEBUG=1 shows where it happened (please report it)'] : [] };
}

/** The text to print on stderr: `lxtop: …` and the hints; the stack as well with LXTOP_DEBUG=1. */
export function failureText(err: unknown, ctx: FailureContext = {}, env: NodeJS.ProcessEnv = process.env): string {
  const { message, hints } = explain(err, ctx);
  const lines = [`lxtop: ${message}`, ...hints];
  if (env.LXTOP_DEBUG && err instanceof Error && err.stack) lines.push(err.stack);
  return `${lines.join('\n')}\n`;
}
