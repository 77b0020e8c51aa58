import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker module `name` that sits beside the calling module (`callerUrl`: its
 * import.meta.url). From the sources (tests, benchmarks) the worker is TypeScript, and Node 20 does
 * not hand a worker the loader its parent was started with, so it registers tsx itself first. From
 * a bundle, scripts/build-node.mjs emits `name.mjs` beside it. Undefined when neither exists: the
 * caller then does the work itself.
 */
export function startModuleWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker | undefined {
  if (callerUrl.endsWith('.ts')) {
    const tsx = import.meta.resolve('tsx/esm/api');
    const script = new URL(`./${name}.ts`, callerUrl).href;
    const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(script)}); });`;
    return new Worker(bootstrap, { ...options, eval: true });
  }
  const script = new URL(`./${name}.mjs`, callerUrl);
  return existsSync(fileURLToPath(script)) ? new Worker(script, options) : undefined;
}
