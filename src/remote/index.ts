// `lxtop remote list | add | remove | switch`. The CLI calls remoteMain with the arguments after
// `remote`; it returns the exit code.
import { existsSync } from 'node:fs';
import { ConfigError, findRemote, loadConfig, lxtopSource, serverCertFile, withDefaultRemote, withoutRemote, writeAllOrNothing } from '../config/index.js';
import { addRemote, AddError } from './add.js';
import { parseRemoteArgs, usage, UsageError } from './args.js';
import { processIo, type RemoteIo } from './io.js';
import { formatRemoteList } from './list.js';
import { PinMismatchError, UnreachableError } from './tls.js';

export type { RemoteIo } from './io.js';
export { HttpsClient, ServerError, type HttpsRemote } from './https.js';
export {
  fetchServerCertificate,
  fingerprintDer,
  fingerprintPem,
  explainPinFailure,
  PinMismatchError,
  UnreachableError,
} from './tls.js';
export { generateClientCertificate } from './client-cert.js';
export { formatRemoteList } from './list.js';

function removeRemote(name: string, io: RemoteIo): void {
  const src = lxtopSource(io.env);
  const entry = findRemote(loadConfig({ env: io.env }), name);
  if (!entry || entry.source !== 'lxtop') {
    throw new ConfigError(
      entry ? `remote "${name}" is defined in ${entry.file}, not in lxtop's ${src.file}; remove it with that CLI` : `remote "${name}" not found in ${src.file}`,
    );
  }
  // entry.name: `x@lxtop` names the same entry as `x`.
  const pin = serverCertFile(src.dir, entry.name);
  writeAllOrNothing([{ path: src.file, content: withoutRemote(src.file, entry.name), mode: 0o644 }], existsSync(pin) ? [pin] : []);
  io.out(`Remote ${name} removed (the server still trusts lxtop's certificate until its administrator removes it).\n`);
}

function switchRemote(name: string, io: RemoteIo): void {
  const src = lxtopSource(io.env);
  if (!findRemote(loadConfig({ env: io.env }), name)) throw new ConfigError(`remote "${name}" not found (see lxtop remote list)`);
  writeAllOrNothing([{ path: src.file, content: withDefaultRemote(src.file, name), mode: 0o644 }]);
  io.out(`Default remote: ${name}\n`);
}

export async function remoteMain(args: string[], ioOverrides: Partial<RemoteIo> = {}): Promise<number> {
  const io: RemoteIo = { ...processIo(), ...ioOverrides };
  try {
    const parsed = parseRemoteArgs(args);
    switch (parsed.cmd) {
      case 'help':
        io.out(usage);
        return 0;
      case 'list': {
        const config = loadConfig({ env: io.env });
        for (const w of config.warnings) io.err(`warning: ${w}\n`);
        io.out(formatRemoteList(config));
        return 0;
      }
      case 'remove':
        removeRemote(parsed.name, io);
        return 0;
      case 'switch':
        switchRemote(parsed.name, io);
        return 0;
      case 'add':
        if (parsed.ssh) await (await import('./add-ssh.js')).addSshRemote(parsed, io);
        else await addRemote(parsed, io);
        return 0;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`lxtop remote: ${err.message}\n\n${usage}`);
      return 2;
    }
    if (err instanceof PinMismatchError) {
      io.err(`${err.message}\n`);
      return 1;
    }
    const known = err instanceof AddError || err instanceof ConfigError || err instanceof UnreachableError;
    const e = err as Error;
    io.err(`lxtop remote ${args[0]}: ${known || !io.env.LXTOP_DEBUG ? (e?.message ?? String(err)) : e.stack}\n`);
    if (args[0] === 'add') io.err('Nothing was written.\n');
    return 1;
  }
}
export { connectTarget, connectOptions, type TargetConnectOptions } from './connect.js';
