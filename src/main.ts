#!/usr/bin/env node
// The program's entry. A one-off `lxtop ssh://…` starts ssh here, before the CLI's code loads
// (src/ssh/early.ts): on a quiet machine Node spends ~60 ms loading that code, time the ssh
// handshake can use. The CLI loads once ssh is started, so it finds that tunnel (not a second
// one). Everything else is src/cli.tsx.
import { oneOffSshAddress } from './ssh/one-off.js';

const address = oneOffSshAddress(process.argv.slice(2), process.env);
const sshStarted = address === null ? null : import('./ssh/early.js').then((m) => m.startEarly(address), () => undefined);
void (sshStarted ?? Promise.resolve()).then(() => import('./cli.js'));
