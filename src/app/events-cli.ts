// `lxtop events [--type lifecycle,operation,logging] [--format pretty|json]`: the daemon's events
// as they come, like `lxc monitor --pretty` (one line each: time, type, where, instance, action,
// requestor), or one JSON object per line, the frame as the daemon sent it. Until Ctrl-C; a
// stream that cannot connect at all is an error (exit 1), one that drops later reconnects.
import type { LxdApi } from '../lxd/api.js';
import type { EventType } from '../lxd/types.js';
import { eventLine, eventRow } from '../store/event-log.js';
import { UsageError } from '../console/args.js';
import { parseOrUsage, untilStopped, type Connector } from './subcommand.js';

export const EVENTS_USAGE = `Usage: lxtop events [options]

Prints the daemon's events as they come, until Ctrl-C (like lxc monitor --pretty).

Options:
      --type LIST      lifecycle, operation, logging, comma-separated (default: all three)
      --format FORMAT  pretty (default) or json: one JSON object per line, as the daemon sent it
      --all-projects   the events of every project
  -h, --help           this help`;

const TYPES: readonly EventType[] = ['lifecycle', 'operation', 'logging'];

export interface EventsArgs {
  types: EventType[];
  format: 'pretty' | 'json';
  help: boolean;
}

export function parseEventsArgs(args: readonly string[]): EventsArgs {
  const out: EventsArgs = { types: [...TYPES], format: 'pretty', help: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = () => {
      const v = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '-h' || flag === '--help') out.help = true;
    else if (flag === '--type') {
      const types = value().split(',').map((t) => t.trim()).filter(Boolean);
      const bad = types.find((t) => !(TYPES as readonly string[]).includes(t));
      if (bad !== undefined) throw new UsageError(`unknown event type "${bad}" (lifecycle, operation, logging)`);
      out.types = types as EventType[];
    } else if (flag === '--format') {
      const f = value();
      if (f !== 'pretty' && f !== 'json') throw new UsageError(`--format is pretty or json, got "${f}"`);
      out.format = f;
    } else throw new UsageError(a.startsWith('-') ? `unknown option ${a}` : `unexpected argument "${a}"`);
  }
  return out;
}

/** Prints events until `signal` aborts; rejects when the stream never connected. */
export function runEvents(api: LxdApi, args: EventsArgs, run: { write(text: string): void; warn(text: string): void; signal: AbortSignal; allProjects: boolean }): Promise<number> {
  return new Promise((resolve, reject) => {
    const stream = api.events({ types: args.types, ...(run.allProjects ? { allProjects: true } : {}) });
    let seq = 0;
    let connected = false;
    stream.onEvent((e) => {
      run.write(args.format === 'json' ? `${JSON.stringify(e)}\n` : `${eventLine(eventRow(e, ++seq, Date.now()))}\n`);
    });
    stream.onStatus((status, error) => {
      if (status === 'connected') connected = true;
      if (status !== 'disconnected') return;
      if (!connected) {
        stream.close();
        reject(new Error(`events: ${error?.message ?? 'the daemon refused the event stream'}`));
      } else run.warn(`lxtop: events: disconnected${error ? ` (${error.message})` : ''}, reconnecting (events meanwhile are lost)\n`);
    });
    run.signal.addEventListener('abort', () => {
      stream.close();
      resolve(0);
    }, { once: true });
  });
}

export async function eventsMain(words: readonly string[], connect: Connector, allProjects: boolean): Promise<number> {
  const args = parseOrUsage(words, parseEventsArgs, EVENTS_USAGE);
  if (typeof args === 'number') return args;
  const api = await connect(undefined, { long: true });
  return untilStopped(api, (signal) =>
    runEvents(api, args, { write: (t) => process.stdout.write(t), warn: (t) => process.stderr.write(t), signal, allProjects }),
  );
}
