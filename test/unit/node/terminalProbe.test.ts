import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { foregroundJob, foregroundProbe, parseProcTable, sessionLeaders } from '../../../electron/main/services/terminal/foregroundJob';
import type { ProcEntry } from '../../../electron/main/services/terminal/foregroundJob';

const run = promisify(execFile);

function proc(fields: Partial<ProcEntry> & Pick<ProcEntry, 'pid' | 'command'>): string {
  const { pid, ppid = 1, pgrp = pid, session = pid, tty = 34816, tpgid = pgrp, start = 100, leader = false, command } = fields;
  return `${pid} ${ppid} ${pgrp} ${session} ${tty} ${tpgid} ${start} ${leader ? 1 : 0}\t${command}`;
}

describe('reading the probe', () => {
  it('finds the foreground job of each terminal session', () => {
    const text = [
      proc({ pid: 300, ppid: 10, tpgid: 320, start: 500, leader: true, command: '-bash' }),
      proc({ pid: 320, ppid: 300, session: 300, start: 510, command: 'python train.py --epochs 3' }),
      proc({ pid: 321, ppid: 300, pgrp: 320, session: 300, tpgid: 320, start: 510, command: 'tee out.log' }),
      proc({ pid: 200, ppid: 10, start: 400, leader: true, command: '-bash' }),
      proc({ pid: 250, ppid: 10, tpgid: 251, start: 400, leader: true, command: 'bash' }),
      proc({ pid: 252, ppid: 250, pgrp: 251, session: 250, start: 410, command: 'sleep 9' }),
      'garbage line',
      '1 2 3\tshort',
    ].join('\n');
    const procs = parseProcTable(text);
    expect(procs).toHaveLength(6);
    const leaders = sessionLeaders(procs);
    // Oldest first; the same start tick is ordered by pid.
    expect(leaders.map((leader) => leader.pid)).toEqual([200, 250, 300]);
    const [idle, orphaned, training] = leaders as [ProcEntry, ProcEntry, ProcEntry];
    expect(foregroundJob(procs, idle)).toEqual({ busy: false, command: null });
    expect(foregroundJob(procs, training)).toEqual({ busy: true, command: 'python train.py --epochs 3' });
    // The group's leader exited but a member still runs: named by that member.
    expect(foregroundJob(procs, orphaned)).toEqual({ busy: true, command: 'sleep 9' });
  });

  it('counts a shell replaced by exec as busy, and an unknown job as busy with no name', () => {
    const replaced = parseProcTable(proc({ pid: 7, leader: true, command: 'python -m http.server' }));
    expect(foregroundJob(replaced, replaced[0] as ProcEntry)).toEqual({ busy: true, command: 'python -m http.server' });
    const vanished = parseProcTable(proc({ pid: 8, tpgid: 99, leader: true, command: '/bin/zsh' }));
    expect(foregroundJob(vanished, vanished[0] as ProcEntry)).toEqual({ busy: true, command: null });
    const idle = parseProcTable(proc({ pid: 9, leader: true, command: '/usr/bin/sh' }));
    expect(foregroundJob(idle, idle[0] as ProcEntry)).toEqual({ busy: false, command: null });
  });
});

describe('the probe on a real /proc', () => {
  it('finds the marked terminal session and nothing of any other', async () => {
    // `script` gives its command a pty of its own, as sshd or runc do.
    const holder = spawn('script', ['-qfc', 'exec sleep 7', '/dev/null'], { env: { ...process.env, QVL_TERMINAL: 'unit-probe' }, stdio: 'ignore' });
    const other = spawn('script', ['-qfc', 'exec sleep 8', '/dev/null'], { stdio: 'ignore' });
    try {
      let leaders: ProcEntry[] = [];
      let procs: ProcEntry[] = [];
      for (let attempt = 0; attempt < 100 && leaders.length === 0; attempt++) {
        procs = parseProcTable((await run('/bin/sh', ['-c', foregroundProbe('unit-probe').text])).stdout);
        leaders = sessionLeaders(procs);
        if (leaders.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(leaders).toHaveLength(1);
      expect(procs.every((entry) => entry.session === leaders[0]?.session)).toBe(true);
      expect(foregroundJob(procs, leaders[0] as ProcEntry)).toEqual({ busy: true, command: 'sleep 7' });
    } finally {
      holder.kill();
      other.kill();
    }
  });
});
