// The Node.js builds pinned in binary/<name>/ (npm registry packages, checked against the integrity in
// that folder's package-lock.json), installed on first use the way scripts/build-binary.mjs does.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './pty.js';

/** The `node` of binary/<name> (node22-x64, node24-x64, …), installed when missing. */
export function pinnedNode(name: string): string {
  const project = join(repoRoot, 'binary', name);
  const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { optionalDependencies?: Record<string, string>; cpu?: string }>;
  };
  const pkg = Object.keys(lock.packages[''].optionalDependencies ?? {})[0];
  const bin = join(project, 'node_modules', pkg, 'bin', 'node');
  if (!existsSync(bin)) {
    const cpu = lock.packages[`node_modules/${pkg}`].cpu ?? process.arch;
    execFileSync('npm', ['ci', '--no-bin-links', '--no-audit', '--no-fund', '--ignore-scripts', `--cpu=${cpu}`, '--os=linux'], { cwd: project, stdio: 'ignore', timeout: 300_000 });
  }
  return bin;
}
