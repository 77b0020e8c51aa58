// The dataset builder's sample list with 100,000 samples, in Chromium through the real browser-mode
// app (build first: `npm run -s build`): how long opening takes, and frame times while the list is
// scrolled programmatically (scrollTop moved in every animation frame, thumbnails loading as rows
// pass). Target: 60 fps, i.e. frames within 16.7 ms. A list moving more than half its height in
// consecutive frames shows placeholder rows (sampleListController.ts); each run says in how many frames.
//
// Baselines measured in the same run, in the same browser:
//   - a static scroller: a plain page with a scrolling div as tall as the list (no rows, no data),
//     scrolled the same way: what scrolling costs the browser by itself on this machine;
//   - idle: the app with the dataset open and nothing moving: the frame clock's own jitter.
// Frame times are requestAnimationFrame deltas; printed as p50, p95, max and the share over 16.7 ms.
// QVL_BENCH_SAMPLES (default 100000) sets the size; QVL_BENCH_FRAMES (default 600) the frames per run.

import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/support/chromium';
import { rgbPng } from '../test/support/pngImages';
import { startWebApp } from '../test/support/webApp';

const SAMPLES = Number(process.env.QVL_BENCH_SAMPLES ?? 100_000);
const FRAMES = Number(process.env.QVL_BENCH_FRAMES ?? 600);
/** Distinct image files; sample k shows image k mod IMAGES, so thumbnails keep loading while scrolling. */
const IMAGES = 1000;
const FRAME_BUDGET_MS = 1000 / 60;
/** Scroll speeds: a steady read (2 rows a frame), a fling (36 rows a frame), and jumps (the scrollbar dragged). */
const RUNS = [
  { name: 'read, 112 px/frame', step: 112 },
  { name: 'fling, 2000 px/frame', step: 2000 },
  { name: 'jumps, 1/300 of the list/frame', step: -1 },
] as const;

/** A small RGB PNG whose colours depend on `seed`, so thumbnails differ. */
const png = (width: number, height: number, seed: number): Buffer => rgbPng(width, height, (x, y) => [seed * 37 + x * 4, seed * 91 + y * 5, seed * 13]);

const LABELS = ['红色汽车', 'a dog', '格子衬衫', 'the left traffic light', '行人', 'bicycle'];

function generate(folder: string): string {
  mkdirSync(join(folder, 'imgs'));
  for (let k = 0; k < IMAGES; k++) writeFileSync(join(folder, 'imgs', `${k}.png`), png(64, 48, k));
  const records = [];
  for (let k = 0; k < SAMPLES; k++) {
    const label = LABELS[k % LABELS.length] ?? 'x';
    const x = (k * 7) % 700;
    const y = (k * 13) % 700;
    records.push({
      id: `identity_${k}`,
      conversations: [
        { from: 'user', value: `Picture 1: <img>imgs/${k % IMAGES}.png</img>\n框出图中的${label}` },
        { from: 'assistant', value: `<ref>${label}</ref><box>(${x},${y}),(${x + 120},${y + 90})</box>` },
      ],
      ...(k % 3 === 0 && { reviewed: true }),
    });
  }
  const file = join(folder, 'train.json');
  writeFileSync(file, JSON.stringify(records, null, 2));
  return file;
}

interface FrameRun {
  deltas: number[];
  /** Most rows in the DOM at once. */
  maxRows: number;
  /** Frames in which the list showed placeholder rows because it was skimming (moving too fast to read). */
  skimmed: number;
}

/**
 * Runs in the page: moves the scroller's scrollTop in each animation frame and records the deltas.
 * Plain JavaScript text, because the bench runs through tsx, whose helpers do not exist in the page.
 */
const SCROLL_FRAMES = `({ selector, frames, step }) => new Promise((done, fail) => {
  const scroller = document.querySelector(selector);
  if (!scroller) return fail(new Error('no ' + selector));
  const range = Math.max(1, scroller.scrollHeight - scroller.clientHeight);
  const deltas = [];
  let maxRows = 0;
  let skimmed = 0;
  let last = 0;
  let frame = 0;
  const tick = (now) => {
    if (last > 0) deltas.push(now - last);
    last = now;
    maxRows = Math.max(maxRows, scroller.querySelectorAll('.sample-row:not([hidden])').length);
    if (scroller.classList.contains('sample-list--skimming')) skimmed++;
    if (frame++ >= frames) return done({ deltas, maxRows, skimmed });
    if (step > 0) scroller.scrollTop = (scroller.scrollTop + step) % range;
    else if (step < 0) scroller.scrollTop = ((frame * 1009) % 300) * (range / 300);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})`;

