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

// Worker threads the services start: each bundle that may start one finds it beside itself
// (`new URL('./name.mjs', import.meta.url)`), so every Node target gets its own copy.
const workers = ['electron/main/services/transfer/connectionWorker.ts', 'electron/main/services/logs/logSegmentWorker.ts', 'electron/main/services/dataset/imageProbeWorker.ts', 'electron/main/services/dataset/datasetFileWorker.ts'];
const withWorkers = (options) => [
  options,
  { ...common, entryPoints: workers, outdir: options.outfile.slice(0, options.outfile.lastIndexOf('/')), entryNames: '[name]', outExtension: { '.js': '.mjs' }, format: 'esm', packages: 'external' },
];

const targets = {
  // Main process: ESM, dependencies loaded from node_modules (asar in the packaged app).
  main: withWorkers({ ...common, entryPoints: ['electron/main/index.ts'], outfile: 'dist/main/index.mjs', format: 'esm', packages: 'external' }),
  // Sandboxed preload: a single CommonJS file; in the sandbox `require` knows only 'electron'.
  preload: [{ ...common, entryPoints: ['electron/preload/index.ts'], outfile: 'dist/preload/index.cjs', format: 'cjs', external: ['electron'], platform: 'browser', target: 'chrome120' }],
  web: withWorkers({ ...common, entryPoints: ['electron/web/index.ts'], outfile: 'dist/web/index.mjs', format: 'esm', packages: 'external' }),
  cli: withWorkers({ ...common, entryPoints: ['electron/cli/qvl.ts'], outfile: 'dist/cli/qvl.mjs', format: 'esm', packages: 'external', banner: { js: '#!/usr/bin/env node' } }),
};

const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!(name in targets)) {
    console.error(`build-node: unknown target "${name}" (known: ${Object.keys(targets).join(', ')})`);
    process.exit(2);
  }
}
await Promise.all((wanted.length ? wanted : Object.keys(targets)).flatMap((name) => targets[name].map((options) => build(options))));
