/**
 * Root on a simulated DevServer, for the one thing the guide does with sudo that a script running
 * as the login user cannot fake: `sudo chown -R ma-user:ma-group ${container_work_dir}`. The
 * simulated sudo (bin/sudo) drops the command line into requests/ and waits; this helper, in the
 * test process (root), runs the real chown and writes back its stderr and exit status. Inside a
 * container the image's ma-user and ma-group are the login user and its group (the simulated
 * container runs as it); on the host they do not exist. Only paths inside the server's own
 * folder may change owner: the simulated root is no root of the test machine.
 */
import { execFile } from 'node:child_process';
import { chown, mkdir, readdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';

const POLL_MS = 50;

interface Request {
  container: string;
  cwd: string;
  argv: string[];
}

function parseRequest(bytes: Buffer): Request | null {
  const [container, cwd, ...argv] = bytes.toString('utf8').split('\0').slice(0, -1);
  return container === undefined || cwd === undefined || argv.length === 0 ? null : { container, cwd, argv };
}

const inside = (path: string, root: string) => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

function runChown(args: readonly string[], cwd: string): Promise<{ stderr: string; code: number }> {
  return new Promise((done) => {
    execFile('chown', args, { cwd }, (error, _stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ stderr, code });
    });
  });
}

export class RootHelper {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private realRoot = '';

  constructor(
    /** Where the simulated sudo writes requests; the login user must be able to write it. */
    readonly requests: string,
    /** The only tree chown may touch. */
    private readonly root: string,
    private readonly owner: { uid: number; gid: number },
  ) {}

  async start(): Promise<void> {
    await mkdir(this.requests, { recursive: true });
    await chown(this.requests, this.owner.uid, this.owner.gid);
    this.realRoot = await realpath(this.root);
    this.timer = setInterval(() => void this.serve(), POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async serve(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const names = await readdir(this.requests).catch(() => [] as string[]);
      for (const name of names.filter((entry) => entry.endsWith('.req'))) {
        const base = join(this.requests, name.slice(0, -'.req'.length));
        const request = parseRequest(await readFile(`${base}.req`));
        await rm(`${base}.req`, { force: true });
        const { stderr, code } = request ? await this.chown(request) : { stderr: 'sudo (simulated): unreadable request\n', code: 1 };
        await writeFile(`${base}.out`, stderr);
        // The status appears last and whole: the waiting sudo reads the output once it sees it.
        await writeFile(`${base}.done.tmp`, `${code}\n`);
        await rename(`${base}.done.tmp`, `${base}.done`);
      }
    } finally {
      this.busy = false;
    }
  }

  private async chown(request: Request): Promise<{ stderr: string; code: number }> {
    const [command, ...args] = request.argv;
    if (command !== 'chown') return { stderr: `sudo (simulated): only chown runs as root here, not ${command}\n`, code: 1 };
    const ownerAt = args.findIndex((arg) => !arg.startsWith('-'));
    if (ownerAt < 0) return runChown(args, request.cwd);
    const spec = args[ownerAt] ?? '';
    const mapped = request.container === '' ? spec : spec.replace(/^ma-user(?=:|$)/, String(this.owner.uid)).replace(/:ma-group$/, `:${this.owner.gid}`);
    for (const path of args.slice(ownerAt + 1)) {
      const real = await realpath(resolve(request.cwd, path)).catch(() => null);
      if (real === null) return { stderr: `chown: cannot access '${path}': No such file or directory\n`, code: 1 };
      if (!inside(real, this.realRoot)) return { stderr: `chown: changing ownership of '${path}': Operation not permitted (simulated root: only the server's own folder)\n`, code: 1 };
    }
    return runChown([...args.slice(0, ownerAt), mapped, ...args.slice(ownerAt + 1)], request.cwd);
  }
}
