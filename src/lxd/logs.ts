// An instance's log files (`/1.0/instances/NAME/logs/FILE`) and its console log
// (`GET /1.0/instances/NAME/console`): plain text, not an envelope, unless refused (an error
// envelope, read as any call's). The log files honour `Range: bytes=N-` (206 with Content-Range,
// 416 `bytes */SIZE` when nothing is past N), so following one reads only what is new; the console
// log does not (it comes whole).
import { parseResponse } from './request.js';
import type { RawResponse, Transport } from './transport.js';

export interface LogText {
  text: string;
  /** The file's size in bytes when the answer says (the offset to ask from next time). */
  size: number;
  /** The byte offset `text` starts at (0 unless a range was answered). */
  from: number;
}

function headerOf(raw: RawResponse, name: string): string {
  const v = raw.headers[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

/** The whole text of a 2xx answer, or the server's error (an LxdError) for anything else. */
function textOf(raw: RawResponse, path: string): string {
  // Incus answers an empty console log with 200, no body and a JSON content type.
  if (raw.status < 300 && raw.text === '') return '';
  if (raw.status >= 400 || headerOf(raw, 'content-type').includes('application/json')) {
    parseResponse(raw, 'GET', path); // throws the server's own error
  }
  return raw.text;
}

/**
 * Reads `path` from byte `from` on; a negative `from` reads the last -from bytes (a suffix range:
 * the end of a large log first). A file shorter than `from` (rotated: the instance started again)
 * comes whole, from 0: the caller sees `from` go back and starts over.
 */
export async function readLogText(transport: Transport, path: string, from = 0): Promise<LogText> {
  if (from < 0) {
    const raw = await transport.request('GET', path, { headers: { range: `bytes=${from}` } });
    const text = textOf(raw, path);
    const range = /(\d+)-\d+\/(\d+)/.exec(headerOf(raw, 'content-range'));
    if (raw.status === 206 && range) return { text, size: Number(range[2]), from: Number(range[1]) };
    return { text, size: Buffer.byteLength(text), from: 0 };
  }
  if (from === 0) {
    const text = textOf(await transport.request('GET', path), path);
    return { text, size: Buffer.byteLength(text), from: 0 };
  }
  const raw = await transport.request('GET', path, { headers: { range: `bytes=${from}-` } });
  const range = /(\d+)-\d+\/(\d+)|\*\/(\d+)/.exec(headerOf(raw, 'content-range'));
  if (raw.status === 416 && range?.[3] !== undefined) {
    const size = Number(range[3]);
    if (size >= from) return { text: '', size, from };
    return readLogText(transport, path, 0);
  }
  const text = textOf(raw, path);
  if (raw.status === 206 && range?.[1] !== undefined) return { text, size: Number(range[2]), from: Number(range[1]) };
  // A server that ignored the range sent it all.
  const size = Buffer.byteLength(text);
  if (size < from) return { text, size, from: 0 };
  return { text: Buffer.from(text).subarray(from).toString(), size, from };
}

/** `/1.0/instances/NAME/logs` lists URLs; the file names are their last segment. */
export function logFileNames(urls: unknown): string[] {
  if (!Array.isArray(urls)) return [];
  return urls.filter((u): u is string => typeof u === 'string').map((u) => decodeURIComponent(u.slice(u.lastIndexOf('/') + 1)));
}

/** The log `lxc info --show-log` shows: qemu.log for a VM, lxc.log for a container. */
export function mainLogFile(type: string): string {
  return type === 'virtual-machine' ? 'qemu.log' : 'lxc.log';
}
