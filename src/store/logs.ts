// Reading an instance's logs for the logs view: the main log file (lxc.log for a container,
// qemu.log for a VM, as `lxc info --show-log`) or the console log. Not polled by the sampler: the
// view reads while it is open (a ranged read of a log file is a file read for the daemon, no
// helper fork: far below the budget's unit, a `/state`).
import type { LxdApi } from '../lxd/api.js';
import { mainLogFile, type LogText } from '../lxd/logs.js';
import { parseInstanceKey, type InstanceKey } from './state.js';

export type LogKind = 'log' | 'console';

export interface InstanceLogText extends LogText {
  /** `lxc.log`, `qemu.log`, `console`. */
  file: string;
}

/** A reader of one instance's log, from byte `from` on (the console log comes whole). */
export function instanceLogReader(api: LxdApi, key: InstanceKey, kind: LogKind): (from: number) => Promise<InstanceLogText> {
  const { project, name } = parseInstanceKey(key);
  let file: Promise<string> | null = null;
  return async (from) => {
    if (kind === 'console') {
      if (!api.consoleLog) throw new Error('this connection cannot read console logs');
      return { ...(await api.consoleLog(name, { project })), file: 'console' };
    }
    if (!api.instanceLog) throw new Error('this connection cannot read instance logs');
    file ??= api.getInstance(name, { project }).then((got) => mainLogFile(got.instance.type));
    file.catch(() => (file = null));
    const f = await file;
    return { ...(await api.instanceLog(name, f, { project, from })), file: f };
  };
}
