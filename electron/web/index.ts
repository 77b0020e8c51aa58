import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Language } from '../../shared/settings/settings';
import { createAppBackend } from '../main/services/appBackend';
import { APP_VERSION } from '../main/services/appVersion';
import { JsonFileHostsRepository } from '../main/services/hosts/hostsRepository';
import { MemorySecretStore } from '../main/services/hosts/secretStore';
import { userDataDir } from '../main/services/paths/userDataDir';
import { JsonFileSettingsRepository } from '../main/services/settings/jsonFileSettingsRepository';
import { openBrowser } from './openBrowser';
import { startWebServer } from './webServer';

const DEFAULT_PORT = 5180;

const USAGE = `Usage: npm run web -- [options]

Serves Qwen-VL Studio to a browser on this machine (127.0.0.1 only).

Options:
  --port N         listen on port N (default ${DEFAULT_PORT}, or a free one if taken; 0 = any free port)
  --no-open        print the URL but do not open a browser
  --lang en|zh     interface language for this run
  --data-dir DIR   where settings live (default: the desktop app's folder)
  -h, --help       show this help
`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'no-open': { type: 'boolean', default: false },
        lang: { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a whole number from 0 to 65535, not "${values.port}"\n`);
    return 2;
  }
  const lang = values.lang === undefined ? null : Language.safeParse(values.lang);
  if (lang && !lang.success) {
    process.stderr.write(`--lang must be en or zh, not "${values.lang}"\n`);
    return 2;
  }

  const dataDir = values['data-dir'] ?? userDataDir();
  const backend = createAppBackend({
    runtime: 'web',
    settings: new JsonFileSettingsRepository(join(dataDir, 'config.json')),
    hosts: new JsonFileHostsRepository(join(dataDir, 'hosts.json')),
    secrets: new MemorySecretStore(),
    dataDir,
    launchLanguage: lang ? lang.data : null,
  });
  const staticDir = fileURLToPath(new URL('../renderer/', import.meta.url));
  const start = (p: number) => startWebServer({ backend, staticDir, port: p });
  let server;
  try {
    server = await start(port);
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    if (!inUse || values.port !== undefined) {
      process.stderr.write(`Cannot listen on 127.0.0.1:${port}: ${(error as Error).message}\n`);
      return 2;
    }
    server = await start(0);
  }

  process.stdout.write(`Qwen-VL Studio ${APP_VERSION} — browser mode\n\n    ${server.url}\n\nOpen this URL in a browser on this machine. Press Ctrl+C to stop.\n`);
  if (!values['no-open'] && !openBrowser(server.url)) {
    process.stdout.write('(No browser to open here: copy the URL above into one.)\n');
  }

  const running = server;
  await new Promise<void>((resolveStop) => {
    const stop = () => {
      backend.shutdown();
      void running.close().then(resolveStop);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
