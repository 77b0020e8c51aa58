/**
 * ~/.ssh/config for importing hosts and resolving aliases, following OpenSSH's readconf.c: the first
 * obtained value wins, Host patterns match the alias exactly as typed (case-sensitive), Include is
 * expanded in place and restores the including file's Host state afterwards. Nothing is ever
 * executed: Match blocks (including `Match exec`) are treated as not matching, and ProxyCommand is
 * only reported so callers can refuse it.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, parse as parsePath, resolve } from 'node:path';
import { formatTarget, isIpv6, parseTarget } from '../../../../shared/ssh/target';
import { matchWildcard } from './knownHosts';

export interface SshConfigHost {
  alias: string;
  /** HostName with %h expanded, lower-cased like ssh does (addresses excepted); the alias when unset. */
  hostName: string;
  port: number;
  /** Null when the config sets none: ssh then uses the local user name. */
  user: string | null;
  /** IdentityFile values in order, ~ and %-tokens expanded; empty means OpenSSH's default keys. */
  identityFiles: string[];
  /**
   * ProxyJump hops in visiting order as `[user@]host[:port]` (ssh:// URIs rewritten); empty for none.
   * A hop that failed validation is kept as written (and reported), so check each with parseTarget.
   */
  proxyJump: string[];
  /** Set when a ProxyCommand won over ProxyJump. Never run it: refuse, or tell the user. */
  proxyCommand: string | null;
  /** HostKeyAlias: look the host key up under this name (with port 22) instead of hostName. */
  hostKeyAlias: string | null;
}

export type SshConfigItem =
  | { kind: 'host'; patterns: string[]; file: string; line: number }
  | { kind: 'match'; file: string; line: number }
  | { kind: 'option'; keyword: OptionKeyword; value: string; file: string; line: number }
  | { kind: 'include'; paths: string[]; included: SshConfigFile[]; file: string; line: number };

export interface SshConfigFile {
  file: string;
  items: SshConfigItem[];
}

export interface SshConfigProblem {
  file: string;
  line: number;
  message: string;
}

export type OptionKeyword = 'hostname' | 'port' | 'user' | 'identityfile' | 'proxyjump' | 'proxycommand' | 'hostkeyalias';

// The keywords we act on; readconf.c knows many more, and those are ignored here.
const KEYWORDS = new Set<string>(['host', 'match', 'include', 'hostname', 'port', 'user', 'identityfile', 'hostkeyalias', 'proxyjump', 'proxycommand']);
// readconf.c's READCONF_MAX_DEPTH.
const MAX_INCLUDE_DEPTH = 16;
// Guards against include fan-out (each level including several files) that a depth limit alone allows.
const MAX_INCLUDED_FILES = 512;
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
const DEFAULT_PORT = 22;
const NUL_PROBLEM = 'The line contains a NUL character; like ssh, everything after it is ignored.';
const MATCH_PROBLEM = 'Match blocks are not evaluated; their options are ignored.';

/** Reads ~/.ssh/config (or `path`) with its Includes; a missing file is an empty config, a problem with a whole file has line 0. */
export async function loadSshConfig(options: { path?: string; home?: string } = {}): Promise<{ config: SshConfigFile; problems: SshConfigProblem[] }> {
  const home = options.home ?? homedir();
  const file = resolve(options.path ?? join(home, '.ssh', 'config'));
  const problems: SshConfigProblem[] = [];
  const text = await readConfigText(file, problems, { file, line: 0 });
  const parsed = parseSshConfig(text ?? '', file);
  problems.push(...parsed.problems);
  const config = await expandIncludes(parsed.config, { home, problems, stack: [file], budget: { files: MAX_INCLUDED_FILES } });
  return { config, problems };
}

/** Parses one file; Include items are left with nothing included (loadSshConfig fills them in). */
export function parseSshConfig(text: string, file: string): { config: SshConfigFile; problems: SshConfigProblem[] } {
  const items: SshConfigItem[] = [];
  const problems: SshConfigProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    // ssh reads lines as C strings, so it stops at a NUL; do the same, but say so.
    const nul = raw.indexOf('\0');
    if (nul !== -1) problems.push({ file, line, message: NUL_PROBLEM });
    const { item, problem } = parseLine(nul === -1 ? raw : raw.slice(0, nul), file, line);
    if (item) items.push(item);
    if (problem) problems.push({ file, line, message: problem });
  });
  return { config: { file, items }, problems };
}

