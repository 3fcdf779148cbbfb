// What a copy of an instance must keep, read from the daemon: its config without the volatile
// keys (a copy gets its own MAC addresses, idmap, uuid), devices, profiles and type.
import { unixApi } from './unix-api.js';

export async function comparable(socket: string, name: string): Promise<unknown> {
  const m = (await unixApi(socket, 'GET', `/1.0/instances/${name}`)).metadata as { config: Record<string, string>; devices: unknown; profiles: unknown; type: string };
  const config = Object.fromEntries(Object.entries(m.config).filter(([k]) => !k.startsWith('volatile.')));
  return { config, devices: m.devices, profiles: m.profiles, type: m.type };
}
