// How an interactive session ends, once its data channel is done: the sockets closed the right
// way for the ending, and the command's exit code read from its operation.
import type { WebSocket } from 'ws';
import type { LxdApi } from '../lxd/api.js';
import { errorText } from '../lxd/errors.js';
import { execEnd, exitMessage, withTimeout, type ConsoleResult } from './prepare.js';

/** Why the session ended from our side or the network's; null: the command's EOF on fd 0. */
export type Ending = { reason: 'detached' | 'lost'; message: string } | null;

export interface FinishInput {
  operationId: string;
  /** The command run (for "command not found: …"). */
  command: string[] | undefined;
  ending: Ending;
  data: WebSocket | null;
  control: WebSocket | null;
  /** fd 0's EOF arrived. */
  remoteEof: boolean;
}

export async function finishInteractive(api: LxdApi, f: FinishInput): Promise<ConsoleResult> {
  const { ending, data } = f;
  if (ending !== null && ending.reason === 'lost') {
    // No closing handshake with a peer that may be gone (ws would wait 30 s for it).
    for (const ws of [data, f.control]) if (ws !== null) ws.terminate();
    // A command the server could not start (not found, bad user...) ends the same way: fd 0
    // closed without EOF. Then the operation failed; a lost connection leaves it running or, once
    // the server noticed and killed the command, a Success with 137. Asked briefly: the server
    // may be unreachable too.
    try {
      const end = await withTimeout(execEnd(api, f.operationId, 2), 3000);
      if (end.failed) return { exitCode: end.exitCode, reason: 'exited', message: exitMessage(end, f.command) };
    } catch {
      // the server is gone too
    }
    return { exitCode: null, ...ending };
  }
  // The server keeps the operation running until fd 0 is closed by us.
  if (data !== null && data.readyState === data.OPEN) {
    if (f.remoteEof) data.send('');
    data.close(1000);
  }
  let exitCode: number | null = null;
  let message = ending?.message ?? '';
  try {
    const end = await execEnd(api, f.operationId, ending === null ? 10 : 3);
    exitCode = end.exitCode;
    if (ending === null) {
      if (!end.finished) {
        return { exitCode: null, reason: 'lost', message: 'connection lost: the command ended but its operation did not finish' };
      }
      message = exitMessage(end, f.command);
    }
  } catch (err) {
    if (ending === null) return { exitCode: null, reason: 'lost', message: `connection lost: ${errorText(err)}` };
  }
  return ending === null ? { exitCode, reason: 'exited', message } : { exitCode, ...ending };
}
