/**
 * Every command line the app sends to a server is built here, and only here. Values (form
 * fields, file names, profile fields) are always single-quoted for POSIX sh; only the literal
 * parts of a `sh` template — text written in our source code — reach the shell unquoted.
 */

const CONSTRUCTION = Symbol('RemoteCommand');

export class RemoteCommand {
  readonly text: string;

  /** Not callable from outside this module: the symbol is private to it. */
  constructor(key: typeof CONSTRUCTION, text: string) {
    if (key !== CONSTRUCTION) throw new TypeError('Build remote commands with sh`…`');
    this.text = text;
  }

  toString(): string {
    return this.text;
  }
}

export type CommandValue = string | number | RemoteCommand | readonly (string | number)[];

/** POSIX single quotes: nothing inside is special; a quote is closed, escaped and reopened. */
export function shellQuote(value: string | number): string {
  const text = String(value);
  if (text.includes('\0')) throw new RangeError('A NUL byte cannot be passed to a remote command');
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function render(value: CommandValue): string {
  if (value instanceof RemoteCommand) return value.text;
  if (typeof value === 'string' || typeof value === 'number') return shellQuote(value);
  return value.map((item) => shellQuote(item)).join(' ');
}

/**
 * Tagged template: sh`sha256sum -- ${path}` quotes `path`; arrays become several quoted words;
 * a RemoteCommand is embedded as it is (it was built here already).
 */
export function sh(literals: TemplateStringsArray, ...values: CommandValue[]): RemoteCommand {
  let text = literals[0] ?? '';
  values.forEach((value, index) => {
    text += render(value) + (literals[index + 1] ?? '');
  });
  return new RemoteCommand(CONSTRUCTION, text);
}

/** Runs the command in a login shell, so /etc/profile and ~/.bash_profile (CANN, conda) are loaded. */
export function loginShell(command: RemoteCommand): RemoteCommand {
  return sh`bash -lc ${command.text}`;
}

/** What docker accepts as a container name (it rejects anything else, and `-x` would be an option). */
const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
/** A user name or uid, optionally with a group: never starts with '-'. */
const DOCKER_USER = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]*(:[a-zA-Z0-9_][a-zA-Z0-9_.-]*)?$/;

export function isDockerName(name: string): boolean {
  return DOCKER_NAME.test(name) && name.length <= 128;
}

/** A POSIX environment variable name. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface DockerExecOptions {
  user?: string;
  workdir?: string;
  /** -it: a pty and stdin, for the container shell in the terminal. */
  interactive?: boolean;
  /** Variables for the process in the container (`-e NAME=value`). */
  env?: Readonly<Record<string, string>>;
  /**
   * What runs the command inside: a login bash (the default, so CANN and conda load), or plain
   * `sh -c` where the image may lack bash or a login profile would only slow a probe down.
   */
  shell?: 'bash' | 'sh';
}

/** `docker exec` into a container, the command run by bash (or sh) inside it. */
export function dockerExec(container: string, command: RemoteCommand, options: DockerExecOptions = {}): RemoteCommand {
  if (!isDockerName(container)) throw new RangeError(`Not a valid container name: ${JSON.stringify(container)}`);
  if (options.user !== undefined && !DOCKER_USER.test(options.user)) throw new RangeError(`Not a valid user: ${JSON.stringify(options.user)}`);
  const flags: string[] = [];
  if (options.interactive) flags.push('-it');
  if (options.user !== undefined) flags.push('-u', options.user);
  if (options.workdir !== undefined) flags.push('-w', options.workdir);
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (!ENV_NAME.test(name)) throw new RangeError(`Not a valid variable name: ${JSON.stringify(name)}`);
    flags.push('-e', `${name}=${value}`);
  }
  const runner = options.shell === 'sh' ? sh`sh -c ${command.text}` : sh`bash -lc ${command.text}`;
  return sh`docker exec ${flags} ${container} ${runner}`;
}
