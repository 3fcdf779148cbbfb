// The two ssh processes lxtop may run: the forward itself (`ssh -N -L`, one per tunnel) and, only
// to explain a failure, a probe (a few lines of sh on the far side: is the daemon's socket there,
// may this user open it). Both are started
// in a session of their own: the terminal's Ctrl-C and hang-up are lxtop's to handle, and ssh has
// no terminal to ask a password on.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { SshAddress } from './address.js';
import { forwardArgs, probeArgs, type ForwardPair, type SshSettings } from './command.js';
import { sshFailure, sshLines, SshError } from './errors.js';

export interface ProbeResult {
  status: 'ok' | 'denied' | 'none';
  path?: string;
}

/** Extra seconds past ssh's ConnectTimeout before lxtop gives up on it. */
const GRACE_S = 10;

function unrefAll(child: ChildProcess): void {
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();
}

/** Runs the probe; rejects with an SshError in ssh's words when ssh itself failed. */
export function probe(address: SshAddress, settings: SshSettings, paths: readonly string[]): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(settings.program, probeArgs(address, settings, paths), { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGTERM'), (settings.connectTimeout + GRACE_S) * 1000);
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-8192)));
    child.on('error', (err) => reject(new SshError(`${address.url}: cannot run ${settings.program}: ${err.message}`, 'ssh')));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const m = /^lxtop-socket (ok|denied|none) ?(.*)$/m.exec(stdout);
      if (m) resolve({ status: m[1] as ProbeResult['status'], path: m[2] || undefined });
      else reject(sshFailure(address.url, stderr, code, signal));
    });
  });
}

/** The error a probe's answer means, or null when the socket is there and may be opened. */
export function probeError(address: SshAddress, result: ProbeResult, paths: readonly string[]): SshError | null {
  if (result.status === 'ok') return null;
  if (result.status === 'denied') {
    return new SshError(
      `${address.url}: permission denied on ${result.path} (the ssh user needs to be in the daemon's group, e.g. lxd or incus-admin)`,
      'socket-denied',
    );
  }
  const where = paths.length === 1 ? `at ${paths[0]}` : `(tried ${paths.join(', ')}; give the path: ssh://HOST/path/to/unix.socket)`;
  return new SshError(`${address.url}: no LXD or Incus socket on the far side ${where}`, 'no-socket');
}

export interface Forward {
  child: ChildProcess;
}

/**
 * Starts `ssh -N -L local:remote …` and resolves once every local socket exists (ssh makes them
 * after authenticating); rejects with ssh's words when ssh ends first. `onLine`: ssh's later complaints.
 */
export function forward(address: SshAddress, settings: SshSettings, pairs: readonly ForwardPair[], onLine: (line: string) => void): Promise<Forward> {
  return new Promise((resolve, reject) => {
    // stdin a pipe lxtop never writes to: ssh -N does not read it, but keeps it as long as it runs.
    const child = spawn(settings.program, forwardArgs(address, settings, pairs), { detached: true, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    let settled = false;
    const ready = () => pairs.every(([local]) => existsSync(local));
    const finish = (err: SshError | null) => {
      if (settled) return;
      settled = true;
      watcher?.close();
      clearInterval(poll);
      clearTimeout(timer);
      if (err) reject(err);
      else resolve({ child });
    };
    // No event says "forward ready": the socket files appearing do. inotify tells at once; the
    // poll is for file systems without it.
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(dirname(pairs[0][0]), () => {
        if (ready()) finish(null);
      });
      watcher.on('error', () => undefined);
    } catch {
      // no watching here: the poll does
    }
    const poll = setInterval(() => {
      if (ready()) finish(null);
    }, 25);
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      finish(new SshError(`${address.url}: no answer from ssh within ${settings.connectTimeout + GRACE_S} s`, 'unreachable'));
    }, (settings.connectTimeout + GRACE_S) * 1000);
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      stderr = (stderr + c).slice(-8192);
      if (settled) for (const line of sshLines(c)) onLine(line);
    });
    child.on('error', (err) => finish(new SshError(`${address.url}: cannot run ${settings.program}: ${err.message}`, 'ssh')));
    child.once('exit', (code, signal) => finish(sshFailure(address.url, stderr, code, signal)));
    unrefAll(child);
  });
}
