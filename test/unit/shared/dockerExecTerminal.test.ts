import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { dockerExec, sh } from '../../../shared/remote/remoteCommand';
import { hostileStrings } from '../../support/hostileStrings';

/** Each argument a POSIX shell passes to `docker`, with docker replaced by printf. */
function dockerArgs(text: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `docker() { printf '%s\\0' "$@"; }; ${text}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('docker exec for the terminal', () => {
  it('sets variables and runs the command with sh when asked', () => {
    const command = dockerExec('qwen-vl', sh`exec bash`, { interactive: true, user: 'ma-user', env: { QVL_TERMINAL: 'abc' }, shell: 'sh' });
    expect(command.text).toBe(`docker exec '-it' '-u' 'ma-user' '-e' 'QVL_TERMINAL=abc' 'qwen-vl' sh -c 'exec bash'`);
    expect(dockerArgs(command.text)).toEqual(['exec', '-it', '-u', 'ma-user', '-e', 'QVL_TERMINAL=abc', 'qwen-vl', 'sh', '-c', 'exec bash']);
    expect(dockerExec('qwen-vl', sh`true`).text).toBe(`docker exec  'qwen-vl' bash -lc 'true'`);
  });

  it('passes any variable value as one argument, and refuses names that are not names', () => {
    for (const value of hostileStrings('/nonexistent/marker')) {
      const command = dockerExec('c1', sh`true`, { env: { NAME: value } });
      expect(dockerArgs(command.text).slice(1, 3)).toEqual(['-e', `NAME=${value}`]);
    }
    for (const name of ['', '1A', 'A-B', 'A B', 'A=B', '$(id)']) expect(() => dockerExec('c1', sh`true`, { env: { [name]: 'x' } })).toThrow(/variable name/);
  });
});
