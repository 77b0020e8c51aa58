import { describe, expect, it } from 'vitest';
import { formatTarget, isIpv6, parseTarget, splitRemotePath } from '../../../shared/ssh/target';
import type { SshTarget } from '../../../shared/ssh/target';

function target(text: string): SshTarget {
  const parsed = parseTarget(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error}`);
  return parsed.target;
}

function error(text: string): string {
  const parsed = parseTarget(text);
  if (parsed.ok) throw new Error(`${text} was accepted`);
  return parsed.error;
}

describe('parseTarget', () => {
  it('parses [user@]host[:port]', () => {
    expect(target('devserver')).toEqual({ host: 'devserver' });
    expect(target('root@devserver')).toEqual({ user: 'root', host: 'devserver' });
    expect(target('devserver:2222')).toEqual({ host: 'devserver', port: 2222 });
    expect(target('ma-user@10.0.0.5:22')).toEqual({ user: 'ma-user', host: '10.0.0.5', port: 22 });
    expect(target('a.b-c_d.example.com')).toEqual({ host: 'a.b-c_d.example.com' });
  });

  it('accepts a bare ~/.ssh/config alias as the host', () => {
    expect(target('gpu_node-1')).toEqual({ host: 'gpu_node-1' });
  });

  it('parses IPv6 in brackets, with user, port and zone', () => {
    expect(target('[::1]')).toEqual({ host: '::1' });
    expect(target('[::1]:2222')).toEqual({ host: '::1', port: 2222 });
    expect(target('user@[fe80::1]:2222')).toEqual({ user: 'user', host: 'fe80::1', port: 2222 });
    expect(target('[fe80::1%eth0]:22')).toEqual({ host: 'fe80::1%eth0', port: 22 });
    expect(target('[::ffff:192.0.2.1]')).toEqual({ host: '::ffff:192.0.2.1' });
  });

  it('takes an unbracketed address with several colons as IPv6 without a port, like ssh', () => {
    expect(target('::1')).toEqual({ host: '::1' });
    expect(target('root@2001:db8::1')).toEqual({ user: 'root', host: '2001:db8::1' });
    // Ambiguous on purpose: the last group is part of the address, not a port.
    expect(target('fe80::1:22')).toEqual({ host: 'fe80::1:22' });
  });

  it('accepts a final $ in user names (Samba machine accounts) and valid ports at the edges', () => {
    expect(target('host$@h')).toEqual({ user: 'host$', host: 'h' });
    expect(target('h:1').port).toBe(1);
    expect(target('h:65535').port).toBe(65535);
    expect(target('h:00022').port).toBe(22);
  });

  it('rejects empty input, whitespace and control characters anywhere', () => {
    expect(error('')).toBe('The target is empty.');
    for (const text of [' host', 'host ', 'ho st', 'user@ho\tst', 'host\n', 'host\r', 'ho\0st', 'host\x1b[31m', 'host\x7f', 'host\u0085', 'host\u00a0', 'host\u2028']) {
      expect(error(text), JSON.stringify(text)).toBe('The target contains whitespace or control characters.');
    }
  });

  it('rejects option injection through a leading dash', () => {
    expect(error('-oProxyCommand=touch_x')).toBe("The host name must not start with '-'.");
    expect(error('-p')).toBe("The host name must not start with '-'.");
    expect(error('-oProxyCommand=x@host')).toBe("The user name must not start with '-'.");
    expect(error('user@-host')).toBe("The host name must not start with '-'.");
    expect(error('user@-host:22')).toBe("The host name must not start with '-'.");
  });

  it('rejects two @, an empty user or host, and bad ports', () => {
    expect(error('a@b@c')).toBe("The target contains more than one '@'.");
    expect(error('@host')).toBe("The user name before '@' is empty.");
    expect(error('user@')).toBe('The host name is empty.');
    expect(error(':22')).toBe('The host name is empty.');
    for (const port of ['0', '65536', '99999', '123456', '-1', '+22', '2a', '', '22.0', '0x16', '1e3']) {
      expect(error(`host:${port}`), port).toBe(`The port "${port}" is not a whole number from 1 to 65535.`);
    }
    expect(error('[::1]:0')).toBe('The port "0" is not a whole number from 1 to 65535.');
  });

  it('rejects host and user characters outside the allowed sets', () => {
    for (const host of ['host;rm', 'ho$t', 'h/st', 'h%st', 'hóst', 'host`id`', "ho'st", 'h*', 'h?', 'h,a', 'h\\a', 'h!']) {
      expect(error(host), host).toMatch(/^The host name ".*" may contain only letters, digits, '\.', '-' and '_'\.$/);
    }
    for (const user of ['us$er', 'u/ser', 'us%er', 'ü', 'u;x', '$']) {
      expect(error(`${user}@host`), user).toMatch(/^The user name ".*" may contain only letters, digits, '\.', '-', '_' and a final '\$'\.$/);
    }
  });

  it('rejects brackets that do not hold an IPv6 address', () => {
    expect(error('[::1')).toBe("The '[' before the address has no matching ']'.");
    expect(error('[devserver]:22')).toBe('"devserver" is not a valid IPv6 address; square brackets are only for IPv6 addresses.');
    expect(error('[]')).toBe('"" is not a valid IPv6 address; square brackets are only for IPv6 addresses.');
    expect(error('[::1]x')).toBe("Only ':' and a port may follow the ']' of an IPv6 address.");
    expect(error('[::1]]')).toBe("Only ':' and a port may follow the ']' of an IPv6 address.");
    expect(error('[fe80::1%]')).toMatch(/not a valid IPv6 address/);
    expect(error('1:2:3')).toBe('"1:2:3" is not a valid IPv6 address; write IPv6 addresses as [address] or [address]:port.');
    expect(error('host:22:33')).toMatch(/is not a valid IPv6 address/);
  });

  it('rejects overlong names without slowing down', () => {
    expect(target('a'.repeat(253)).host).toHaveLength(253);
    expect(error('a'.repeat(254))).toBe('The host name is longer than 253 characters.');
    expect(error(`${'u'.repeat(256)}@h`)).toBe('The user name is longer than 255 characters.');
    const started = Date.now();
    expect(parseTarget(`${'a'.repeat(1_000_000)}!`).ok).toBe(false);
    expect(parseTarget(`[${':'.repeat(1_000_000)}]`).ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('isIpv6', () => {
  it('accepts the usual forms', () => {
    for (const address of ['::', '::1', '1::', 'fe80::1', '2001:db8:0:0:0:0:0:1', '2001:DB8::ABCD', '::ffff:192.0.2.1', '64:ff9b::10.0.0.1', 'fe80::1%eth0', 'fe80::1%12']) {
      expect(isIpv6(address), address).toBe(true);
    }
  });
  it('refuses malformed ones', () => {
    for (const address of ['', ':', ':::', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', 'g::1', '::1%', '::1%a b', '::256.0.0.1', '::1.2.3', '1:2:3:4:5:6:7::8:9', 'devserver']) {
      expect(isIpv6(address), address).toBe(false);
    }
  });
});

describe('formatTarget', () => {
  it('is the inverse of parseTarget', () => {
    for (const text of ['devserver', 'root@devserver', 'devserver:2222', 'u@10.0.0.5:22', '[::1]', '[::1]:2222', 'user@[fe80::1%eth0]:2222', 'host$@h']) {
      expect(formatTarget(target(text)), text).toBe(text);
    }
  });
  it('always brackets IPv6, so the result parses back to the same target', () => {
    expect(formatTarget({ host: '::1' })).toBe('[::1]');
    expect(formatTarget({ host: 'fe80::1:22' })).toBe('[fe80::1:22]');
    expect(target(formatTarget({ host: 'fe80::1:22' }))).toEqual({ host: 'fe80::1:22' });
    expect(formatTarget({ user: 'u', host: '::1', port: 22 })).toBe('u@[::1]:22');
  });
});

describe('splitRemotePath (scp syntax)', () => {
  it('splits [user@]host:path at the first colon', () => {
    expect(splitRemotePath('host:/data/x.bin')).toEqual({ target: 'host', path: '/data/x.bin' });
    expect(splitRemotePath('root@devserver:weights/')).toEqual({ target: 'root@devserver', path: 'weights/' });
    expect(splitRemotePath('host:')).toEqual({ target: 'host', path: '' });
    expect(splitRemotePath('host:a:b')).toEqual({ target: 'host', path: 'a:b' });
    expect(splitRemotePath('host:/path with spaces')).toEqual({ target: 'host', path: '/path with spaces' });
  });

  it('takes digits between two colons as the port of the target', () => {
    expect(splitRemotePath('user@host:22:/p')).toEqual({ target: 'user@host:22', path: '/p' });
    expect(splitRemotePath('[::1]:2222:/p')).toEqual({ target: '[::1]:2222', path: '/p' });
    expect(splitRemotePath('host:2222:')).toEqual({ target: 'host:2222', path: '' });
    expect(splitRemotePath('host:./22:x')).toEqual({ target: 'host', path: './22:x' });
    expect(splitRemotePath('host:22x:/p')).toEqual({ target: 'host', path: '22x:/p' });
  });

  it('splits bracketed IPv6 after the closing bracket', () => {
    expect(splitRemotePath('[::1]:/tmp')).toEqual({ target: '[::1]', path: '/tmp' });
    expect(splitRemotePath('user@[fe80::1%eth0]:x')).toEqual({ target: 'user@[fe80::1%eth0]', path: 'x' });
    expect(splitRemotePath('[::1]')).toBeUndefined();
    expect(splitRemotePath('[::1]/x:y')).toBeUndefined();
  });

  it('treats local paths as local', () => {
    for (const text of ['file.bin', './host:file', '/abs/host:file', 'dir/x:y', ':leading-colon', 'C:\\Users\\me\\x.bin', 'c:/data/x', '']) {
      expect(splitRemotePath(text), text).toBeUndefined();
    }
  });

  it('returns the target as written, for parseTarget to judge', () => {
    const split = splitRemotePath('-oProxyCommand=x:/p');
    expect(split).toEqual({ target: '-oProxyCommand=x', path: '/p' });
    expect(parseTarget(split?.target ?? '').ok).toBe(false);
  });
});
