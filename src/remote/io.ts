// What the remote commands read and write: injectable so tests drive the prompts.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Env } from '../config/index.js';

export interface RemoteIo {
  env: Env;
  out(text: string): void;
  err(text: string): void;
  /** True when a person can answer prompts. */
  interactive: boolean;
  /** y/N question; only called when interactive. */
  confirm(question: string): Promise<boolean>;
  /** A secret typed without echo; only called when interactive. */
  secret(question: string): Promise<string>;
}

function ask(question: string, hidden: boolean): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) process.stdout.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve, reject) => {
    rl.question(question, (answer) => {
      if (hidden) process.stdout.write('\n');
      rl.close();
      resolve(answer);
    });
    muted = hidden;
    rl.once('SIGINT', () => {
      rl.close();
      process.stdout.write('\n');
      reject(new Error('interrupted'));
    });
  });
}

export function processIo(): RemoteIo {
  return {
    env: process.env,
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    confirm: async (q) => /^y(es)?$/i.test((await ask(q, false)).trim()),
    secret: (q) => ask(q, true),
  };
}
