// What opening and autosaving a 100,000-sample dataset costs the main process: how long it takes,
// and the longest stretch the event loop is blocked meanwhile (perf_hooks'
// monitorEventLoopDelay at 1 ms resolution, plus a 5 ms ticker that records its own worst gap,
// which also sees blocks shorter than the monitor's sampling). The issue asks for a main process
// that stays responsive: every request of the screen waits behind the longest block.
//   - open: dataset:open until it resolves, then until the background checks are done;
//   - autosave: one edit, then until the file is written (the autosave's quiet time is 50 ms
//     here instead of 1 s, so the wait is the write itself).
// The dataset is generated in the OS temp folder (every sample points at one of a few images) and
// deleted at the end. QVL_BENCH_SAMPLES (default 100000) sets the size.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DatasetWorkspaceService } from '../electron/main/services/dataset/workspaceService';
import type { WorkspaceInfo } from '../shared/dataset/workspaceApi';

const samples = Number(process.env.QVL_BENCH_SAMPLES ?? 100_000);
const RUNS = 3;
const IMAGES = ['rgb-12x8.jpg', 'rgb-7x5.png', 'progressive-16x9.jpg'];

function generate(path: string): void {
  const records = [];
  for (let k = 0; k < samples; k++) {
    const conversations = [
      { from: 'user', value: `Picture 1: <img>images/${IMAGES[k % IMAGES.length] ?? ''}</img>\n框出图中的行人` },
      { from: 'assistant', value: `<ref>行人</ref><box>(${k % 800},${k % 700}),(${(k % 800) + 100},${(k % 700) + 150})</box>` },
    ];
    if (k % 4 === 0) conversations.push({ from: 'user', value: 'What colour is it?' }, { from: 'assistant', value: 'Red.' });
    records.push({ id: `identity_${k}`, conversations });
  }
  writeFileSync(path, JSON.stringify(records, null, 2));
}

/** The longest event-loop block while `task` runs, in ms, measured two ways. */
async function longestBlock<T>(task: () => Promise<T>): Promise<{ ms: number; blockMs: number; result: T }> {
  const monitor = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let worstGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    worstGap = Math.max(worstGap, now - last);
    last = now;
  }, 5);
  monitor.enable();
  const start = performance.now();
  const result = await task();
  const ms = performance.now() - start;
  monitor.disable();
  clearInterval(ticker);
  worstGap = Math.max(worstGap, performance.now() - last);
  return { ms, blockMs: Math.max(monitor.max / 1e6, worstGap), result };
}

function waitFor(events: WorkspaceInfo[], done: (info: WorkspaceInfo) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (events.some(done)) {
        clearInterval(poll);
        resolve();
      }
    }, 2);
  });
}

const folder = mkdtempSync(join(tmpdir(), 'qvl-open-bench-'));
try {
  mkdirSync(join(folder, 'images'));
  for (const name of IMAGES) copyFileSync(join('test/fixtures/images', name), join(folder, 'images', name));
  const file = join(folder, 'dataset.json');
  generate(file);
  const original = readFileSync(file);
  console.log(`${samples} samples, ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB; load average ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  for (let run = 0; run < RUNS; run++) {
    writeFileSync(file, original);
    const events: WorkspaceInfo[] = [];
    const service = new DatasetWorkspaceService({ dataDir: join(folder, 'data'), home: folder, autosaveDelayMs: 50, onChange: (info) => events.push(info), onProgress: () => undefined });
    (globalThis as { gc?: () => void }).gc?.();
    const opened = await longestBlock(() => service.open({ file }));
    const checked = await longestBlock(() => waitFor(events, (info) => info.checked));
    const sample = service.sample(opened.result.id, 5).sample;
    events.length = 0;
    const saved = await longestBlock(async () => {
      await service.update(opened.result.id, 5, { ...sample, reviewed: !sample.reviewed });
      await waitFor(events, (info) => info.saveState === 'saved' && info.savedAt !== null && !info.dirty);
    });
    await service.closeAll();
    const reread = JSON.parse(readFileSync(file, 'utf8')) as Array<{ reviewed?: boolean }>;
    if (reread.length !== samples || reread[5]?.reviewed !== !sample.reviewed) throw new Error('the autosave did not write the edit');
    console.log(
      `run ${run + 1}: open ${opened.ms.toFixed(0)} ms (longest block ${opened.blockMs.toFixed(0)} ms), background checks ${checked.ms.toFixed(0)} ms (longest block ${checked.blockMs.toFixed(0)} ms), ` +
        `edit → autosaved ${saved.ms.toFixed(0)} ms (longest block ${saved.blockMs.toFixed(0)} ms); load average ${loadavg()[0]?.toFixed(2)}`,
    );
  }
  console.log(`\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
