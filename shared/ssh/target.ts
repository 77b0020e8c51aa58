/**
 * SSH targets as users type them: `[user@]host[:port]`, `[user@][ipv6]:port`, or a bare
 * ~/.ssh/config alias (which is just a host). Everything that reaches ssh/rsync argv passes
 * through here, so the rules are deliberately narrower than what OpenSSH accepts.
 */

export interface SshTarget {
  user?: string;
  host: string;
  port?: number;
}

export type TargetParse = { ok: true; target: SshTarget } | { ok: false; error: string };

// DNS names stop at 253 characters; nothing longer can be a real host or a sane alias.
const MAX_HOST_LENGTH = 253;
// Long enough for LDAP/AD names, short enough that a pasted blob is refused.
const MAX_USER_LENGTH = 255;
const HOST_PATTERN = /^[A-Za-z0-9._-]+$/;
// '$' only at the end: Samba machine accounts, as POSIX useradd allows.
const USER_PATTERN = /^[A-Za-z0-9._-]+\$?$/;
const PORT_PATTERN = /^[0-9]{1,5}$/;
const ZONE_PATTERN = /^[A-Za-z0-9._-]+$/;
const HEX_GROUP_PATTERN = /^[0-9A-Fa-f]{1,4}$/;
const IPV4_PATTERN = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;
const WHITESPACE_OR_CONTROL = /[\s\p{Cc}]/u;

export function parseTarget(text: string): TargetParse {
  if (text.length === 0) return fail('The target is empty.');
  if (WHITESPACE_OR_CONTROL.test(text)) return fail('The target contains whitespace or control characters.');
  const at = text.indexOf('@');
  if (at !== -1 && text.indexOf('@', at + 1) !== -1) return fail("The target contains more than one '@'.");
  const user = at === -1 ? undefined : text.slice(0, at);
  if (user !== undefined) {
    const userError = checkUser(user);
    if (userError) return fail(userError);
  }
  const hostAndPort = splitHostAndPort(text.slice(at + 1));
  if (!hostAndPort.ok) return hostAndPort;
  const { host, portText } = hostAndPort;
  const target: SshTarget = { host };
  if (user !== undefined) target.user = user;
  if (portText !== undefined) {
    const port = parsePort(portText);
    if (port === undefined) return fail(`The port "${portText}" is not a whole number from 1 to 65535.`);
    target.port = port;
  }
  return { ok: true, target };
}

export function formatTarget(target: SshTarget): string {
  // Always bracket IPv6 so the result parses back to the same target with or without a port.
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const user = target.user === undefined ? '' : `${target.user}@`;
  const port = target.port === undefined ? '' : `:${target.port}`;
  return `${user}${host}${port}`;
}

/**
 * Splits the CLI's `<target>:<remote-path>`, where the target is `[user@]host[:port]` (the shared
 * target syntax) or `[user@][ipv6][:port]`; returns undefined for a local path. As in scp, a
 * leading ':' or a '/' before the first ':' means local. Unlike scp, digits between two colons
 * are the port (`host:2222:/data`), so a remote path that itself starts with `digits:` needs a
 * `./` in front; and `C:\x` and `C:/x` are local Windows paths, not a host named "C".
 * The target is returned as written; check it with parseTarget.
 */
export function splitRemotePath(text: string): { target: string; path: string } | undefined {
  if (text.startsWith(':') || /^[A-Za-z]:[\\/]/.test(text)) return undefined;
  const colon = remoteColonIndex(text);
  if (colon === undefined) return undefined;
  const port = /^(\d{1,5}):/.exec(text.slice(colon + 1));
  const end = port ? colon + 1 + (port[1]?.length ?? 0) : colon;
  return { target: text.slice(0, end), path: text.slice(end + 1) };
}

function remoteColonIndex(text: string): number | undefined {
  let bracketed = text.startsWith('[');
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    const next = text[index + 1];
    if (char === '@' && next === '[') bracketed = true;
    if (char === ']' && next === ':' && bracketed) return index + 1;
    if (char === ':' && !bracketed) return index;
    if (char === '/') return undefined;
  }
  return undefined;
}

function splitHostAndPort(text: string): { ok: true; host: string; portText?: string } | { ok: false; error: string } {
  if (text.startsWith('[')) return splitBracketed(text);
  const firstColon = text.indexOf(':');
  // Several colons without brackets can only be an IPv6 address, and then there is no port.
  if (firstColon !== -1 && text.indexOf(':', firstColon + 1) !== -1) {
    return isIpv6(text) ? { ok: true, host: text } : fail(`"${text}" is not a valid IPv6 address; write IPv6 addresses as [address] or [address]:port.`);
  }
  const host = firstColon === -1 ? text : text.slice(0, firstColon);
  const hostError = checkHostName(host);
  if (hostError) return fail(hostError);
  return firstColon === -1 ? { ok: true, host } : { ok: true, host, portText: text.slice(firstColon + 1) };
}

function splitBracketed(text: string): { ok: true; host: string; portText?: string } | { ok: false; error: string } {
  const close = text.indexOf(']');
  if (close === -1) return fail("The '[' before the address has no matching ']'.");
  const host = text.slice(1, close);
  if (!isIpv6(host)) return fail(`"${host}" is not a valid IPv6 address; square brackets are only for IPv6 addresses.`);
  const rest = text.slice(close + 1);
  if (rest === '') return { ok: true, host };
  if (!rest.startsWith(':')) return fail("Only ':' and a port may follow the ']' of an IPv6 address.");
  return { ok: true, host, portText: rest.slice(1) };
}

function checkHostName(host: string): string | undefined {
  if (host === '') return 'The host name is empty.';
  if (host.startsWith('-')) return "The host name must not start with '-'.";
  if (host.length > MAX_HOST_LENGTH) return `The host name is longer than ${MAX_HOST_LENGTH} characters.`;
  if (!HOST_PATTERN.test(host)) return `The host name "${host}" may contain only letters, digits, '.', '-' and '_'.`;
  return undefined;
}

function checkUser(user: string): string | undefined {
  if (user === '') return "The user name before '@' is empty.";
  if (user.startsWith('-')) return "The user name must not start with '-'.";
  if (user.length > MAX_USER_LENGTH) return `The user name is longer than ${MAX_USER_LENGTH} characters.`;
  if (!USER_PATTERN.test(user)) return `The user name "${user}" may contain only letters, digits, '.', '-', '_' and a final '$'.`;
  return undefined;
}

function parsePort(text: string): number | undefined {
  if (!PORT_PATTERN.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** An IPv6 address in text form, optionally with a %zone (fe80::1%eth0). */
export function isIpv6(text: string): boolean {
  const percent = text.indexOf('%');
  const address = percent === -1 ? text : text.slice(0, percent);
  if (percent !== -1 && !ZONE_PATTERN.test(text.slice(percent + 1))) return false;
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  const all = groups.flat();
  const last = all[all.length - 1];
  // An embedded IPv4 address (::ffff:192.0.2.1) stands for the last two groups.
  const ipv4 = last !== undefined && last.includes('.');
  if (ipv4 && !IPV4_PATTERN.test(last)) return false;
  const hexGroups = ipv4 ? all.slice(0, -1) : all;
  if (!hexGroups.every((group) => HEX_GROUP_PATTERN.test(group))) return false;
  const count = hexGroups.length + (ipv4 ? 2 : 0);
  return halves.length === 2 ? count <= 7 : count === 8;
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
