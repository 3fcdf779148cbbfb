// The flight recorder: every lifecycle, operation and logging frame of the controller's event
// stream (the one it already has: the daemon drops a stream the client writes to, and a second
// one would double its work), reduced to a row — time, location, project, instance, type, action,
// requestor — newest first, the last EVENT_LOG_SIZE kept. Pure.
import type { LxdEvent } from '../lxd/types.js';
import { eventProject, parseSource } from './events.js';

export const EVENT_LOG_SIZE = 10_000;

export interface EventRow {
  /** Counts the frames seen: a stable key. */
  seq: number;
  /** Epoch ms of the frame's timestamp (arrival when it has none). */
  at: number;
  type: string;
  /** The cluster member (`location`; empty when not clustered). */
  location: string;
  project: string;
  /** The instance the frame is about, or ''. */
  instance: string;
  /** The lifecycle action, the operation's description and status, the log message's level. */
  action: string;
  /** Who asked: `username@address (protocol)`, or ''. */
  requestor: string;
  /** The rest in words: source, an operation's error, a log message. */
  detail: string;
  /** The remote it came from, in the fleet view (which joins every remote's log). */
  remote?: string;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function requestorOf(r: Record<string, unknown> | null | undefined): string {
  if (!r) return '';
  const who = [text(r.username), text(r.address)].filter(Boolean).join('@');
  const protocol = text(r.protocol);
  return protocol && who ? `${who} (${protocol})` : who || protocol;
}

/** The row of one frame. */
export function eventRow(e: LxdEvent, seq: number, arrivedAt: number): EventRow {
  const parsed = typeof e.timestamp === 'string' ? Date.parse(e.timestamp) : NaN;
  const at = Number.isFinite(parsed) ? parsed : arrivedAt;
  const location = e.location && e.location !== 'none' ? e.location : '';
  const base = { seq, at, type: String(e.type), location, requestor: '' };
  if (e.type === 'lifecycle') {
    const ref = parseSource(e.metadata?.source);
    const instance = ref.kind === 'instance' || ref.kind === 'snapshot' ? ref.name : '';
    return { ...base, project: eventProject(e, ref), instance, action: text(e.metadata?.action), requestor: requestorOf(e.metadata?.requestor), detail: text(e.metadata?.source) };
  }
  if (e.type === 'operation') {
    const op = e.metadata;
    const urls = op?.resources?.instances ?? op?.resources?.containers ?? [];
    const ref = parseSource(Array.isArray(urls) ? urls[0] : undefined);
    const instance = ref.kind === 'instance' ? ref.name : '';
    return { ...base, project: eventProject(e, ref), instance, action: `${text(op?.description)} ${text(op?.status)}`.trim(), detail: text(op?.err) };
  }
  if (e.type === 'logging') {
    const m = e.metadata;
    const ctx = m?.context ?? {};
    const instance = text(ctx.instance) || text(ctx.name);
    const extra = Object.entries(ctx).filter(([k]) => k !== 'instance').map(([k, v]) => `${k}=${String(v)}`).join(' ');
    return { ...base, project: text(ctx.project) || eventProject(e), instance, action: text(m?.level), detail: [text(m?.message), extra].filter(Boolean).join('  ') };
  }
  return { ...base, project: eventProject(e), instance: '', action: '', detail: '' };
}

/** A daemon's debug line (`logging`, level debug): not recorded by the TUI. */
export function isDebugLine(e: LxdEvent): boolean {
  return e.type === 'logging' && e.metadata?.level === 'debug';
}

/** A lifecycle or operation frame of another project than `project` (the stream may carry every
 *  project's for the events view; the panes show one). Logging frames belong to the server. */
export function isOtherProject(e: LxdEvent, project: string): boolean {
  if (e.type !== 'lifecycle' && e.type !== 'operation') return false;
  return typeof e.project === 'string' && e.project !== '' && e.project !== project;
}

/** The log with `row` in front, the oldest dropped past the size. */
export function recordEvent(log: readonly EventRow[], row: EventRow, size = EVENT_LOG_SIZE): EventRow[] {
  lowerHay(row);
  return [row, ...(log.length >= size ? log.slice(0, size - 1) : log)];
}

/** `HH:MM:SS.mmm` in local time. */
export function eventTime(at: number): string {
  const d = new Date(at);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** One line of `lxtop events` (pretty, like lxc monitor --pretty): time, type, where, what. */
export function eventLine(r: EventRow): string {
  const where = [r.location, r.project].filter(Boolean).join('/');
  const parts = [eventTime(r.at), r.type.padEnd(9), where, r.instance || '-', r.action, r.requestor ? `by ${r.requestor}` : '', r.detail];
  return parts.filter((p) => p !== '').join('  ');
}

const hays = new WeakMap<EventRow, string>();

/** What the filter looks in: every field but the time. */
function hayText(r: EventRow): string {
  return `${r.remote ?? ''} ${r.type} ${r.location} ${r.project} ${r.instance} ${r.action} ${r.requestor} ${r.detail}`;
}

/** The haystack lower-cased, made once a row (when it is recorded: the first filter key would
 *  otherwise make 10,000 of them, ~25 ms). */
function lowerHay(r: EventRow): string {
  let hay = hays.get(r);
  if (hay === undefined) {
    hay = hayText(r).toLowerCase();
    hays.set(r, hay);
  }
  return hay;
}

/** Rows whose instance, type, action, requestor or detail contain `text` (smart case). */
export function filterEvents(log: readonly EventRow[], text: string): readonly EventRow[] {
  if (text === '') return log;
  if (text === text.toLowerCase()) return log.filter((r) => lowerHay(r).includes(text));
  // Case-sensitive: only rows that match folded can match, so the exact text is made for those alone.
  const folded = text.toLowerCase();
  return log.filter((r) => lowerHay(r).includes(folded) && hayText(r).includes(text));
}

const remoteRows = new WeakMap<EventRow, EventRow>();

/** Every remote's log as one, newest first, each row tagged with its remote, the last `size`. */
export function joinLogs(logs: readonly { remote: string; log: readonly EventRow[] }[], size = EVENT_LOG_SIZE): EventRow[] {
  const at = logs.map(() => 0);
  const out: EventRow[] = [];
  while (out.length < size) {
    let pick = -1;
    for (let i = 0; i < logs.length; i++) {
      const row = logs[i].log[at[i]];
      if (row && (pick === -1 || row.at > logs[pick].log[at[pick]].at)) pick = i;
    }
    if (pick === -1) break;
    const row = logs[pick].log[at[pick]++];
    let tagged = remoteRows.get(row);
    if (!tagged) {
      tagged = { ...row, remote: logs[pick].remote };
      remoteRows.set(row, tagged);
      lowerHay(tagged);
    }
    out.push(tagged);
  }
  return out;
}
