// Reads remotes from lxtop's own config.yml and the lxc / incus CLIs' ones (same format). A file
// that does not parse, or a bad entry, becomes a warning naming the file and line; the other
// sources still count.
import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type YAMLMap } from 'yaml';
import { configSources, type Env } from './paths.js';
import type { ConfigSource, LoadedConfig, RemoteEntry } from './types.js';

export interface LoadOptions {
  env?: Env;
}

const defaultProtocol: Record<ConfigSource['kind'], string> = { lxtop: '', lxc: 'lxd', incus: 'incus' };

/** `cannot parse F (line L, column C): message` for the first error of a YAML document. */
export function describeYamlError(file: string, err: { message: string; linePos?: [{ line: number; col: number }, ...unknown[]] }): string {
  const first = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const pos = err.linePos?.[0];
  return pos ? `${file}:${pos.line}:${pos.col}: ${first}` : `${file}: ${first}`;
}

/** Parses one config file's text. Returns the document, or a warning when it does not parse. */
export function parseConfigText(file: string, text: string): { doc: Document; lines: LineCounter } | { error: string } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length > 0) return { error: describeYamlError(file, doc.errors[0] as never) };
  const root = doc.contents;
  if (root !== null && !isMap(root) && !(isScalar(root) && (root.value === null || root.value === ''))) {
    return { error: `${file}:1:1: expected a mapping (default-remote, remotes), not ${typeof doc.toJS()}` };
  }
  return { doc, lines };
}

function lineOf(lines: LineCounter, node: unknown): string {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return '';
  const { line, col } = lines.linePos(range[0]);
  return `:${line}:${col}`;
}

function readSource(src: ConfigSource, warnings: string[]): RemoteEntry[] {
  if (!src.exists) return [];
  let text: string;
  try {
    text = readFileSync(src.file, 'utf8');
  } catch (err) {
    warnings.push(`${src.file}: cannot read: ${(err as Error).message}`);
    return [];
  }
  const parsed = parseConfigText(src.file, text);
  if ('error' in parsed) {
    warnings.push(parsed.error);
    return [];
  }
  const { doc, lines } = parsed;
  if (!isMap(doc.contents)) return [];
  const root = doc.contents as YAMLMap;
  const dflt = root.get('default-remote');
  if (typeof dflt === 'string' && dflt.length > 0) src.defaultRemote = dflt;
  else if (dflt !== undefined && dflt !== null) {
    warnings.push(`${src.file}${lineOf(lines, root.get('default-remote', true))}: default-remote must be a string`);
  }
  const remotesNode = root.get('remotes', true);
  if (remotesNode === undefined || remotesNode === null || (isScalar(remotesNode) && remotesNode.value === null)) return [];
  if (!isMap(remotesNode)) {
    warnings.push(`${src.file}${lineOf(lines, remotesNode)}: remotes must be a mapping of name to {addr, protocol, ...}`);
    return [];
  }
  const out: RemoteEntry[] = [];
  for (const pair of remotesNode.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const where = `${src.file}${lineOf(lines, pair.key)}`;
    const value = pair.value;
    if (!isMap(value)) {
      warnings.push(`${where}: remote "${name}" must be a mapping with at least addr`);
      continue;
    }
    const v = value.toJSON() as Record<string, unknown>;
    if (typeof v.addr !== 'string' || v.addr.length === 0) {
      warnings.push(`${where}: remote "${name}" has no addr`);
      continue;
    }
    if (/[:/]/.test(name) || name.length === 0) {
      warnings.push(`${where}: remote name "${name}" may not contain ':' or '/'`);
      continue;
    }
    out.push({
      name,
      id: name,
      addr: v.addr,
      protocol: typeof v.protocol === 'string' && v.protocol ? v.protocol : defaultProtocol[src.kind],
      public: v.public === true,
      authType: typeof v.auth_type === 'string' && v.auth_type ? v.auth_type : 'tls',
      project: typeof v.project === 'string' && v.project ? v.project : undefined,
      source: src.kind,
      file: src.file,
      dir: src.dir,
      shadowed: false,
    });
  }
  return out;
}

