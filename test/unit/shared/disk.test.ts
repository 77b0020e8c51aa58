import { describe, expect, it } from 'vitest';
import { DISK_FREE, formatGigabytes, mountFor, parseDfPk, spaceByMount } from '../../../shared/guide/disk';
import { isWithin, normalizeAbsolutePath } from '../../../shared/guide/posixPath';

// Captured from `df -Pk` on a Debian build VM (real output, sizes in 1024-byte blocks).
const VM = `Filesystem              1024-blocks     Used Available Capacity Mounted on
devtmpfs                   12334524        0  12334524       0% /dev
tmpfs                      24684096        0  24684096       0% /dev/shm
/dev/vda                  264212084 32283436  74107476      31% /
model_tools_unavailable           4        0         4       0% /mnt/sandboxing/model_tools_env/v1/python
tmpfs                      12342048        0  12342048       0% /sys/fs/cgroup
`;

// The shape of a DevServer: a small system disk and a large NVMe data disk on /home (values made up).
const DEVSERVER = `Filesystem     1024-blocks      Used  Available Capacity Mounted on
/dev/sda2        204374904 181412096   22962808      89% /
/dev/sda1          1046508      6448    1040060       1% /boot/efi
/dev/nvme0n1    7501465856 120000000 7381465856       2% /home
/dev/sdb1        104857600  10485760   94371840      11% /mnt/my data
overlay          204374904 181412096   22962808      89% /var/lib/docker/overlay2/3f2a/merged
`;

describe('df -Pk', () => {
  it('is the POSIX format in KiB, every file system', () => {
    expect(DISK_FREE.text).toBe('df -Pk');
  });

  it('reads every line of a real output, in bytes', () => {
    const mounts = parseDfPk(VM);
    expect(mounts.map((mount) => mount.mountPoint)).toEqual(['/dev', '/dev/shm', '/', '/mnt/sandboxing/model_tools_env/v1/python', '/sys/fs/cgroup']);
    expect(mounts[2]).toEqual({
      filesystem: '/dev/vda',
      totalBytes: 264_212_084 * 1024,
      usedBytes: 32_283_436 * 1024,
      availableBytes: 74_107_476 * 1024,
      mountPoint: '/',
      line: '/dev/vda                  264212084 32283436  74107476      31% /',
    });
  });

  it('keeps spaces in a mount point', () => {
    expect(parseDfPk(DEVSERVER)[3]).toMatchObject({ filesystem: '/dev/sdb1', mountPoint: '/mnt/my data', availableBytes: 94_371_840 * 1024 });
  });

  it('reads nothing from empty or error output', () => {
    expect(parseDfPk('')).toEqual([]);
    expect(parseDfPk('df: /nope: No such file or directory\n')).toEqual([]);
    expect(parseDfPk('Filesystem 1024-blocks Used Available Capacity Mounted on\n')).toEqual([]);
  });
});

describe('which disk a folder is on', () => {
  const mounts = parseDfPk(DEVSERVER);

  it('is the longest mount point containing it, whether or not the folder exists yet', () => {
    expect(mountFor('/home/ma-user/ws', mounts)?.mountPoint).toBe('/home');
    expect(mountFor('/home', mounts)?.mountPoint).toBe('/home');
    expect(mountFor('/var/lib/docker', mounts)?.mountPoint).toBe('/');
    expect(mountFor('/homework', mounts)?.mountPoint).toBe('/');
    expect(mountFor('/mnt/my data/weights', mounts)?.mountPoint).toBe('/mnt/my data');
    expect(mountFor('/home//ma-user/./ws/', mounts)?.mountPoint).toBe('/home');
    expect(mountFor('/anything', [])).toBeNull();
  });

  it('adds up what shares a disk', () => {
    const groups = spaceByMount(
      [
        { path: '/var/lib/docker', bytes: 30e9 },
        { path: '/home/ma-user/ws', bytes: 19.3e9 },
        { path: '/home/ma-user/ws', bytes: 19.3e9 },
      ],
      mounts,
    );
    expect(groups.map((group) => [group.mount?.mountPoint, group.paths, group.neededBytes])).toEqual([
      ['/', ['/var/lib/docker'], 30e9],
      ['/home', ['/home/ma-user/ws'], 38.6e9],
    ]);
    expect(spaceByMount([{ path: '/x', bytes: 1 }], [])).toEqual([{ mount: null, paths: ['/x'], neededBytes: 1 }]);
  });

  it('prints sizes in decimal gigabytes, like docker', () => {
    expect(formatGigabytes(19.3e9)).toBe('19.3 GB');
    expect(formatGigabytes(22_962_808 * 1024)).toBe('23.5 GB');
  });
});

describe('POSIX paths', () => {
  it('normalise repeated slashes, dots and a trailing slash', () => {
    expect(normalizeAbsolutePath('/home//ma-user/./')).toBe('/home/ma-user');
    expect(normalizeAbsolutePath('/')).toBe('/');
    expect(normalizeAbsolutePath('//')).toBe('/');
  });

  it('compare by segment', () => {
    expect(isWithin('/home/ma-user/ws', '/home/ma-user')).toBe(true);
    expect(isWithin('/home/ma-user', '/home/ma-user/')).toBe(true);
    expect(isWithin('/home/ma-userx', '/home/ma-user')).toBe(false);
    expect(isWithin('/home', '/home/ma-user')).toBe(false);
    expect(isWithin('/anything', '/')).toBe(true);
  });
});
