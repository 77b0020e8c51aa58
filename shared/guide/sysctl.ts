/**
 * net.ipv4.ip_forward, which containers need to reach the network.
 *
 * The guide checks it with `sysctl -p | grep net.ipv4.ip_forward`, but `sysctl -p` re-applies
 * /etc/sysctl.conf and prints the lines of that file: it says what the file sets (nothing, when
 * the key is absent), not what the kernel uses now, and running it is itself a change. The live
 * value is what `sysctl -n net.ipv4.ip_forward` (or /proc/sys/net/ipv4/ip_forward) prints.
 */
import { sh } from '../remote/remoteCommand';

export const READ_IP_FORWARD = sh`sysctl -n net.ipv4.ip_forward`;

export interface SysctlValue {
  readonly value: string | null;
  readonly line: string | null;
}

/** `sysctl -n KEY` prints the value alone; errors go to stderr with a non-zero status. */
export function parseSysctlValue(stdout: string, code: number | null): SysctlValue {
  const line = stdout.split(/\r?\n/).find((candidate) => candidate.trim() !== '') ?? null;
  if (code !== 0 || line === null) return { value: null, line };
  return { value: line.trim(), line: line.trim() };
}

/**
 * The guide's fix, then what it misses: its sed only rewrites an exact `ip_forward=0` line, so a
 * line is appended when none sets 1 (after a newline if the file lacks a final one); `sysctl -p` re-applies the file as the guide does; `sysctl -w` sets
 * the live value whatever else the file or /etc/sysctl.d say.
 */
export const ENABLE_IP_FORWARD = [
  sh`sed -i 's/net\\.ipv4\\.ip_forward=0/net\\.ipv4\\.ip_forward=1/g' /etc/sysctl.conf`,
  sh`grep -Eq '^[[:space:]]*net\\.ipv4\\.ip_forward[[:space:]]*=[[:space:]]*1[[:space:]]*$' /etc/sysctl.conf || { [ -z "$(tail -c 1 /etc/sysctl.conf 2>/dev/null)" ] || echo; echo 'net.ipv4.ip_forward=1'; } >> /etc/sysctl.conf`,
  sh`sysctl -p | grep net.ipv4.ip_forward`,
  sh`sysctl -w net.ipv4.ip_forward=1`,
] as const;
