import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENABLE_IP_FORWARD, READ_IP_FORWARD, parseSysctlValue } from '../../../shared/guide/sysctl';
import { runShell } from './guideShell';

describe('the live value of net.ipv4.ip_forward', () => {
  it('is read with sysctl -n, not with the guide’s sysctl -p (which re-applies and prints the file)', () => {
    expect(READ_IP_FORWARD.text).toBe('sysctl -n net.ipv4.ip_forward');
  });

  it('reads 1, 0 and a trailing newline or CRLF', () => {
    expect(parseSysctlValue('1\n', 0)).toEqual({ value: '1', line: '1' });
    expect(parseSysctlValue('0\r\n', 0)).toEqual({ value: '0', line: '0' });
  });

  it('reads nothing from a failed or empty run', () => {
    expect(parseSysctlValue('', 255)).toEqual({ value: null, line: null });
    expect(parseSysctlValue('', 0)).toEqual({ value: null, line: null });
    expect(parseSysctlValue('1\n', null)).toEqual({ value: null, line: '1' });
  });
});

describe('the ip_forward fix', () => {
  it('runs the guide’s own sed and sysctl -p, then sets the live value', () => {
    expect(ENABLE_IP_FORWARD.map((command) => command.text)).toEqual([
      "sed -i 's/net\\.ipv4\\.ip_forward=0/net\\.ipv4\\.ip_forward=1/g' /etc/sysctl.conf",
      "grep -Eq '^[[:space:]]*net\\.ipv4\\.ip_forward[[:space:]]*=[[:space:]]*1[[:space:]]*$' /etc/sysctl.conf || { [ -z \"$(tail -c 1 /etc/sysctl.conf 2>/dev/null)\" ] || echo; echo 'net.ipv4.ip_forward=1'; } >> /etc/sysctl.conf",
      'sysctl -p | grep net.ipv4.ip_forward',
      'sysctl -w net.ipv4.ip_forward=1',
    ]);
  });

  // The two commands that edit the file, run on a copy: the guide's sed alone misses all but the first two.
  it.each([
    ['net.ipv4.ip_forward=0\n', 'net.ipv4.ip_forward=1\n'],
    ['net.ipv4.ip_forward=1\n', 'net.ipv4.ip_forward=1\n'],
    ['# nothing about forwarding\n', '# nothing about forwarding\nnet.ipv4.ip_forward=1\n'],
    ['net.ipv4.ip_forward = 0\n', 'net.ipv4.ip_forward = 0\nnet.ipv4.ip_forward=1\n'],
    ['', 'net.ipv4.ip_forward=1\n'],
    ['kernel.pid_max = 4194304', 'kernel.pid_max = 4194304\nnet.ipv4.ip_forward=1\n'],
  ])('persists %j as %j', (before, after) => {
    const file = join(mkdtempSync(join(tmpdir(), 'qvl-sysctl-')), 'sysctl.conf');
    writeFileSync(file, before);
    for (const command of ENABLE_IP_FORWARD.slice(0, 2)) runShell(command.text.replaceAll('/etc/sysctl.conf', file));
    expect(readFileSync(file, 'utf8')).toBe(after);
  });
});
