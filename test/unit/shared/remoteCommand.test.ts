import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerExec, isDockerName, loginShell, RemoteCommand, sh, shellQuote } from '../../../shared/remote/remoteCommand';
import { hostileStrings } from '../../support/hostileStrings';

/** What a POSIX shell makes of the command: each argument printed on its own NUL-terminated record. */
function argsSeenByShell(command: RemoteCommand): string[] {
  const out = execFileSync('/bin/sh', ['-c', command.text], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('the remote command builder', () => {
  const marker = join(mkdtempSync(join(tmpdir(), 'qvl-quote-')), 'pwned');

  it('passes every hostile value through sh as exactly one, unchanged argument', () => {
    for (const value of hostileStrings(marker)) {
      expect(argsSeenByShell(sh`printf '%s\\0' ${value}`)).toEqual([value]);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('quotes arrays as separate words and embeds built commands as they are', () => {
    const values = hostileStrings(marker);
    expect(argsSeenByShell(sh`printf '%s\\0' ${values}`)).toEqual(values);
    const inner = sh`printf '%s\\0' ${'a b'}`;
    expect(argsSeenByShell(sh`${inner} ${'c'}`)).toEqual(['a b', 'c']);
    expect(existsSync(marker)).toBe(false);
  });

  // One login shell per hostile string: slow on a loaded machine, so a longer timeout.
  it('survives a second shell level (bash -lc) unchanged', { timeout: 30_000 }, () => {
    for (const value of hostileStrings(marker)) {
      const command = loginShell(sh`printf '%s\\0' ${value}`);
      expect(command.text.startsWith("bash -lc '")).toBe(true);
      expect(argsSeenByShell(command)).toEqual([value]);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('uses POSIX single quotes and refuses NUL', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
    expect(shellQuote(42)).toBe("'42'");
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });

  it('cannot be built any other way', () => {
    expect(() => new (RemoteCommand as unknown as new (key: symbol, text: string) => RemoteCommand)(Symbol('RemoteCommand'), 'rm -rf /')).toThrow();
  });

  it('builds docker exec with validated names and the command run by bash inside', () => {
    expect(dockerExec('qwen_train', sh`npu-smi info`, { user: 'ma-user', interactive: true }).text).toBe(
      `docker exec '-it' '-u' 'ma-user' 'qwen_train' bash -lc 'npu-smi info'`,
    );
    for (const name of ['-rm', 'a b', '', "x'; rm -rf /", 'a/b', '$(id)']) {
      expect(isDockerName(name), name).toBe(false);
      expect(() => dockerExec(name, sh`true`)).toThrow(/container name/);
    }
    expect(() => dockerExec('ok', sh`true`, { user: '-u root' })).toThrow(/user/);
  });
});
