#!/usr/bin/env node
// The program's entry. A one-off `lxtop ssh://…` starts ssh here, before the CLI's code loads
// (src/ssh/early.ts): on a quiet machine Node spends ~60 ms loading that code, time the ssh
// handshake can use. The CLI loads once ssh is started, so it finds that tunnel (not a second
// one). Everything else is src/cli.tsx.
import { oneOffSshAddress } from './ssh/one-off.js';

// The `lxtop` launcher (scripts/launcher.sh) moved NODE_EXTRA_CA_CERTS aside so that Node would not
// read it at start; what lxtop starts (ssh, an editor, a session holder) gets it back as it was.
// src/lxd/tls.ts reads the certificates itself, from LXTOP_EXTRA_CA_CERTS, when a connection needs them.
if (process.env.LXTOP_EXTRA_CA_CERTS && !process.env.NODE_EXTRA_CA_CERTS) process.env.NODE_EXTRA_CA_CERTS = process.env.LXTOP_EXTRA_CA_CERTS;

const address = oneOffSshAddress(process.argv.slice(2), process.env);
const sshStarted = address === null ? null : import('./ssh/early.js').then((m) => m.startEarly(address), () => undefined);
void (sshStarted ?? Promise.resolve()).then(() => import('./cli.js'));
