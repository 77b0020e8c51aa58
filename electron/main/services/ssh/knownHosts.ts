/**
 * OpenSSH known_hosts files: parse, match, verify and append, with the semantics of OpenSSH's
 * ssh(1) (hostfile.c, sshconnect.c check_host_key) as observed with OpenSSH 9.2 — see
 * test/fixtures/known_hosts/openssh-verdicts.json. Certificates are not supported: ssh2 cannot
 * verify them, so @cert-authority lines never trust anything here.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../fs/atomicWrite';

export interface HostKey {
  type: string;
  blob: Uint8Array;
}

export interface KnownHostEntry {
  file: string;
  line: number;
  marker: 'cert-authority' | 'revoked' | null;
  /** The comma-separated patterns as written; null when the host is hashed. */
  hostPatterns: string | null;
  hashed: { salt: Uint8Array; hash: Uint8Array } | null;
  keyType: string;
  keyBase64: string;
  comment: string;
}

export interface KnownHostsProblem {
  line: number;
  message: string;
}

export type HostKeyVerdict =
  | { kind: 'trusted'; entry: KnownHostEntry }
  | { kind: 'unknown'; otherKeyTypes: string[] }
  | { kind: 'changed'; presented: { keyType: string; fingerprint: string }; known: { keyType: string; fingerprint: string; file: string; line: number }[] }
  | { kind: 'revoked'; entry: KnownHostEntry };

const HASH_MAGIC = '|1|';
const SHA1_BYTES = 20;
const DEFAULT_PORT = 22;
// match.c gives up on a sub-pattern this long, and then the whole list does not match.
const MAX_SUBPATTERN_LENGTH = 1023;
// Real files are kilobytes to a few megabytes; this only keeps a runaway file from exhausting memory.
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const KEY_TYPE_PATTERN = /^[A-Za-z0-9@._+-]+$/;
// sshconnect.c refuses to record names with these characters; we also refuse separators and '!'.
const UNRECORDABLE_HOST = /[@?*!#[\]|'"\\,\s\p{Cc}]/u;

export function parseKnownHosts(text: string, file: string): { entries: KnownHostEntry[]; problems: KnownHostsProblem[] } {
  const entries: KnownHostEntry[] = [];
  const problems: KnownHostsProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    // ssh reads lines as C strings and stops at a NUL; dropping the line instead could drop a @revoked.
    const nul = raw.indexOf('\0');
    if (nul !== -1) problems.push({ line, message: 'The line contains a NUL character; like ssh, everything after it is ignored.' });
    const content = nul === -1 ? raw : raw.slice(0, nul);
    const result = parseLine(content.endsWith('\r') ? content.slice(0, -1) : content, file, line);
    if (result === undefined) return;
    if (typeof result === 'string') problems.push({ line, message: result });
    else entries.push(result);
  });
  return { entries, problems };
}

/** The name ssh looks up: `host` on port 22, `[host]:port` otherwise, lower-cased. Pass a HostKeyAlias with port 22. */
export function hostKeyPattern(host: string, port: number): string {
  if (host === '') throw new RangeError('The host name is empty.');
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`Invalid port ${port}.`);
  const name = host.toLowerCase();
  return port === DEFAULT_PORT ? name : `[${name}]:${port}`;
}

export function matchesHost(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = hostKeyPattern(host, port);
  if (entry.hashed) return equalBytes(hashHostName(name, entry.hashed.salt), entry.hashed.hash);
  return entry.hostPatterns !== null && matchPatternList(name, entry.hostPatterns) === 1;
}