function scrollFrames(page: Page, selector: string, frames: number, step: number): Promise<FrameRun> {
  return page.evaluate(`(${SCROLL_FRAMES})(${JSON.stringify({ selector, frames, step })})`) as Promise<FrameRun>;
}

interface Stats {
  p50: number;
  p95: number;
  max: number;
  over: number;
}

function stats(deltas: readonly number[]): Stats {
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? NaN, over: (100 * deltas.filter((delta) => delta > FRAME_BUDGET_MS + 0.5).length) / Math.max(1, deltas.length) };
}

const ms = (value: number) => `${value.toFixed(1).padStart(6)} ms`;
const row = (name: string, value: Stats, extra = '') => `  ${name.padEnd(36)} p50 ${ms(value.p50)}  p95 ${ms(value.p95)}  max ${ms(value.max)}  ${value.over.toFixed(1).padStart(5)} % over 16.7 ms${extra}`;

const folder = mkdtempSync(join(tmpdir(), 'qvl-bench-scroll-'));
const file = generate(folder);
console.log(`${cpus().length} CPUs, load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} before; ${SAMPLES.toLocaleString('en')} samples, ${(statSync(file).size / 1e6).toFixed(1)} MB, ${IMAGES} distinct images; ${FRAMES} frames per run`);
const [app, browser] = await Promise.all([startWebApp(), launchChromium()]);
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });

  // Baseline: a plain scroller as tall as the list, no rows.
  const plain = await context.newPage();
  await plain.setContent(`<!doctype html><div id="scroller" style="height: 720px; width: 240px; overflow-y: auto"><div style="height: ${SAMPLES * 56}px"></div></div>`);
  const baselines = new Map<string, Stats>();
  for (const run of RUNS) baselines.set(run.name, stats((await scrollFrames(plain, '#scroller', FRAMES, run.step)).deltas));
  await plain.close();

  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${app.url}&lang=en`);
  await page.getByRole('tab', { name: 'Dataset' }).click();
  await page.keyboard.press('Control+Shift+H');
  await page.getByRole('button', { name: 'Close the loss panel' }).click();
  await page.getByRole('button', { name: 'Open…' }).click();
  await page.getByRole('textbox', { name: 'Dataset file (JSON)' }).fill(file);
  const opening = performance.now();
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.getByRole('option', { name: /^identity_0 / }).waitFor({ timeout: 120_000 });
  const openSeconds = (performance.now() - opening) / 1000;
  // The main process checks every sample and image in the background after opening (on the same
  // two cores here): measure scrolling once that is done, as it is for the rest of a session.
  const checking = performance.now();
  await page.waitForFunction(() => document.querySelector('.dataset-bar__progress') === null, undefined, { timeout: 300_000, polling: 250 });
  await page.waitForTimeout(1000);
  const checkSeconds = (performance.now() - checking) / 1000;
  const idle = stats((await scrollFrames(page, '.sample-list', FRAMES, 0)).deltas);

  console.log(`opened in ${openSeconds.toFixed(2)} s (to the first rows on screen); background check done ${checkSeconds.toFixed(1)} s later`);
  console.log('frame times while scrolling the list (requestAnimationFrame deltas):');
  const ratios: string[] = [];
  for (const run of RUNS) {
    const ours = await scrollFrames(page, '.sample-list', FRAMES, run.step);
    const measured = stats(ours.deltas);
    const base = baselines.get(run.name) as Stats;
    console.log(row(`sample list, ${run.name}`, measured, `  (≤ ${ours.maxRows} rows in the DOM; placeholders in ${ours.skimmed} of ${ours.deltas.length} frames)`));
    console.log(row(`baseline: plain scroller, same scroll`, base));
    ratios.push(`${run.name}: p95 ${(measured.p95 / base.p95).toFixed(2)}×`);
  }
  console.log(row('idle app (nothing moving)', idle));
  console.log(`ratio sample list / plain scroller: ${ratios.join('; ')}`);
  if (errors.length > 0) console.log(`page errors: ${errors.join(' | ')}`);
} finally {
  await browser.close();
  await app.stop();
  rmSync(folder, { recursive: true, force: true });
  console.log(`load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} after`);
}
