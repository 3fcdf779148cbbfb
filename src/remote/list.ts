// `lxtop remote list`: every remote of every configuration, the default marked.
import type { LoadedConfig, RemoteEntry } from '../config/index.js';

function sourceLabel(r: RemoteEntry, config: LoadedConfig): string {
  if (r.source === 'builtin') return '(built-in: the local daemon)';
  if (!r.shadowed) return r.file;
  const winner = config.remotes.find((o) => o.name === r.name && !o.shadowed);
  return `${r.file} (shadowed by ${winner?.source === 'builtin' ? 'built-in' : winner?.file})`;
}

/** Plain-text table: NAME, ADDR, PROTOCOL, PROJECT, SOURCE; the default remote gets `(default)`. */
export function formatRemoteList(config: LoadedConfig): string {
  const rows = config.remotes.map((r) => [
    r.name + (r.name === config.defaultRemote && !r.shadowed ? ' (default)' : ''),
    r.addr,
    r.protocol || '-',
    r.project ?? (r.protocol === 'simplestreams' ? '-' : 'default'),
    sourceLabel(r, config),
  ]);
  const header = ['NAME', 'ADDR', 'PROTOCOL', 'PROJECT', 'SOURCE'];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  return all.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}
