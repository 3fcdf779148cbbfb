// `lxtop remote list`: every remote of every configuration, the default marked. A name several
// configurations define is listed once per configuration: `local`, then `local@incus` (its id).
import type { LoadedConfig, RemoteEntry } from '../config/index.js';

function sourceLabel(r: RemoteEntry, config: LoadedConfig): string {
  if (r.source === 'builtin') return '(built-in: the local daemon)';
  if (!r.shadowed) return r.file;
  const winner = config.remotes.find((o) => o.name === r.name && !o.shadowed);
  return `${r.file} (plain "${r.name}" is ${winner?.source === 'lxtop' ? "lxtop's" : `${winner?.source}'s`})`;
}

/** Plain-text table: NAME, ADDR, PROTOCOL, PROJECT, SOURCE; the default remote gets `(default)`. */
export function formatRemoteList(config: LoadedConfig): string {
  // The built-in `local` only stands in when no configuration defines one.
  const listed = config.remotes.filter((r) => !(r.source === 'builtin' && r.shadowed));
  const rows = listed.map((r) => [
    r.id + (r.id === config.defaultRemote ? ' (default)' : ''),
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
