import type { TerminalBusy } from '../../../../shared/terminal/terminalApi';
import { sh } from '../../../../shared/remote/remoteCommand';
import type { RemoteCommand } from '../../../../shared/remote/remoteCommand';

/** The variable a container shell carries so the probe can find it among the container's processes. */
export const TERMINAL_MARKER = 'QVL_TERMINAL';

/**
 * Reads /proc (containers often lack `ps`) in two passes. First it picks the terminal sessions
 * of interest: those sshd ($1, this connection's sshd process) started, or the one whose leader
 * carries the marker $2. Then it prints only the processes of those sessions — never anyone
 * else's command lines — as: pid ppid pgrp session tty tpgid starttime leader, a tab, the
 * command line.
 */
const PROBE = [
  'sshd=$1 marker=$2 leaders=" "',
  'for d in /proc/[0-9]*; do',
  '  { IFS= read -r s < "$d/stat"; } 2>/dev/null || continue',
  // What follows the last ')' of "pid (comm) state ppid …": comm may hold spaces and parens.
  '  set -- ${s##*)}',
  '  p=${d#/proc/}',
  '  [ "$5" != 0 ] && [ "$4" = "$p" ] || continue',
  '  if [ -n "$marker" ]; then',
  '    tr \'\\0\' \'\\n\' < "$d/environ" 2>/dev/null | grep -qxF "$marker" || continue',
  '  elif [ "$2" != "$sshd" ]; then',
  '    continue',
  '  fi',
  '  leaders="$leaders$p "',
  'done',
  'for d in /proc/[0-9]*; do',
  '  { IFS= read -r s < "$d/stat"; } 2>/dev/null || continue',
  '  set -- ${s##*)}',
  '  p=${d#/proc/}',
  '  case $leaders in *" $4 "*) ;; *) continue ;; esac',
  '  l=0',
  '  case $leaders in *" $p "*) l=1 ;; esac',
  '  printf \'%s %s %s %s %s %s %s %s\\t\' "$p" "$2" "$3" "$4" "$5" "$6" "${20}" "$l"',
  '  tr \'\\0\\n\\t\' \'   \' < "$d/cmdline" 2>/dev/null | head -c 300',
  '  echo',
  'done',
].join('\n');

/**
 * The probe as one command line. With a terminal id it looks for that container shell's marker;
 * without, for the sessions of the connection it runs on.
 */
export function foregroundProbe(terminalId: string | null): RemoteCommand {
  const marker = terminalId === null ? '' : `${TERMINAL_MARKER}=${terminalId}`;
  // "$PPID" is expanded by the shell sshd started for this command, whose parent is sshd itself.
  return sh`exec sh -c ${PROBE} probe "$PPID" ${marker}`;
}

export interface ProcEntry {
  pid: number;
  ppid: number;
  pgrp: number;
  session: number;
  tty: number;
  /** The foreground process group of its terminal. */
  tpgid: number;
  start: number;
  /** Leads one of the terminal sessions the probe looked for. */
  leader: boolean;
  command: string;
}

export function parseProcTable(text: string): ProcEntry[] {
  const procs: ProcEntry[] = [];
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const fields = line.slice(0, tab).split(' ').map(Number);
    if (fields.length !== 8 || fields.some((field) => !Number.isInteger(field))) continue;
    const [pid = 0, ppid = 0, pgrp = 0, session = 0, tty = 0, tpgid = 0, start = 0, leader = 0] = fields;
    procs.push({ pid, ppid, pgrp, session, tty, tpgid, start, leader: leader === 1, command: line.slice(tab + 1).trim() });
  }
  return procs;
}

/**
 * The sessions' leaders, oldest first. sshd makes the first process on each pty a session
 * leader, so pty channels opened one after another have leaders started in that order.
 */
export function sessionLeaders(procs: ProcEntry[]): ProcEntry[] {
  return procs.filter((proc) => proc.leader).sort((a, b) => a.start - b.start || a.pid - b.pid);
}

const SHELLS = new Set(['bash', 'sh', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'fish', 'tcsh', 'csh', 'busybox']);

function isShell(command: string): boolean {
  const program = command.split(' ')[0] ?? '';
  return SHELLS.has(program.slice(program.lastIndexOf('/') + 1).replace(/^-/, ''));
}

/**
 * Whether closing would interrupt something: the terminal's foreground process group is not the
 * shell's own, or the shell was replaced (`exec python …`). Names the foreground command.
 */
export function foregroundJob(procs: ProcEntry[], leader: ProcEntry): TerminalBusy {
  if (leader.tpgid === leader.pgrp) return isShell(leader.command) ? { busy: false, command: null } : { busy: true, command: leader.command || null };
  const job = procs.find((proc) => proc.pid === leader.tpgid) ?? procs.find((proc) => proc.pgrp === leader.tpgid);
  return { busy: true, command: job?.command || null };
}
