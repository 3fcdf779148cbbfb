// What happens before an exec websocket opens: is the instance there and running, does the server
// support the options asked for, which command runs by default. And what happens after: the exit
// code, read from the finished operation the same way on LXD and Incus.
import type { ExecOptions, LxdApi } from '../lxd/api.js';
import { errorText, httpStatus } from '../lxd/errors.js';
import type { Operation, OperationOutcome, ServerKind } from '../lxd/types.js';
import { keyLabel } from '../keys/keys.js';
import { command } from '../keys/registry.js';

export type ConsoleReason = 'exited' | 'detached' | 'lost' | 'refused' | 'not-found';

export interface ConsoleResult {
  exitCode: number | null;
  message: string;
  reason: ConsoleReason;
}

export interface ExecTarget {
  instance: string;
  command?: string[];
  user?: number;
  group?: number;
  cwd?: string;
  env?: Record<string, string>;
  project?: string;
}

/**
 * Without a command: bash when the instance has it, else sh, decided inside the instance by one
 * tiny sh script that replaces itself with the shell, so it costs no extra round trip.
 */
export const DEFAULT_SHELL = ['/bin/sh', '-c', 'if [ -x /bin/bash ]; then exec /bin/bash; fi; exec /bin/sh'];

const USER_GROUP_CWD_EXTENSION = 'container_exec_user_group_cwd';

function isNotFound(err: unknown): boolean {
  const status = httpStatus(err);
  if (status !== null) return status === 404;
  return /not found/i.test(errorText(err));
}

/** The command line that starts (or unfreezes) an instance, for the "is stopped" / "is frozen" messages. */
export function startHint(kind: ServerKind | undefined, instance: string, project?: string): string {
  const tool = kind === 'incus' ? 'incus' : 'lxc';
  const proj = project !== undefined && project !== 'default' ? ` --project ${project}` : '';
  return `${tool} start ${instance}${proj}`;
}

export interface Prepared {
  /** Set when the session must not start: the result to report. */
  refusal: ConsoleResult | null;
  kind: ServerKind | undefined;
  /** What to send in the exec request, less `interactive` / `width` / `height`. */
  exec: Omit<ExecOptions, 'interactive' | 'width' | 'height'>;
}

/**
 * No round trip on the way in (server info is cached by the client): the exec request itself says
 * whether the instance exists and runs; refusalFor explains a refusal afterwards. (Asking for the
 * instance's state first cost ~45 ms on Incus, which gathers disk and network usage for it.)
 */
export async function prepare(api: LxdApi, target: ExecTarget, term: string | undefined): Promise<Prepared> {
  const wantsUgc = target.user !== undefined || target.group !== undefined || target.cwd !== undefined;
  const server = await api.server().catch(() => undefined);
  const kind = server?.kind;
  if (wantsUgc && server !== undefined && !server.apiExtensions.includes(USER_GROUP_CWD_EXTENSION)) {
    const message = `this server lacks the ${USER_GROUP_CWD_EXTENSION} extension: --user, --group and --cwd are not supported`;
    return { kind, exec: { command: [] }, refusal: { exitCode: null, reason: 'refused', message } };
  }

  const environment: Record<string, string> = {};
  if (term !== undefined && term !== '') environment.TERM = term;
  Object.assign(environment, target.env ?? {});
  const exec: Prepared['exec'] = {
    command: target.command !== undefined && target.command.length > 0 ? target.command : DEFAULT_SHELL,
    environment,
  };
  if (target.user !== undefined) exec.user = target.user;
  if (target.group !== undefined) exec.group = target.group;
  if (target.cwd !== undefined) exec.cwd = target.cwd;
  if (target.project !== undefined) exec.project = target.project;
  return { refusal: null, kind, exec };
}

/**
 * The result for an exec request the server turned down. "Instance is not running" (or "is
 * frozen", both HTTP 400) is explained from the instance's state: how to start it, with which tool.
 */
export async function refusalFor(api: LxdApi, err: unknown, instance: string, project?: string): Promise<ConsoleResult> {
  if (isNotFound(err)) return { exitCode: null, reason: 'not-found', message: `instance ${instance} not found: ${errorText(err)}` };
  const status = httpStatus(err);
  if (status === null || status < 400 || status >= 500) {
    return { exitCode: null, reason: 'lost', message: `connection lost: ${errorText(err)}` };
  }
  const refused = (message: string): ConsoleResult => ({ exitCode: null, reason: 'refused', message });
  const state = await api.instanceState(instance, project !== undefined ? { project } : undefined).catch(() => null);
  if (state === null || state.status === 'Running') return refused(`exec refused: ${errorText(err)}`);
  const kind = (await api.server().catch(() => undefined))?.kind;
  const lower = state.status.toLowerCase();
  // `lxc start` / `incus start` unfreezes a frozen instance too.
  if (lower === 'frozen') return refused(`instance ${instance} is frozen; unfreeze it with: ${startHint(kind, instance, project)}`);
  return refused(
    `instance ${instance} is ${lower}; start it with: ${startHint(kind, instance, project)}` +
      `, or press ${keyLabel(command('start').keys[0])} on it in lxtop`,
  );
}

function metadataReturn(op: Operation | null | undefined): number | null {
  const meta = op?.metadata;
  if (meta === null || meta === undefined) return null;
  const ret = (meta as Record<string, unknown>).return;
  return typeof ret === 'number' ? ret : null;
}

export interface ExecEnd {
  /** null when the operation did not finish in time or could not be read. */
  exitCode: number | null;
  finished: boolean;
  /** The operation ended in Failure: the server could not run the command (e.g. not found). */
  failed: boolean;
  commandNotFound: boolean;
  err: string;
}

/** Pure: the exit code from what waiting (and maybe a GET) told. */
export function exitFrom(outcome: OperationOutcome | null, op: Operation | null): ExecEnd {
  const err = outcome?.err || op?.err || '';
  const status = outcome?.status ?? (op?.status as OperationOutcome['status'] | undefined) ?? 'Running';
  const finished = status !== 'Running';
  const commandNotFound = /command not found/i.test(err);
  let exitCode = outcome?.returnCode ?? metadataReturn(outcome?.operation) ?? metadataReturn(op);
  if (commandNotFound) exitCode = 127;
  if (exitCode !== null && exitCode < 0) exitCode = finished && err !== '' ? 1 : null;
  return { exitCode, finished, failed: status === 'Failure', commandNotFound, err };
}

/**
 * Waits for the exec operation to end and reads its exit code. Incus answers `/wait` on a failed
 * operation with an error body and no metadata: then the operation is read with a plain GET.
 */
export async function execEnd(api: LxdApi, operationId: string, timeoutSeconds: number): Promise<ExecEnd> {
  let outcome: OperationOutcome | null = null;
  let waitError: unknown = null;
  try {
    outcome = await api.waitOperation(operationId, timeoutSeconds);
  } catch (err) {
    waitError = err;
  }
  let end = exitFrom(outcome, null);
  if (end.exitCode === null && (outcome === null || end.finished)) {
    try {
      const op = await api.getOperation(operationId);
      end = exitFrom(outcome, op);
    } catch (err) {
      if (outcome === null) throw waitError ?? err;
    }
  }
  return end;
}

export function exitMessage(end: ExecEnd, command: string[] | undefined): string {
  if (end.commandNotFound) return `command not found: ${command?.[0] ?? 'shell'}`;
  if (end.exitCode !== null) return `exit code ${end.exitCode}`;
  if (end.err !== '') return `failed: ${end.err}`;
  return 'ended (exit code unknown)';
}

/** Rejects when `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