export function fingerprintSha256(blob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * What ssh(1) decides for this key, with two deliberate differences:
 * - A key whose type has no entry for the host, while other types do, is 'unknown' with those
 *   types. OpenSSH ≥ 5.9 says 'changed' (it compares keys, not types — openssh-verdicts.json), but
 *   it only gets there when the server lacks the known key, because it asks for known types first.
 *   ssh2 does not, so 'changed' would cry wolf on every host recorded with another type until
 *   orderHostKeyAlgorithms() feeds algorithms.serverHostKey.
 * - A key revoked under the bare name on a non-standard port is 'revoked' (ssh warns, then asks).
 * On a non-standard port with no `[host]:port` entries, the bare name is consulted, as ssh does.
 */
export function verifyHostKey(entries: KnownHostEntry[], host: string, port: number, key: HostKey): HostKeyVerdict {
  const presentedType = blobKeyType(key.blob);
  if (presentedType !== key.type) throw new TypeError(`The key blob is of type ${presentedType ?? 'unknown'}, not ${key.type}.`);
  const verdict = verifyByName(entries, host, port, key);
  if (verdict.kind !== 'unknown' || verdict.otherKeyTypes.length > 0 || port === DEFAULT_PORT) return verdict;
  const bare = verifyByName(entries, host, DEFAULT_PORT, key);
  return bare.kind === 'trusted' || bare.kind === 'revoked' ? bare : verdict;
}

/**
 * Reorders host key algorithms like ssh's order_hostkeyalgs(): if a known key's type is already
 * first, keep the order; otherwise move the algorithms whose key type is known for this host to the
 * front, keeping their relative order. Pass the result to ssh2 as algorithms.serverHostKey.
 */
export function orderHostKeyAlgorithms(entries: KnownHostEntry[], host: string, port: number, algorithms: readonly string[]): string[] {
  const knownTypes = new Set(entries.filter((entry) => entry.marker === null && matchesHost(entry, host, port)).map((entry) => entry.keyType));
  const isKnown = (algorithm: string) => knownTypes.has(keyTypeOfAlgorithm(algorithm));
  const first = algorithms[0];
  if (first === undefined || isKnown(first)) return [...algorithms];
  return [...algorithms.filter(isKnown), ...algorithms.filter((algorithm) => !isKnown(algorithm))];
}

export function formatKnownHostsLine(host: string, port: number, key: HostKey, options: { hashed: boolean; comment?: string }): string {
  if (host === '' || UNRECORDABLE_HOST.test(host)) throw new Error(`The host name "${host}" cannot be recorded in known_hosts.`);
  if (!KEY_TYPE_PATTERN.test(key.type) || blobKeyType(key.blob) !== key.type) throw new TypeError(`The key blob does not hold a ${key.type} key.`);
  if (options.comment !== undefined && /[\p{Cc}]/u.test(options.comment)) throw new Error('A known_hosts comment cannot contain control characters.');
  const name = hostKeyPattern(host, port);
  const hostField = options.hashed ? hashedHostField(name, randomBytes(SHA1_BYTES)) : name;
  const comment = options.comment ? ` ${options.comment}` : '';
  return `${hostField} ${key.type} ${Buffer.from(key.blob).toString('base64')}${comment}`;
}

/** Reads the files in order; a missing file is empty, and a problem with a whole file has line 0. */
export async function readKnownHostsFiles(files: string[]): Promise<{ entries: KnownHostEntry[]; problems: { file: string; line: number; message: string }[] }> {
  const entries: KnownHostEntry[] = [];
  const problems: { file: string; line: number; message: string }[] = [];
  for (const file of files) {
    const text = await readKnownHostsText(file);
    if (text === undefined) continue;
    if (typeof text !== 'string') {
      problems.push({ file, line: 0, message: text.problem });
      continue;
    }
    const parsed = parseKnownHosts(text, file);
    entries.push(...parsed.entries);
    problems.push(...parsed.problems.map((problem) => ({ file, ...problem })));
  }
  return { entries, problems };
}

const pendingAppends = new Map<string, Promise<void>>();

/**
 * Appends one line by rewriting the file atomically (temp file, fsync, rename), so a crash leaves
 * the old or the new file and never a torn one. Appends from this process to the same file are
 * serialised; a concurrent writer in another process (ssh itself) can still lose a race.
 */
export async function appendKnownHostsLine(file: string, line: string): Promise<void> {
  if (/[\r\n\0]/.test(line)) throw new Error('A known_hosts line cannot contain line breaks or NUL characters.');
  const previous = pendingAppends.get(file) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => rewriteWithLine(file, line));
  pendingAppends.set(file, next);
  try {
    await next;
  } finally {
    if (pendingAppends.get(file) === next) pendingAppends.delete(file);
  }
}

