#!/usr/bin/env node
// The `qvl` command of the package: runs the CLI bundle that `npm run build` writes.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli/qvl.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('qvl: the CLI is not built yet. Run `npm run build` in the Qwen-VL Studio folder first.\n');
  process.exit(2);
}
await import(bundle.href);
