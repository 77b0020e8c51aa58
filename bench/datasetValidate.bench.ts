// `qvl dataset validate` speed on a 100,000-sample file, against plain JSON.parse of the same
// file (read and decoded the same way) measured in the same run. The issue's budget is 2 s.
// Two datasets, generated in the OS temp folder and deleted at the end:
//   - shared images: every sample points at one of a few small image files, as when many
//     questions are asked about the same pictures; the probe runs once per distinct path;
//   - distinct images: every sample has its own image file (hard links to one small JPEG, so
//     creating them is cheap; a file takes at most 65,000 links, so four sources), so all
//     100,000 are probed: the cost of the file system, spread over two threads (imageProbePool.ts).
// QVL_BENCH_SAMPLES (default 100000) sets the size.

import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateDatasetFile } from '../electron/main/services/dataset/validateDatasetFile';
import { openDataset, saveDataset } from '../shared/dataset/datasetDocument';

const samples = Number(process.env.QVL_BENCH_SAMPLES ?? 100_000);
const RUNS = 3;
const FIXTURES = 'test/fixtures/images';
const SHARED_IMAGES = ['rgb-12x8.jpg', 'rgb-7x5.png', 'progressive-16x9.jpg', 'palette-10x6.gif', 'lossy-20x10.webp'];

let seed = 2024;
function random(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 4294967296;
}

const LABELS = ['红色汽车', 'a dog', '格子衬衫', 'the left traffic light', '行人', 'bicycle'];

function box(): string {
  const x1 = Math.floor(random() * 800);
  const y1 = Math.floor(random() * 800);
  return `(${x1},${y1}),(${x1 + 1 + Math.floor(random() * 198)},${y1 + 1 + Math.floor(random() * 198)})`;
}

/** A Step 5 file: grounding samples, some with two turns or two boxes, as json.dump(indent=2) writes. */
function generate(path: string, imagePath: (index: number) => string): number {
  const records = [];
  for (let k = 0; k < samples; k++) {
    const label = LABELS[k % LABELS.length] ?? 'x';
    const conversations = [
      { from: 'user', value: `Picture 1: <img>${imagePath(k)}</img>\n框出图中的${label}` },
      { from: 'assistant', value: `<ref>${label}</ref><box>${box()}</box>${k % 3 === 0 ? `<box>${box()}</box>` : ''}` },
    ];
    if (k % 4 === 0) conversations.push({ from: 'user', value: 'What colour is it?' }, { from: 'assistant', value: 'It is red, with a white stripe along the side.' });
    records.push({ id: `identity_${k}`, conversations });
  }
  const text = JSON.stringify(records, null, 2);
  writeFileSync(path, text);
  return Buffer.byteLength(text);
}

function best<T>(runs: number, task: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  return (async () => {
    let seconds = Infinity;
    let result: T | undefined;
    for (let run = 0; run < runs; run++) {
      (globalThis as { gc?: () => void }).gc?.();
      const start = performance.now();
      result = await task();
      seconds = Math.min(seconds, (performance.now() - start) / 1000);
    }
    return { seconds, result: result as T };
  })();
}

async function compare(label: string, file: string, runs: number): Promise<void> {
  const bytes = statSync(file).size;
  const baseline = await best(runs, async () => (JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file))) as unknown[]).length);
  const validate = await best(runs, () => validateDatasetFile(file));
  const { result } = validate;
  console.log(`\n${label}: ${result.samples} samples, ${(bytes / 1024 / 1024).toFixed(1)} MB, ${result.errors} errors, ${result.warnings} warnings`);
  console.log(`  baseline: read + strict UTF-8 decode + JSON.parse   ${baseline.seconds.toFixed(3)} s (best of ${runs})`);
  console.log(`  qvl dataset validate (validateDatasetFile)          ${validate.seconds.toFixed(3)} s (best of ${runs})  ratio ${(validate.seconds / baseline.seconds).toFixed(2)}× JSON.parse  ${validate.seconds <= 2 ? 'within' : 'OVER'} the 2 s budget`);
  // On a shared machine the wall time depends on what else runs: the load says how much.
  console.log(`  load average ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  if (result.errors > 0) throw new Error(`the generated dataset should be clean: ${JSON.stringify(result.problems.slice(0, 3))}`);
}

const folder = mkdtempSync(join(tmpdir(), 'qvl-dataset-bench-'));
try {
  mkdirSync(join(folder, 'images'));
  for (const name of SHARED_IMAGES) copyFileSync(join(FIXTURES, name), join(folder, 'images', name));
  const shared = join(folder, 'shared.json');
  console.log(`generating ${samples} samples in ${folder} …`);
  generate(shared, (k) => `images/${SHARED_IMAGES[k % SHARED_IMAGES.length]}`);
  const distinct = join(folder, 'distinct.json');
  mkdirSync(join(folder, 'many'));
  const sources = [0, 1, 2, 3].map((k) => join(folder, `source-${k}.jpg`));
  for (const source of sources) copyFileSync(join(FIXTURES, 'rgb-12x8.jpg'), source);
  for (let k = 0; k < samples; k++) linkSync(sources[k % sources.length] ?? '', join(folder, 'many', `${k}.jpg`));
  generate(distinct, (k) => `${join(folder, 'many', `${k}.jpg`)}`);
  // Warm the page cache and the JIT before timing.
  await validateDatasetFile(shared);
  await compare(`shared images (${SHARED_IMAGES.length} distinct files)`, shared, RUNS);
  await compare(`distinct images (${samples} files, each probed)`, distinct, RUNS);
  // What the editor pays to open the same file and to save it unchanged (no budget in the issue).
  const text = readFileSync(shared, 'utf8');
  const opened = await best(RUNS, async () => openDataset(text));
  const saved = await best(RUNS, async () => saveDataset(opened.result, opened.result.samples));
  if (saved.result !== text) throw new Error('saving without edits changed the file');
  console.log(`
editor: openDataset ${opened.seconds.toFixed(3)} s, saveDataset unchanged ${saved.seconds.toFixed(3)} s (byte-identical)`);
  console.log(`\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
