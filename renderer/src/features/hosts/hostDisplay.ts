import type { HostProfileFields } from '../../../../shared/hosts/hostProfile';

function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** `user@host:port`, with IPv6 in brackets so the port stays readable. */
export function formatEndpoint(profile: Pick<HostProfileFields, 'user' | 'host' | 'port'>): string {
  return `${profile.user}@${bracketed(profile.host)}:${profile.port}`;
}

/** As OpenSSH names a host in its known_hosts question: `host`, or `[host]:port` off port 22. */
export function formatKnownHost(host: string, port: number): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return port === 22 ? bare : `[${bare}]:${port}`;
}

/** Whole seconds left before `retryAt`, never negative: the countdown the sidebar shows. */
export function secondsUntil(retryAt: number, now: number): number {
  return Math.max(0, Math.ceil((retryAt - now) / 1000));
}

/** Milliseconds with a decimal only where it matters (a LAN hop is well under 10 ms). */
export function formatRtt(ms: number): string {
  return ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
}
