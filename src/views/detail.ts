// The detail view's text: config, devices, profiles, snapshots and the full state of one instance,
// as plain lines (pure; the component scrolls them).
import type { InstanceDetail } from '../store/index.js';
import { formatBytes, formatDate } from './format.js';

function section(title: string, body: string[]): string[] {
  return [title, ...(body.length ? body : ['  (none)']), ''];
}

function kv(record: Record<string, unknown> | null | undefined, indent = '  '): string[] {
  if (!record) return [];
  return Object.keys(record)
    .sort()
    .map((k) => `${indent}${k}: ${String(record[k])}`);
}

export function detailLines(detail: InstanceDetail): string[] {
  const i = detail.instance;
  const lines: string[] = [];
  const head = [
    `  name: ${i.name}`,
    `  status: ${i.status}`,
    `  type: ${i.type}`,
    `  architecture: ${i.architecture}`,
    `  project: ${i.project}`,
    `  location: ${i.location}`,
    `  created: ${formatDate(i.created_at)}`,
    `  last used: ${formatDate(i.last_used_at)}`,
  ];
  if (i.description) head.push(`  description: ${i.description}`);
  if (i.ephemeral) head.push('  ephemeral: true');
  lines.push(...section('Instance', head));
  lines.push(...section('Profiles', (i.profiles ?? []).map((p) => `  ${p}`)));
  lines.push(...section('Config', kv(i.config)));
  const devices = i.expanded_devices ?? i.devices ?? {};
  const deviceLines: string[] = [];
  for (const name of Object.keys(devices).sort()) {
    const own = i.devices && name in i.devices ? '' : ' (from profile)';
    deviceLines.push(`  ${name}${own}:`);
    deviceLines.push(...kv(devices[name], '    '));
  }
  lines.push(...section('Devices', deviceLines));
  const snaps = [...(detail.snapshots ?? [])].sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
  lines.push(
    ...section(
      `Snapshots (${snaps.length})`,
      snaps.map((s) => `  ${s.name}  ${formatDate(s.created_at)}${s.stateful ? '  stateful' : ''}${s.size ? `  ${formatBytes(s.size)}` : ''}`),
    ),
  );
  const st = detail.state;
  const state: string[] = [];
  if (!st) state.push('  (not available)');
  else {
    state.push(`  status: ${st.status}`, `  pid: ${st.pid}`, `  processes: ${st.processes}`);
    if (st.cpu) state.push(`  cpu usage: ${(st.cpu.usage / 1e9).toFixed(2)}s`);
    if (st.memory) {
      const m = st.memory;
      state.push(
        `  memory: ${formatBytes(m.usage)}${m.usage_peak ? ` (peak ${formatBytes(m.usage_peak)})` : ''}${m.total ? ` of ${formatBytes(m.total)}` : ''}`,
      );
      if (m.swap_usage) state.push(`  swap: ${formatBytes(m.swap_usage)}`);
    }
    for (const [name, d] of Object.entries(st.disk ?? {})) {
      state.push(`  disk ${name}: ${formatBytes(d?.usage)}${d?.total ? ` of ${formatBytes(d.total)}` : ''}`);
    }
    for (const [name, n] of Object.entries(st.network ?? {})) {
      if (!n) continue;
      const addrs = (n.addresses ?? []).map((a) => `${a.address}/${a.netmask}`).join(', ');
      const c = n.counters;
      state.push(
        `  ${name}: ${n.state ?? ''}${n.hwaddr ? ` ${n.hwaddr}` : ''}${addrs ? ` ${addrs}` : ''}${
          c ? `  rx ${formatBytes(c.bytes_received)} tx ${formatBytes(c.bytes_sent)}` : ''
        }`,
      );
    }
  }
  lines.push(...section('State', state));
  return lines;
}
