// Where the lxc, incus and lxtop configurations live. (The local daemons' sockets: src/lxd/socket.ts.)
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ConfigSource } from './types.js';

export type Env = Record<string, string | undefined>;

function home(env: Env): string {
  return env.HOME && env.HOME.length > 0 ? env.HOME : homedir();
}

/**
 * `$LXD_CONF` / `$INCUS_CONF` name the CLI's configuration *directory* (as lxc and incus read them);
 * a value that is a file, or ends in .yml / .yaml, is taken as the config.yml itself.
 */
function fromEnv(value: string): { file: string; dir: string } {
  let isFile = /\.ya?ml$/i.test(value);
  try {
    if (statSync(value).isFile()) isFile = true;
  } catch {
    // missing: decided by the name
  }
  return isFile ? { file: value, dir: dirname(value) } : { file: join(value, 'config.yml'), dir: value };
}

function source(kind: ConfigSource['kind'], envValue: string | undefined, defaults: string[]): ConfigSource {
  if (envValue && envValue.length > 0) {
    const { file, dir } = fromEnv(envValue);
    return { kind, file, dir, exists: existsSync(file) };
  }
  const dirs = defaults;
  const found = dirs.find((d) => existsSync(join(d, 'config.yml'))) ?? dirs[0];
  const file = join(found, 'config.yml');
  return { kind, file, dir: found, exists: existsSync(file) };
}

/** The three configurations, in precedence order: lxtop, lxc, incus. */
export function configSources(env: Env = process.env): ConfigSource[] {
  const h = home(env);
  return [
    lxtopSource(env),
    // The snap's lxc keeps its configuration under ~/snap/lxd/common/config.
    source('lxc', env.LXD_CONF, [join(h, '.config', 'lxc'), join(h, 'snap', 'lxd', 'common', 'config')]),
    source('incus', env.INCUS_CONF, [join(h, '.config', 'incus')]),
  ];
}

/** lxtop's own configuration: `$LXTOP_CONF` (directory or file) or `~/.config/lxtop/config.yml`. */
export function lxtopSource(env: Env = process.env): ConfigSource {
  return source('lxtop', env.LXTOP_CONF, [join(home(env), '.config', 'lxtop')]);
}
