// `lxtop edit [KIND] [REMOTE:]NAME`: an instance's configuration (as `lxc config edit`), a profile,
// network, storage pool or volume, or a project, in $EDITOR, saved with the ETag it was read with
// (src/edit/loop.ts: nothing typed is lost to a concurrent change, invalid YAML or a refusal).
import { splitRemote, UsageError } from '../console/args.js';
import { editorCommand } from '../edit/editor.js';
import { editObject } from '../edit/run.js';
import type { LxdApi } from '../lxd/api.js';
import { describeTarget, editStem, type EditKind, type EditTarget } from '../lxd/editable.js';
import { parseOrUsage, type Connector } from './subcommand.js';

export const EDIT_USAGE = `Usage: lxtop edit [KIND] [remote:]NAME [options]

Edits an object's configuration in $VISUAL or $EDITOR (else editor, vi or nano), as lxc config edit
does, and saves it only if nobody changed it meanwhile (its ETag): on a concurrent change the editor
opens again with the server's version and your edit beside it, which is also kept in a file.

KIND: instance (the default), profile, network, pool (a storage pool), volume (POOL/NAME, a custom
storage volume), project.

Options:
      --project NAME   project of the instance, profile, network or volume
  -h, --help           this help`;

const KINDS: Record<string, EditKind> = {
  instance: 'instance',
  profile: 'profile',
  network: 'network',
  pool: 'storage-pool',
  volume: 'storage-volume',
  project: 'project',
};

export interface EditArgs {
  remote?: string;
  target: EditTarget;
  help: boolean;
}

export function parseEditArgs(words: readonly string[]): EditArgs {
  const rest: string[] = [];
  let project: string | undefined;
  let help = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '-h' || w === '--help') help = true;
    else if (w === '--project') {
      project = words[++i];
      if (!project) throw new UsageError('--project needs a value');
    } else if (w.startsWith('--project=')) project = w.slice('--project='.length);
    else if (w.startsWith('-')) throw new UsageError(`unknown option ${w}`);
    else rest.push(w);
  }
  const empty: EditArgs = { target: { kind: 'instance', name: '' }, help };
  if (help) return empty;
  if (rest.length === 0) throw new UsageError('what to edit? lxtop edit [KIND] [remote:]NAME');
  if (rest.length > 2) throw new UsageError(`unexpected argument "${rest[2]}"`);
  const kind = rest.length === 2 ? KINDS[rest[0]] : 'instance';
  if (!kind) throw new UsageError(`unknown kind "${rest[0]}": instance, profile, network, pool, volume or project`);
  const { remote, name: full } = splitRemote(rest[rest.length - 1]);
  if (remote === '') throw new UsageError(`bad name "${rest[rest.length - 1]}": empty remote before ":"`);
  let name = full;
  let pool: string | undefined;
  if (kind === 'storage-volume') {
    const slash = full.indexOf('/');
    if (slash <= 0 || slash === full.length - 1) throw new UsageError(`a volume is named POOL/NAME, got "${full}"`);
    pool = full.slice(0, slash);
    name = full.slice(slash + 1);
  }
  if (name === '') throw new UsageError('what to edit? lxtop edit [KIND] [remote:]NAME');
  const target: EditTarget = { kind, name, ...(pool ? { pool } : {}), ...(project ? { project } : {}) };
  return { ...(remote ? { remote } : {}), target, help };
}

export async function editMain(words: readonly string[], connect: Connector): Promise<number> {
  const args = parseOrUsage(words, parseEditArgs, EDIT_USAGE);
  if (typeof args === 'number') return args;
  const editor = editorCommand();
  if (editor === null) {
    process.stderr.write('lxtop: no editor: set VISUAL or EDITOR (none of editor, vi, nano is on the PATH)\n');
    return 1;
  }
  const api = await connect(args.remote, { long: true });
  try {
    return await editWith(api, args.target, editor);
  } finally {
    await api.close().catch(() => undefined);
  }
}

/** The edit loop on one object through `api`; prints the outcome, returns the exit code. */
export async function editWith(api: LxdApi, target: EditTarget, editor: string): Promise<number> {
  if (!api.readEditable || !api.writeEditable) throw new Error('this connection cannot edit');
  const read = api.readEditable.bind(api);
  const write = api.writeEditable.bind(api);
  const io = { read: () => read(target), write: (body: Record<string, unknown>, etag: string | null) => write(target, body, etag) };
  const outcome = await editObject(describeTarget(target), editStem(target), io, editor);
  // The CLI's lines as they were: saved and unchanged on stdout, the rest on stderr.
  if (outcome.ok) process.stdout.write(`lxtop: ${outcome.message}\n`);
  else process.stderr.write(`lxtop: ${outcome.message}\n`);
  return outcome.ok ? 0 : 1;
}
