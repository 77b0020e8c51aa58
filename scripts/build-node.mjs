// Bundles the Node-side entry points with esbuild. Building never needs the Electron binary:
// `electron` stays an external import that only the Electron runtime resolves.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
};

const targets = {
  // Main process: ESM, dependencies loaded from node_modules (asar in the packaged app).
  main: { ...common, entryPoints: ['electron/main/index.ts'], outfile: 'dist/main/index.mjs', format: 'esm', packages: 'external' },
  // Sandboxed preload: a single CommonJS file; in the sandbox `require` knows only 'electron'.
  preload: { ...common, entryPoints: ['electron/preload/index.ts'], outfile: 'dist/preload/index.cjs', format: 'cjs', external: ['electron'], platform: 'browser', target: 'chrome120' },
  web: { ...common, entryPoints: ['electron/web/index.ts'], outfile: 'dist/web/index.mjs', format: 'esm', packages: 'external' },
  cli: { ...common, entryPoints: ['electron/cli/qvl.ts'], outfile: 'dist/cli/qvl.mjs', format: 'esm', packages: 'external', banner: { js: '#!/usr/bin/env node' } },
};

const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!(name in targets)) {
    console.error(`build-node: unknown target "${name}" (known: ${Object.keys(targets).join(', ')})`);
    process.exit(2);
  }
}
await Promise.all((wanted.length ? wanted : Object.keys(targets)).map((name) => build(targets[name])));