const builtinLocal: RemoteEntry = {
  name: 'local',
  id: 'local',
  addr: 'unix://',
  protocol: '',
  public: false,
  authType: 'tls',
  source: 'builtin',
  file: '(built-in)',
  dir: '',
  shadowed: false,
};

/**
 * Every remote of lxtop's config, then lxc's, then incus's, then the built-in `local` (the local
 * daemon's unix socket). A name defined twice resolves to the first; later ones are `shadowed` and
 * keep their own id, `name@source` (lxc's `local` and incus's `local` are two daemons: both stay
 * reachable, `local` and `local@incus`). The default remote is the first `default-remote` (same
 * order) that names a known remote, taken as that file's own entry when it has one, else `local`.
 */
export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  const env = opts.env ?? process.env;
  const sources = configSources(env);
  const warnings: string[] = [];
  const remotes: RemoteEntry[] = [];
  for (const src of sources) remotes.push(...readSource(src, warnings));
  remotes.push({ ...builtinLocal });
  const seen = new Set<string>();
  for (const r of remotes) {
    r.shadowed = seen.has(r.name);
    r.id = r.shadowed ? `${r.name}@${r.source}` : r.name;
    seen.add(r.name);
  }
  const config: LoadedConfig = { sources, remotes, defaultRemote: 'local', defaultFrom: 'builtin', warnings };
  for (const src of sources) {
    if (!src.defaultRemote) continue;
    const entry = remotes.find((r) => r.source === src.kind && r.name === src.defaultRemote) ?? findRemote(config, src.defaultRemote);
    if (entry) {
      config.defaultRemote = entry.id;
      config.defaultFrom = src.kind;
      break;
    }
    warnings.push(`${src.file}: default-remote "${src.defaultRemote}" is not a known remote; ignored`);
  }
  return config;
}

const qualified = /^(.+)@(lxtop|lxc|incus|builtin)$/;

/**
 * The entry a name resolves to: the unshadowed remote of that name, else `name@source` picks that
 * configuration's own (`local@incus`, or `local@lxc` even when lxc's is the one `local` means).
 * Remote names may not hold ':' or '/', so `@` is the separator; a remote really named `a@lxc` wins.
 */
export function findRemote(config: LoadedConfig, name: string): RemoteEntry | undefined {
  const plain = config.remotes.find((r) => r.name === name && !r.shadowed);
  if (plain) return plain;
  const m = qualified.exec(name);
  return m ? config.remotes.find((r) => r.name === m[1] && r.source === m[2]) : undefined;
}

/** The other entries the same name has (lxc's `local` and incus's `local`), built-in apart. */
export function namesakes(config: LoadedConfig, entry: RemoteEntry): RemoteEntry[] {
  return config.remotes.filter((r) => r.name === entry.name && r !== entry && r.source !== 'builtin');
}

/**
 * The remotes a person can pick (the fleet, the O key): every configured daemon under its id,
 * image servers and the shadowed built-in `local` left out, and a shadowed entry left out when it
 * is the same HTTPS endpoint and project as one already listed (a remote copied into lxtop's config).
 */
export function daemonRemotes(config: LoadedConfig): RemoteEntry[] {
  const out: RemoteEntry[] = [];
  const endpoint = (r: RemoteEntry) => (/^https:/i.test(r.addr) ? `${r.addr.replace(/\/+$/, '')} ${r.project ?? 'default'}` : null);
  for (const r of config.remotes) {
    if (r.protocol === 'simplestreams' || (r.shadowed && r.source === 'builtin')) continue;
    const at = endpoint(r);
    if (r.shadowed && at !== null && out.some((o) => endpoint(o) === at)) continue;
    out.push(r);
  }
  return out;
}
