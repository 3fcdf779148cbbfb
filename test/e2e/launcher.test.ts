// The `lxtop` command (dist/lxtop, scripts/launcher.sh) moves NODE_EXTRA_CA_CERTS aside so that Node
// does not read it at every start (~50 ms here), and lxtop gives it back to what it starts. Seen from
// outside: a file that cannot be read makes Node warn at start when cli.js is run by node itself,
// not when run by the launcher; an $EDITOR lxtop starts (against the real LXD) gets the variable as
// the user set it. src/lxd/tls.ts's use of the moved file: test/unit/lxd/tls-extra-ca.test.ts.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { repoRoot } from '../support/pty.js';

const run = promisify(execFile);
const launcher = join(repoRoot, 'dist', 'lxtop');
const missing = '/nonexistent/lxtop-extra-ca.pem';
const dir = mkdtempSync(join(tmpdir(), 'lxtop-launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeOn(['lxd'], 'the lxtop launcher and NODE_EXTRA_CA_CERTS (built CLI)', () => {
  it('Node does not read the file at start through the launcher (it does when node runs cli.js)', async () => {
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: missing };
    const direct = await run(process.execPath, [join(repoRoot, 'dist', 'cli.js'), '--version'], { env });
    expect(direct.stderr).toMatch(/Ignoring extra certs from `\/nonexistent\/lxtop-extra-ca\.pem`/);
    const viaLauncher = await run(launcher, ['--version'], { env });
    expect(viaLauncher.stderr).toBe('');
    expect(viaLauncher.stdout).toMatch(/^lxtop \d+\.\d+\.\d+\n$/);
  });

  it('run through a link (as npm installs it), it finds the cli.js beside itself', async () => {
    const link = join(dir, 'lxtop');
    symlinkSync(launcher, link);
    const { stdout } = await run(link, ['--version'], { env: { ...process.env, NODE_EXTRA_CA_CERTS: missing } });
    expect(stdout).toMatch(/^lxtop \d+\.\d+\.\d+\n$/);
  });

  it('an editor lxtop starts gets NODE_EXTRA_CA_CERTS back as it was set', async () => {
    const socket = daemonSocket('lxd')!;
    const seen = join(dir, 'seen.txt');
    const editor = join(dir, 'editor.sh');
    // Says what it was given, and exits non-zero: the edit changes nothing.
    writeFileSync(editor, `#!/bin/sh\nprintf '%s' "$NODE_EXTRA_CA_CERTS" > '${seen}'\nexit 3\n`, { mode: 0o755 });
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: missing, EDITOR: editor, VISUAL: editor, NO_COLOR: '1' };
    const edit = await run(launcher, ['--socket', socket, 'edit', 'profile', 'default'], { env }).catch((err: { code: number; stderr: string }) => err);
    expect(edit.stderr).toMatch(/the editor exited with code 3: nothing changed/);
    expect(readFileSync(seen, 'utf8')).toBe(missing);
  }, 60_000);
});
