import { existsSync } from 'node:fs';

/** Integration and end-to-end tests drive the built app; `npm test` builds it first. */
export default function requireBuild(): void {
  for (const file of ['dist/web/index.mjs', 'dist/renderer/index.html', 'dist/preload/index.cjs', 'dist/main/index.mjs']) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does).`);
  }
}