async function rewriteWithLine(file: string, line: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  // Write through a symlink (dotfile managers link ~/.ssh/known_hosts) instead of replacing it.
  const target = await realpath(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return file;
    throw error;
  });
  const current = await readFile(target, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  await writeFileAtomic(target, `${current}${separator}${line}\n`);
}

async function readKnownHostsText(file: string): Promise<string | { problem: string } | undefined> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return { problem: 'This is not a regular file.' };
    if (info.size > MAX_FILE_BYTES) return { problem: `The file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB.` };
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { problem: `The file cannot be read: ${(error as Error).message}` };
  }
}

function verifyByName(entries: KnownHostEntry[], host: string, port: number, key: HostKey): HostKeyVerdict {
  const matching = entries.filter((entry) => entry.marker !== 'cert-authority' && matchesHost(entry, host, port));
  const revoked = matching.find((entry) => entry.marker === 'revoked' && sameKey(entry, key));
  if (revoked) return { kind: 'revoked', entry: revoked };
  const plain = matching.filter((entry) => entry.marker === null);
  const trusted = plain.find((entry) => sameKey(entry, key));
  if (trusted) return { kind: 'trusted', entry: trusted };
  if (!plain.some((entry) => entry.keyType === key.type)) return { kind: 'unknown', otherKeyTypes: [...new Set(plain.map((entry) => entry.keyType))] };
  return {
    kind: 'changed',
    presented: { keyType: key.type, fingerprint: fingerprintSha256(key.blob) },
    known: plain.map((entry) => ({ keyType: entry.keyType, fingerprint: fingerprintSha256(decodeBase64(entry.keyBase64)), file: entry.file, line: entry.line })),
  };
}

function parseLine(text: string, file: string, line: number): KnownHostEntry | string | undefined {
  const first = /[^ \t]+/.exec(text)?.[0];
  if (first === undefined || first.startsWith('#')) return undefined;
  const marker = parseMarker(first);
  if (marker === undefined) return `Unknown marker "${truncate(first)}".`;
  const fields = leadingFields(text, marker ? 5 : 4);
  if (marker) fields.shift();
  const [hosts, keyType, key, comment = ''] = fields;
  if (hosts === undefined || hosts.startsWith('@')) return 'Only one marker is allowed, followed by host names.';
  if (keyType === undefined || keyType.startsWith('#')) return 'The line has no key type after the host names.';
  if (key === undefined) return 'The line has no key after the key type.';
  const keyError = checkKey(keyType, key);
  if (keyError) return keyError;
  const hashed = hosts.startsWith('|') ? parseHashedHost(hosts) : null;
  if (hashed === undefined) return 'The hashed host name is malformed (expected |1|salt|hash).';
  return { file, line, marker, hostPatterns: hashed ? null : hosts, hashed, keyType, keyBase64: key, comment };
}

function parseMarker(field: string): KnownHostEntry['marker'] | undefined {
  if (!field.startsWith('@')) return null;
  if (field === '@cert-authority') return 'cert-authority';
  if (field === '@revoked') return 'revoked';
  return undefined;
}

/**
 * Up to `count` fields separated by spaces and tabs (as hostfile.c splits them); the last one runs
 * to the end of the line, so a comment keeps its spacing, as ssh keeps it.
 */
function leadingFields(text: string, count: number): string[] {
  const fields: string[] = [];
  const field = /[^ \t]+/g;
  for (let match = field.exec(text); match !== null; match = field.exec(text)) {
    if (fields.length === count - 1) {
      fields.push(text.slice(match.index));
      break;
    }
    fields.push(match[0]);
  }
  return fields;
}

function checkKey(keyType: string, keyBase64: string): string | undefined {
  if (!KEY_TYPE_PATTERN.test(keyType)) return `The key type "${truncate(keyType)}" is not valid.`;
  if (!BASE64_PATTERN.test(keyBase64)) return 'The key is not valid base64.';
  const blobType = blobKeyType(decodeBase64(keyBase64));
  if (blobType === undefined) return 'The key data is truncated or malformed.';
  if (blobType !== keyType) return `The key type "${truncate(keyType)}" does not match the key itself (${blobType}).`;
  return undefined;
}

