// Runs built command text through a real POSIX shell, to see what the server's shell would do with it.

import { execFileSync } from 'node:child_process';

/** Each argument the shell passes to `program`, with `printf '%s\0'` standing in for the program. */
export function argsSeenByShell(text: string, program: string): string[] {
  if (!text.startsWith(`${program} `)) throw new Error(`${JSON.stringify(text.slice(0, 40))} does not start with ${program}`);
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${text.slice(program.length + 1)}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

/** Runs a script and returns its stdout (throws on a non-zero status). */
export function runShell(script: string): string {
  return execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
}