export function resolveSshHost(config: SshConfigFile, alias: string, options: { localUser: string; home: string }): SshConfigHost {
  const found = new Map<OptionKeyword, string>();
  // readconf.c drops repeats of the same IdentityFile text; a Set keeps first-seen order.
  const identityFiles = new Set<string>();
  applyItems(config.items, alias, { active: true }, false, (keyword, value) => {
    if (keyword === 'identityfile') {
      identityFiles.add(value);
    } else if (keyword === 'proxyjump') {
      applyProxyJump(found, value);
    } else if (!found.has(keyword)) {
      found.set(keyword, value);
    }
  });
  const hostName = resolveHostName(found.get('hostname'), alias);
  const port = Number(found.get('port') ?? DEFAULT_PORT);
  const user = found.get('user') ?? null;
  const hostKeyAlias = found.get('hostkeyalias') ?? null;
  const jump = found.get('proxyjump');
  const proxyCommand = found.get('proxycommand');
  const tokens: Record<string, string> = { '%': '%', d: options.home, h: hostName, p: String(port), r: user ?? options.localUser, u: options.localUser, n: alias, k: hostKeyAlias ?? alias };
  return {
    alias,
    hostName,
    port,
    user,
    identityFiles: [...identityFiles].filter((value) => value.toLowerCase() !== 'none').map((value) => expandTokens(expandTilde(value, options), tokens)),
    proxyJump: jump === undefined || jump === 'none' ? [] : jump.split(','),
    proxyCommand: proxyCommand === undefined || proxyCommand.toLowerCase() === 'none' ? null : proxyCommand,
    hostKeyAlias,
  };
}

/** Host names without wildcards or negation, in file order (includes expanded), each once. */
export function listConcreteAliases(config: SshConfigFile): string[] {
  const aliases = new Set<string>();
  const visit = (items: SshConfigItem[]) => {
    for (const item of items) {
      if (item.kind === 'include') item.included.forEach((file) => visit(file.items));
      if (item.kind !== 'host') continue;
      for (const pattern of item.patterns) {
        if (!/[*?]/.test(pattern) && !pattern.startsWith('!')) aliases.add(pattern);
      }
    }
  };
  visit(config.items);
  return [...aliases];
}

/**
 * readconf.c's walk: a Host line sets whether the following options apply; an Include shares that
 * state with the included files and restores it afterwards; inside an inactive section, included
 * Host lines never match.
 */
function applyItems(items: SshConfigItem[], alias: string, state: { active: boolean }, neverMatch: boolean, apply: (keyword: OptionKeyword, value: string) => void): void {
  for (const item of items) {
    if (item.kind === 'host') state.active = !neverMatch && hostMatches(item.patterns, alias);
    else if (item.kind === 'match') state.active = false;
    else if (item.kind === 'option') {
      if (state.active) apply(item.keyword, item.value);
    } else {
      const outer = state.active;
      for (const file of item.included) {
        applyItems(file.items, alias, state, neverMatch || !outer, apply);
        state.active = outer;
      }
    }
  }
}