function parseHashedHost(field: string): { salt: Uint8Array; hash: Uint8Array } | undefined {
  if (!field.startsWith(HASH_MAGIC)) return undefined;
  const parts = field.slice(HASH_MAGIC.length).split('|');
  if (parts.length !== 2) return undefined;
  const [saltText = '', hashText = ''] = parts;
  const salt = decodeCanonicalBase64(saltText);
  const hash = decodeCanonicalBase64(hashText);
  if (salt?.length !== SHA1_BYTES || hash?.length !== SHA1_BYTES) return undefined;
  return { salt, hash };
}

// ssh compares the re-encoded hash as text, so only canonical base64 can ever match.
function decodeCanonicalBase64(text: string): Uint8Array | undefined {
  if (!BASE64_PATTERN.test(text)) return undefined;
  const bytes = decodeBase64(text);
  return Buffer.from(bytes).toString('base64') === text ? bytes : undefined;
}

function decodeBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/**
 * The key type named inside an SSH public key blob: a run of length-prefixed strings (RFC 4253
 * §6.6) that must use up the blob exactly, so truncated or padded keys are refused.
 */
function blobKeyType(blob: Uint8Array): string | undefined {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const strings: Uint8Array[] = [];
  for (let offset = 0; offset < blob.length; ) {
    if (offset + 4 > blob.length) return undefined;
    const end = offset + 4 + view.getUint32(offset);
    if (end > blob.length) return undefined;
    strings.push(blob.subarray(offset + 4, end));
    offset = end;
  }
  const [name, ...fields] = strings;
  if (name === undefined || name.length > 64 || fields.length === 0) return undefined;
  const type = Buffer.from(name).toString('latin1');
  if (type === 'ssh-ed25519' && fields[0]?.length !== 32) return undefined;
  return KEY_TYPE_PATTERN.test(type) ? type : undefined;
}

function hashedHostField(name: string, salt: Uint8Array): string {
  const hash = hashHostName(name, salt);
  return `${HASH_MAGIC}${Buffer.from(salt).toString('base64')}|${Buffer.from(hash).toString('base64')}`;
}

function hashHostName(name: string, salt: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha1', salt).update(name).digest());
}

function sameKey(entry: KnownHostEntry, key: HostKey): boolean {
  return entry.keyType === key.type && equalBytes(decodeBase64(entry.keyBase64), key.blob);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

// rsa-sha2-* are signature algorithms over ssh-rsa keys; every other algorithm names its key type.
function keyTypeOfAlgorithm(algorithm: string): string {
  return algorithm === 'rsa-sha2-256' || algorithm === 'rsa-sha2-512' ? 'ssh-rsa' : algorithm;
}

/**
 * match.c's match_pattern_list() with lower-casing: 1 if a pattern matches, -1 if a negated one
 * does (which wins at once), 0 otherwise.
 */
function matchPatternList(name: string, patterns: string): -1 | 0 | 1 {
  let positive = false;
  for (const raw of patterns.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).toLowerCase();
    if (pattern.length >= MAX_SUBPATTERN_LENGTH) return 0;
    if (!matchWildcard(name, pattern)) continue;
    if (negated) return -1;
    positive = true;
  }
  return positive ? 1 : 0;
}

/**
 * OpenSSH's match_pattern(): '*' matches any run, '?' any one character, everything else itself
 * (case-sensitive). Greedy with one backtrack point, so hostile patterns stay O(text × pattern).
 */
export function matchWildcard(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const char = pattern[p];
    if (char === '*') {
      starP = p;
      starT = t;
      p += 1;
    } else if (char !== undefined && (char === '?' || char === text[t])) {
      p += 1;
      t += 1;
    } else if (starP !== -1) {
      p = starP + 1;
      starT += 1;
      t = starT;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p += 1;
  return p === pattern.length;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
