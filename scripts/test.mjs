// `npm test`: system packages, then typecheck, lint, build, unit and integration tests, and the
// end-to-end tests in Chromium. Stops at the first failing stage.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.QVL_CHROMIUM ?? '/usr/bin/chromium';

/** What the tests need from the OS, and how to tell whether it is there. */
const SYSTEM_PACKAGES = [
  { name: 'chromium', why: 'end-to-end tests drive it with playwright-core', present: () => existsSync(CHROMIUM) },
  { name: 'fonts-noto-cjk', why: 'Chinese text in the screenshots', present: () => run('fc-list', [':lang=zh'], { quiet: true }).stdout.trim() !== '' },
  { name: 'openssh-server', why: 'the simulated DevServer is a real sshd', present: () => existsSync('/usr/sbin/sshd') },
  { name: 'openssh-client', why: 'tests compare with OpenSSH’s own ssh and sftp', present: () => existsSync('/usr/bin/ssh') && existsSync('/usr/bin/sftp') },
];

function run(command, args, { quiet = false, env } = {}) {
  const result = spawnSync(command, args, { stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8', env: env ?? process.env });
  return { status: result.status ?? (result.error ? 127 : 1), stdout: result.stdout ?? '' };
}

function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter((pkg) => !pkg.present());
  if (missing.length === 0) return;
  const names = missing.map((pkg) => pkg.name);
  const canInstall = process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    console.error(`npm test needs these system packages:\n${missing.map((pkg) => `  ${pkg.name} (${pkg.why})`).join('\n')}`);
    console.error(`Install them, for example: sudo apt-get install -y ${names.join(' ')}`);
    console.error('or point QVL_CHROMIUM at a Chromium binary.');
    process.exit(1);
  }
  console.log(`Installing system packages: ${names.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update', '-qq'], { env }).status !== 0 || run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { env }).status !== 0) {
    console.error(`apt-get could not install ${names.join(' ')}`);
    process.exit(1);
  }
}

// End-to-end tests get a stage of their own: integration tests rebuild dist/ (`npm run web`),
// which must not happen under a browser that is loading it.
const STAGES = [
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['lint', 'npm', ['run', '-s', 'lint']],
  ['build', 'npm', ['run', '-s', 'build']],
  ['unit and integration tests', 'npx', ['vitest', 'run', '--project', 'unit', '--project', 'integration']],
  ['end-to-end tests', 'npx', ['vitest', 'run', '--project', 'e2e']],
];

ensureSystemPackages();
for (const [label, command, args] of STAGES) {
  const started = Date.now();
  console.log(`\n▶ ${label}`);
  const { status } = run(command, args);
  if (status !== 0) {
    console.error(`\n✖ ${label} failed (exit ${status})`);
    process.exit(status);
  }
  console.log(`✔ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
