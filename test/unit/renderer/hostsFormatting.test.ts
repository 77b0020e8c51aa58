import { describe, expect, it } from 'vitest';
import type { SshConfigImport } from '../../../shared/api/contract';
import type { TransferJob } from '../../../shared/transfers/transferJob';
import { formatEndpoint, formatKnownHost, formatRtt, secondsUntil } from '../../../renderer/src/features/hosts/hostDisplay';
import { defaultSelection, importRows } from '../../../renderer/src/features/hosts/sshImport';
import { baseName, canResume, formatBytes, formatClock, requestOf, transferRoute } from '../../../renderer/src/features/hosts/transferFormat';

describe('how hosts are shown', () => {
  it('writes user@host:port, IPv6 in brackets', () => {
    expect(formatEndpoint({ user: 'root', host: '10.0.0.1', port: 22 })).toBe('root@10.0.0.1:22');
    expect(formatEndpoint({ user: 'root', host: 'fe80::1', port: 2222 })).toBe('root@[fe80::1]:2222');
    expect(formatEndpoint({ user: 'root', host: '[fe80::1]', port: 22 })).toBe('root@[fe80::1]:22');
  });

  it('names a host as OpenSSH’s known_hosts question does', () => {
    expect(formatKnownHost('10.0.0.1', 22)).toBe('10.0.0.1');
    expect(formatKnownHost('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
    expect(formatKnownHost('[::1]', 2222)).toBe('[::1]:2222');
  });

  it('counts down whole seconds to the next reconnect, never below zero', () => {
    expect(secondsUntil(10_000, 0)).toBe(10);
    expect(secondsUntil(10_000, 9_001)).toBe(1);
    expect(secondsUntil(10_000, 12_000)).toBe(0);
  });

  it('shows round trips with a decimal only when short', () => {
    expect(formatRtt(3.44)).toBe('3.4');
    expect(formatRtt(123.6)).toBe('124');
  });
});

describe('how transfers are shown', () => {
  it('uses decimal units, so MB/s means megabytes per second', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(48_300_000)).toBe('48.3 MB');
    expect(formatBytes(19_300_000_000)).toBe('19.3 GB');
    expect(formatBytes(512_000_000)).toBe('512 MB');
  });

  it('writes times left as m:ss or h:mm:ss', () => {
    expect(formatClock(5)).toBe('0:05');
    expect(formatClock(252.4)).toBe('4:12');
    expect(formatClock(3725)).toBe('1:02:05');
  });

  it('names a file or folder by its last segment, on either kind of path', () => {
    expect(baseName('/home/ma-user/ws/')).toBe('ws');
    expect(baseName('C:\\data\\train.json')).toBe('train.json');
    expect(baseName('/')).toBe('/');
  });

  it('writes the route as scp does and resumes failed, cancelled and interrupted jobs with the same request', () => {
    const job: TransferJob = { hostId: 'host-0001', direction: 'download', localPath: '/out/', remotePath: '/ws/ckpt', jobId: 'j', state: 'failed', progress: null, summary: null, error: 'x', startedAt: 1 };
    expect(transferRoute(job, 'devbox')).toBe('devbox:/ws/ckpt → /out/');
    expect(transferRoute({ ...job, direction: 'upload' }, 'devbox')).toBe('/out/ → devbox:/ws/ckpt');
    expect(requestOf(job)).toEqual({ hostId: 'host-0001', direction: 'download', localPath: '/out/', remotePath: '/ws/ckpt' });
    expect(['running', 'done', 'failed', 'cancelled', 'interrupted'].filter((state) => canResume({ ...job, state: state as TransferJob['state'] }))).toEqual(['failed', 'cancelled', 'interrupted']);
  });
});

describe('importing from ~/.ssh/config', () => {
  const result: SshConfigImport = {
    file: '/home/me/.ssh/config',
    candidates: [
      { alias: 'dev1', name: 'dev1', host: '10.0.0.1', port: 22, user: 'root', auth: 'key', identityFile: '/k', jump: [] },
      { alias: 'old', name: 'old', host: '10.0.0.2', port: 22, user: 'root', auth: 'auto', identityFile: null, jump: [] },
      { alias: 'odd', name: 'odd', host: '10.0.0.3', port: 22, user: 'two words', auth: 'auto', identityFile: null, jump: [] },
    ],
    problems: [],
  };

  it('checks each candidate with the profile schema and preselects the new, valid ones', () => {
    const rows = importRows(result, ['old']);
    expect(rows.map((row) => [row.alias, row.fields !== null, row.exists])).toEqual([
      ['dev1', true, false],
      ['old', true, true],
      ['odd', false, false],
    ]);
    expect(rows[2]?.problem).toEqual({ field: 'user', issue: { key: 'userFormat' } });
    expect(rows[0]?.fields).not.toHaveProperty('alias');
    expect([...defaultSelection(rows)]).toEqual(['dev1']);
  });
});
