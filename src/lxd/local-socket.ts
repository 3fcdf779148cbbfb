// One HTTP request on a local unix socket, written by hand, the socket then read into one reused
// buffer (net's `onread`): what a large transfer reads without Node's HTTP parser and stream
// machinery, which hand a body over 64 KiB at a time and a new buffer each (stream.ts rawDownload,
// sftp.ts's upgrade).
import type { Socket } from 'node:net';

/** Bytes a read: one buffer of this size, used again for every read. */
const READ_BUFFER = 4 * 1024 * 1024;

/** The answer's status line, its headers (names in lower case) and the bytes that came after them. */
export interface RawHead {
  status: string;
  headers: Record<string, string>;
  rest: Buffer;
}

/**
 * Sends `request` once connected. `onHead` gets the answer's head and returns what takes the bytes
 * read after it (a view of the reused buffer: copy what is kept), or null to close the socket. A
 * throw from either closes the socket with that error: the caller's 'error' handler sees it.
 */
export function localExchange(path: string, request: string, onHead: (head: RawHead) => ((chunk: Buffer) => void) | null): Socket {
  const { connect } = process.getBuiltinModule('node:net');
  let head: Buffer | null = Buffer.alloc(0);
  let body: ((chunk: Buffer) => void) | null = null;
  const sock = connect({
    path,
    onread: {
      buffer: Buffer.allocUnsafe(READ_BUFFER),
      callback: (read: number, buffer: Uint8Array): boolean => {
        try {
          const chunk = Buffer.from(buffer.buffer, buffer.byteOffset, read);
          if (body) {
            body(chunk);
            return true;
          }
          if (head === null) return false;
          head = Buffer.concat([head, chunk]); // a copy: the read buffer is used again
          const end = head.indexOf('\r\n\r\n');
          if (end === -1) return true;
          const lines = head.subarray(0, end).toString('latin1').split('\r\n');
          const rest = head.subarray(end + 4);
          head = null;
          const headers: Record<string, string> = {};
          for (const line of lines.slice(1)) {
            const colon = line.indexOf(':');
            if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
          }
          body = onHead({ status: lines[0], headers, rest });
          if (body) return true;
          sock.destroy();
          return false;
        } catch (err) {
          sock.destroy(err as Error);
          return false;
        }
      },
    },
  });
  sock.on('connect', () => sock.write(request));
  return sock;
}