function hostMatches(patterns: string[], alias: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (!matchWildcard(alias, negated ? pattern.slice(1) : pattern)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

// ProxyJump (even "none") claims the slot only if unset; a real jump also blocks a later
// ProxyCommand, and an earlier ProxyCommand (even "none") blocks the jump — readconf.c parse_jump().
function applyProxyJump(found: Map<OptionKeyword, string>, value: string): void {
  if (found.has('proxyjump')) return;
  if (value === 'none') {
    found.set('proxyjump', value);
  } else if (!found.has('proxycommand')) {
    found.set('proxyjump', value);
    found.set('proxycommand', 'none');
  }
}

function resolveHostName(value: string | undefined, alias: string): string {
  const name = value === undefined ? alias : expandTokens(value, { '%': '%', h: alias });
  // ssh lower-cases names but not addresses (an IPv6 zone may be case-sensitive).
  return isIpv6(name) ? name : name.toLowerCase();
}

function expandTilde(path: string, options: { localUser: string; home: string }): string {
  if (path === '~' || path === `~${options.localUser}`) return options.home;
  for (const prefix of ['~/', `~${options.localUser}/`]) {
    if (path.startsWith(prefix)) return join(options.home, path.slice(prefix.length));
  }
  return path;
}

/** One pass over %x tokens; unknown tokens are left as written rather than guessed. */
function expandTokens(text: string, tokens: Record<string, string>): string {
  return text.replace(/%(.)/gs, (whole, token: string) => tokens[token] ?? whole);
}

type ParsedLine = { item?: SshConfigItem; problem?: string };

function parseLine(raw: string, file: string, line: number): ParsedLine {
  // readconf.c trims trailing whitespace (CR from CRLF files included) and form feeds.
  const text = trimEnd(raw, ' \t\r\n\f');
  const head = /^[ \t]*([^ \t\r\n="]*)[ \t]*=?[ \t]*/.exec(text);
  const written = head?.[1] ?? '';
  const keyword = written.toLowerCase();
  if (keyword === '' || keyword.startsWith('#') || !KEYWORDS.has(keyword)) return {};
  const rest = text.slice(head?.[0].length ?? 0);
  // Whatever follows, a Match line ends the previous block, so its options cannot leak into it.
  if (keyword === 'match') return { item: { kind: 'match', file, line }, problem: MATCH_PROBLEM };
  if (keyword === 'proxycommand') return rest === '' ? { problem: `${written} needs a value.` } : { item: { kind: 'option', keyword, value: rest, file, line } };
  if (keyword === 'proxyjump') return parseProxyJump(rest, written, file, line);
  const args = splitArguments(rest);
  const argsProblem = args === undefined ? 'The line has an unterminated quote.' : args.length === 0 ? `${written} needs a value.` : args.includes('') ? `${written} has an empty argument.` : undefined;
  // A broken Host line still ends the previous block; it just matches nothing.
  if (keyword === 'host') return { item: { kind: 'host', patterns: argsProblem ? [] : (args ?? []), file, line }, problem: argsProblem };
  if (argsProblem || args === undefined) return { problem: argsProblem };
  if (keyword === 'include') return { item: { kind: 'include', paths: args, included: [], file, line } };
  const [value = ''] = args;
  if (args.length > 1) return { problem: `${written} takes one value; the line has more and is ignored.` };
  if (keyword === 'port' && !isValidPort(value)) return { problem: `The port "${value}" is not a whole number from 1 to 65535; the line is ignored.` };
  return { item: { kind: 'option', keyword: keyword as OptionKeyword, value, file, line } };
}

// A loop, not /[…]+$/: that regex is quadratic on long runs of blanks inside a line.
function trimEnd(text: string, blanks: string): string {
  let end = text.length;
  while (end > 0 && blanks.includes(text[end - 1] ?? '')) end -= 1;
  return text.slice(0, end);
}

function isValidPort(text: string): boolean {
  return /^[0-9]{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535;
}

/**
 * Each hop should be `[user@]host[:port]` or `ssh://[user@]host[:port]` (rewritten to the former).
 * ssh refuses to run with a bad hop; we report it and keep it as written, so that connecting through
 * it fails in parseTarget instead of quietly going direct.
 */
function parseProxyJump(rest: string, written: string, file: string, line: number): ParsedLine {
  const value = trimEnd(rest.split('#')[0] ?? '', ' \t');
  if (value === '') return { problem: `${written} needs a value.` };
  if (value.toLowerCase() === 'none') return { item: { kind: 'option', keyword: 'proxyjump', value: 'none', file, line } };
  const errors: string[] = [];
  const hops = value.split(',').map((hop) => {
    const parsed = parseTarget(hop.startsWith('ssh://') ? hop.slice('ssh://'.length).replace(/\/$/, '') : hop);
    if (parsed.ok) return formatTarget(parsed.target);
    errors.push(parsed.error);
    return hop;
  });
  const item: SshConfigItem = { kind: 'option', keyword: 'proxyjump', value: hops.join(','), file, line };
  return errors.length === 0 ? { item } : { item, problem: `${written} "${value}" cannot be used: ${errors.join(' ')}` };
}

/**
 * misc.c argv_split(): blanks separate arguments, "…" and '…' quote, a backslash escapes a quote,
 * a backslash or (outside quotes) a blank, and '#' at the start of an argument ends the line.
 * Returns undefined for an unterminated quote.
 */
function splitArguments(text: string): string[] | undefined {
  const args: string[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === ' ' || char === '\t') {
      index += 1;
      continue;
    }
    if (char === '#') break;
    let arg = '';
    let quote: string | null = null;
    for (; index < text.length; index += 1) {
      const current = text[index] ?? '';
      const next = text[index + 1];
      if (current === '\\' && next !== undefined && (next === "'" || next === '"' || next === '\\' || (quote === null && next === ' '))) {
        arg += next;
        index += 1;
      } else if (quote === null && (current === ' ' || current === '\t')) {
        break;
      } else if (quote === null && (current === '"' || current === "'")) {
        quote = current;
      } else if (current === quote) {
        quote = null;
      } else {
        arg += current;
      }
    }
    if (quote !== null) return undefined;
    args.push(arg);
  }
  return args;
}

interface IncludeContext {
  home: string;
  problems: SshConfigProblem[];
  /** Files being included, outermost first: a repeat is a loop. */
  stack: string[];
  budget: { files: number };
}

async function expandIncludes(config: SshConfigFile, context: IncludeContext): Promise<SshConfigFile> {
  const items: SshConfigItem[] = [];
  for (const item of config.items) {
    items.push(item.kind === 'include' ? { ...item, included: await includeFiles(item, context) } : item);
  }
  return { file: config.file, items };
}

async function includeFiles(item: Extract<SshConfigItem, { kind: 'include' }>, context: IncludeContext): Promise<SshConfigFile[]> {
  const where = { file: item.file, line: item.line };
  const problem = (message: string) => context.problems.push({ ...where, message });
  const included: SshConfigFile[] = [];
  for (const path of item.paths) {
    const pattern = includePattern(path, context.home);
    if (typeof pattern !== 'string') {
      problem(pattern.problem);
      continue;
    }
    for (const file of await expandGlob(pattern)) {
      if (context.stack.includes(file)) {
        problem(`Include loop: ${file} is already being read; it is not included again.`);
      } else if (context.stack.length > MAX_INCLUDE_DEPTH) {
        problem(`Includes are nested more than ${MAX_INCLUDE_DEPTH} deep; ${file} is ignored.`);
      } else if (context.budget.files <= 0) {
        problem(`More than ${MAX_INCLUDED_FILES} files are included; ${file} is ignored.`);
      } else {
        context.budget.files -= 1;
        const text = await readConfigText(file, context.problems, where);
        if (text === undefined) continue;
        const parsed = parseSshConfig(text, file);
        context.problems.push(...parsed.problems);
        included.push(await expandIncludes(parsed.config, { ...context, stack: [...context.stack, file] }));
      }
    }
  }
  return included;
}

/** readconf.c: `~` is the home directory, and a relative path lives in ~/.ssh (user config). */
function includePattern(path: string, home: string): string | { problem: string } {
  if (/%|\$\{/.test(path)) return { problem: `Include "${path}" uses %-tokens or \${…} variables, which are not expanded; it is ignored.` };
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  if (path.startsWith('~')) return { problem: `Include "${path}" names another user's home directory; it is ignored.` };
  return isAbsolute(path) ? resolve(path) : join(home, '.ssh', path);
}

/**
 * glob(7) with '*' and '?' in any path component ('[' is taken literally); like glob, a leading
 * '.' must be matched explicitly and the results are sorted. Paths need not exist.
 */
async function expandGlob(pattern: string): Promise<string[]> {
  const { root } = parsePath(pattern);
  const components = pattern.slice(root.length).split(/[\\/]+/).filter((component) => component !== '');
  let paths = [root];
  for (const component of components) {
    if (!/[*?]/.test(component)) {
      paths = paths.map((path) => join(path, component));
      continue;
    }
    const next: string[] = [];
    for (const directory of paths) {
      const names = await readdir(directory).catch(() => [] as string[]);
      for (const name of names) {
        if (name.startsWith('.') && !component.startsWith('.')) continue;
        if (matchWildcard(name, component)) next.push(join(directory, name));
      }
    }
    paths = next;
  }
  return paths.sort();
}

/** The file's text, or undefined when it is missing, not a regular file (a problem), or unreadable (a problem). */
async function readConfigText(file: string, problems: SshConfigProblem[], where: { file: string; line: number }): Promise<string | undefined> {
  try {
    const info = await stat(file);
    // A directory matched by a glob is read as empty by ssh; FIFOs and devices would block or never end.
    if (info.isDirectory()) return undefined;
    if (!info.isFile()) {
      problems.push({ ...where, message: `${file} is not a regular file; it is ignored.` });
      return undefined;
    }
    if (info.size > MAX_CONFIG_BYTES) {
      problems.push({ ...where, message: `${file} is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB; it is ignored.` });
      return undefined;
    }
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push({ ...where, message: `${file} cannot be read: ${(error as Error).message}` });
    return undefined;
  }
}
