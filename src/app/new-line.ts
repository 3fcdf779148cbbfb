// The new-instance prompt's line: `NAME [--vm] [-c KEY=VALUE]... [-p PROFILE]... [--user-data FILE]
// [--no-start]`, the words of `lxtop launch` after the image (one form for every choice).
import { readFileSync } from 'node:fs';
import { parseLaunchArgs } from './launch-cli.js';

export interface NewInstanceOptions {
  vm?: boolean;
  profiles?: string[];
  config?: Record<string, string>;
  /** The user-data file's text, read when the prompt is accepted. */
  userData?: string;
  start?: boolean;
}

export function parseNewLine(line: string): { name: string; options: NewInstanceOptions; userDataFile?: string } | { error: string } {
  try {
    const a = parseLaunchArgs(['image', ...line.trim().split(/\s+/).filter(Boolean)]);
    if (a.target) return { error: '--target: pick the member in the next step' };
    const options: NewInstanceOptions = { ...(a.vm ? { vm: true } : {}), ...(a.start ? {} : { start: false }) };
    if (a.profiles.length > 0) options.profiles = a.profiles;
    if (Object.keys(a.config).length > 0) options.config = a.config;
    return { name: a.name, options, ...(a.userData ? { userDataFile: a.userData } : {}) };
  } catch (err) {
    const msg = (err as Error).message;
    return { error: /IMAGE and NAME are required/.test(msg) ? 'A name is required' : msg };
  }
}

/** The options with the user-data file read; an unreadable file is the error, before anything changes. */
export function readNewLine(line: string): { name: string; options: NewInstanceOptions } | { error: string } {
  const p = parseNewLine(line);
  if ('error' in p || !p.userDataFile) return p;
  try {
    return { name: p.name, options: { ...p.options, userData: readFileSync(p.userDataFile, 'utf8') } };
  } catch (err) {
    return { error: `user-data: ${(err as Error).message}` };
  }
}
