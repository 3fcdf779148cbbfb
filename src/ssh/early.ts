// A one-off `lxtop ssh://…` starts its ssh from the program's entry (src/main.ts), before the
// CLI's own code loads: the handshake, the longest wait before the first frame, runs meanwhile.
// connectSsh() takes the tunnel started here for the same address; one nobody takes (a usage
// error, --help) is ended with the others at exit (cleanup.ts).
import { parseSshUrl } from './address.js';
import { SshTunnel } from './tunnel.js';

const started = new Map<string, Promise<SshTunnel>>();

export function startEarly(text: string): void {
  let address;
  try {
    address = parseSshUrl(text);
  } catch {
    return; // the CLI says what is wrong with it
  }
  const opening = SshTunnel.open(address);
  opening.catch(() => undefined); // whoever takes it sees the failure
  started.set(address.url, opening);
}

/** The tunnel started early for this address, once (null: none, or already taken). */
export function takeEarly(text: string): Promise<SshTunnel> | null {
  let url: string;
  try {
    url = parseSshUrl(text).url;
  } catch {
    return null;
  }
  const opening = started.get(url) ?? null;
  started.delete(url);
  return opening;
}
