// The holder's sessions by id, and who wants to hear when the list changes. Pure bookkeeping (no
// sockets, no daemon): unit-tested on its own.
import type { SessionInfo } from './types.js';

export interface Entry {
  info: SessionInfo;
  running: boolean;
}

export class SessionRegistry<S extends Entry> {
  private readonly sessions = new Map<string, S>();
  private next = 1;

  /** Ids are small numbers, never reused while the holder runs. */
  nextId(): string {
    return String(this.next++);
  }

  add(id: string, session: S): void {
    this.sessions.set(id, session);
  }

  get(id: string): S | undefined {
    return this.sessions.get(id) ?? [...this.sessions.values()].find((s) => s.info.name !== '' && s.info.name === id);
  }

  remove(id: string): boolean {
    return this.sessions.delete(id);
  }

  list(): SessionInfo[] {
    return [...this.sessions.values()].map((s) => s.info);
  }

  get size(): number {
    return this.sessions.size;
  }

  runningCount(): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.running) n++;
    return n;
  }
}

/** What `rename` accepts: a short word, not a number (ids are numbers). */
export function validName(name: string): string | null {
  if (name === '') return null; // clears the name
  if (!/^[A-Za-z][A-Za-z0-9._-]{0,31}$/.test(name)) return 'a session name is a letter then up to 31 letters, digits, ".", "_" or "-"';
  return null;
}
