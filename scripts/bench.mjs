// `npm run bench [name...]`: runs bench/<name>.bench.ts (all of them by default) in Node through
// tsx, each in its own process. Benchmarks print their numbers next to a baseline measured in
// the same run; they are never part of `npm test`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const all = readdirSync('bench')
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.slice(0, -'.bench.ts'.length));
const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!all.includes(name)) {
    console.error(`bench: no bench/${name}.bench.ts (have: ${all.join(', ')})`);
    process.exit(2);
  }
}
let failed = false;
for (const name of wanted.length ? wanted : all) {
  console.log(`\n=== ${name} ===`);
  const { status } = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', `bench/${name}.bench.ts`], { stdio: 'inherit' });
  if (status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
