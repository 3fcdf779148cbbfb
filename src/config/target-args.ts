// The target options of a command line (`NAME:`, --remote, --project, --all-projects, --fleet). Apart from
// resolve.ts: the CLI needs this at every start, and resolve.ts brings the configuration loader and
// its YAML parser with it, which only a remote or the O key need.
import { ConfigError, type TargetOptions } from './types.js';

/**
 * Takes the target options out of a command line: `NAME:` (a positional ending in a colon),
 * `--remote NAME`, `--project P`, `--all-projects` (also in `--opt=value` form), and the fleet
 * view (`--fleet`, or several `NAME:`). Returns them and the remaining arguments, in order.
 * `NAME:` and a different `--remote` together are an error.
 */
export function parseTargetArgs(args: string[]): { options: TargetOptions; rest: string[] } {
  const options: TargetOptions = {};
  const rest: string[] = [];
  const positionals: string[] = [];
  let fleet = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      rest.push(...args.slice(i));
      break;
    }
    const m = /^--(remote|project)(?:=(.*))?$/.exec(a);
    if (m) {
      const value = m[2] ?? args[++i];
      if (value === undefined || value.length === 0) throw new ConfigError(`--${m[1]} needs a value`);
      if (m[1] === 'remote') options.remote = value;
      else options.project = value;
    } else if (a === '--all-projects') {
      options.allProjects = true;
    } else if (a === '--fleet') {
      fleet = true;
    } else if (/^ssh:\/\//i.test(a)) {
      // `lxtop ssh://admin@host`: a one-off remote, no configuration entry.
      if (options.remote !== undefined && options.remote !== a) throw new ConfigError(`conflicting remotes: ${a} and ${options.remote}`);
      options.remote = a;
    } else if (!a.startsWith('-') && /^[^:/]+:$/.test(a)) {
      if (!positionals.includes(a.slice(0, -1))) positionals.push(a.slice(0, -1));
    } else {
      rest.push(a);
    }
  }
  if (fleet || positionals.length > 1) {
    if (options.remote !== undefined) {
      throw new ConfigError('the fleet view takes remotes as NAME: arguments (an ssh:// address: lxtop remote add NAME ssh://… first), not --remote');
    }
    options.fleet = positionals;
    return { options, rest };
  }
  const positional = positionals[0];
  if (positional !== undefined) {
    if (options.remote !== undefined && options.remote !== positional) {
      throw new ConfigError(`conflicting remotes: ${positional}: and --remote ${options.remote}`);
    }
    options.remote = positional;
  }
  return { options, rest };
}
