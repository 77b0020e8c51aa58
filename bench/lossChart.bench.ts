// The loss chart with a 1,000,000-point run, in Chromium: how long the first draw takes and how
// long a drag-zoom takes to redraw. Targets: first draw ≤ 150 ms, zoom redraw ≤ 16 ms.
//
// The real lossChartController (with uPlot, as the app bundles it) is built into a small page with
// esbuild. Baseline, measured in the same page and run: uPlot on its own, default options and line
// path, given the same data already prepared (x, the raw series with gaps for NaN, the smoothed
// series) — so the ratio is what the controller adds: lining the run up, smoothing it (TensorBoard
// EMA over the million points), marking NaN/Inf, the readout and the theme.
//
// Both are timed in the page (performance.now), the controller from update() to its "drawn" event,
// uPlot from its constructor to its draw hook, each then to the next animation frame (the frame the
// user sees). Zooms are real drags on the plot (mousedown, mousemove, mouseup), timed from the
// mouseup to the draw. The run: a decaying loss with noise, one single-step spike and a few NaN/Inf.

import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../test/support/chromium';

const POINTS = Number(process.env.QVL_BENCH_POINTS ?? 1_000_000);
const ROUNDS = 5;
const ZOOMS = [0.5, 0.1, 0.01];
const TARGET_FIRST_MS = 150;
const TARGET_ZOOM_MS = 16;

/** Runs in the page: builds the data, and times the controller and plain uPlot on it. */
const PAGE_SCRIPT = `
import uPlot from 'uplot';
import { CHART_DRAWN, LossChartController } from '../renderer/src/features/loss/lossChartController';
import { plottable } from '../renderer/src/features/loss/chartData';
import { smoothEma } from '../renderer/src/features/loss/smoothing';

const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));

/** A promise for the next draw, and the function that settles it; a draw that never comes fails. */
function nextDraw(what) {
  let settle;
  const promise = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no draw after ' + what)), 10000);
    settle = (at) => (clearTimeout(timer), resolve(at));
  });
  return { promise, settle };
}

function makeRun(n) {
  const step = new Float64Array(n);
  const value = new Float64Array(n);
  const epoch = new Float64Array(n);
  let seed = 7;
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    step[i] = i + 1;
    epoch[i] = (i + 1) / 100000;
    value[i] = 2.5 / Math.sqrt(1 + i / 500) + 0.05 * (seed / 4294967296 - 0.5);
  }
  value[n >> 1] = 40;
  for (const at of [1234, 250000, 777777]) value[at] = NaN;
  value[900001] = Infinity;
  return { step, value, epoch, time: null };
}

const run = makeRun(${POINTS});
const labels = { x: 'Step', smoothed: 'smoothed', metric: { loss: 'Loss', learning_rate: 'LR', grad_norm: 'Grad norm', eval_loss: 'Eval loss', throughput: 'Throughput' } };
const view = { xAxis: 'step', logY: false, smoothing: { kind: 'ema', weight: 0.6 }, metrics: ['loss'], labels };

/** Drags across [from, to] (fractions of the plot's width) and resolves with ms from mouseup to the draw. */
async function drag(over, drawn, from, to) {
  const box = over.getBoundingClientRect();
  const y = box.top + box.height / 2;
  const at = (f) => box.left + box.width * f;
  over.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, clientX: at(from), clientY: y, button: 0, buttons: 1 }));
  // uPlot ignores a drag's moves that say they did not move (a Chrome quirk).
  over.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: at(to), clientY: y, buttons: 1, movementX: 1 }));
  await frame();
  const done = drawn('a drag-zoom');
  const started = performance.now();
  document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, clientX: at(to), clientY: y, button: 0 }));
  const ended = await done;
  await frame();
  return ended - started;
}

async function zoomTimes(over, drawn, reset) {
  const times = [];
  for (const width of ${JSON.stringify(ZOOMS)}) {
    times.push(await drag(over, drawn, 0.5 - width / 2 + 0.01, 0.5 + width / 2 + 0.01));
    await reset();
  }
  return times;
}

async function controllerRound() {
  const host = document.getElementById('host');
  host.replaceChildren();
  const controller = new LossChartController(host);
  let pending;
  const drawn = (what) => ((pending = nextDraw(what)), pending.promise);
  host.addEventListener(CHART_DRAWN, () => pending?.settle(performance.now()), true);
  const first = drawn('update()');
  const started = performance.now();
  controller.update([{ id: 'run', name: 'run', colorIndex: 0, columns: { metrics: { loss: run }, time: null, throughputUnit: null } }], view);
  const drawnAt = await first;
  const framed = await frame();
  const over = host.querySelector('.u-over');
  const reset = async () => {
    const done = drawn('a double-click');
    over.dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));
    await done;
    await frame();
  };
  const zooms = await zoomTimes(over, drawn, reset);
  const points = Number(host.querySelector('.loss-chart').dataset.points);
  controller.destroy();
  return { first: drawnAt - started, firstFrame: framed - started, zooms, points };
}

const baselineData = [run.step, plottable(run.value, run.step), plottable(smoothEma(run.value, 0.6), run.step)];

async function baselineRound() {
  const host = document.getElementById('host');
  host.replaceChildren();
  let pending;
  const drawn = (what) => ((pending = nextDraw(what)), pending.promise);
  const first = drawn('the baseline was built');
  const started = performance.now();
  const plot = new uPlot({ width: host.clientWidth, height: 240, scales: { x: { time: false } }, series: [{}, { stroke: '#5b4bdb44', spanGaps: true }, { stroke: '#5b4bdb', spanGaps: true }], hooks: { draw: [() => pending?.settle(performance.now())] } }, baselineData, host);
  const drawnAt = await first;
  const framed = await frame();
  const reset = async () => {
    const done = drawn('a double-click');
    plot.over.dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));
    await done;
    await frame();
  };
  const zooms = await zoomTimes(plot.over, drawn, reset);
  plot.destroy();
  return { first: drawnAt - started, firstFrame: framed - started, zooms, points: baselineData[0].length };
}

window.benchRound = async (which) => (which === 'controller' ? controllerRound() : baselineRound());
`;

const PAGE_HTML = `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="page.css">
<style>:root{--run-color-0:#5b4bdb;--accent:#5b4bdb;--fail:#c62f3b;--text-muted:#5b6675;--border:#d8dde5;--surface:#fff;--font-ui:sans-serif}body{margin:0}#host{width:600px}</style>
</head><body><div id="host"></div><script src="page.js"></script></body></html>`;

interface Round {
  first: number;
  firstFrame: number;
  zooms: number[];
  points: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const ms = (value: number) => `${value.toFixed(1).padStart(6)} ms`;

const folder = mkdtempSync(join(tmpdir(), 'qvl-chart-bench-'));
// Written inside the repo so the page's imports resolve; removed at the end.
const entry = join(process.cwd(), 'bench', `.lossChart.page.${process.pid}.ts`);
try {
  writeFileSync(entry, PAGE_SCRIPT);
  await build({ entryPoints: { page: entry }, bundle: true, format: 'iife', target: 'chrome120', minify: true, outdir: folder, logLevel: 'warning' });
  writeFileSync(join(folder, 'index.html'), PAGE_HTML);
} finally {
  rmSync(entry, { force: true });
}

console.log(`${cpus().length} CPUs, load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} before`);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('crash', () => errors.push('the page crashed'));
  await page.goto(pathToFileURL(join(folder, 'index.html')).href);
  await page.waitForFunction(() => 'benchRound' in window);
  const results: Record<'controller' | 'baseline', Round[]> = { controller: [], baseline: [] };
  // A warm-up round each (JIT), then alternating rounds so that load spikes hit both alike.
  for (let round = 0; round <= ROUNDS; round++) {
    for (const which of ['controller', 'baseline'] as const) {
      const result = await page.evaluate((name) => (window as unknown as { benchRound(name: string): Promise<Round> }).benchRound(name), which);
      if (round > 0) results[which].push(result);
    }
  }
  if (errors.length > 0) throw new Error(errors.join('\n'));
  const report = (which: 'controller' | 'baseline') => {
    const rounds = results[which];
    const zooms = rounds.flatMap((round) => round.zooms);
    return { first: median(rounds.map((round) => round.first)), firstFrame: median(rounds.map((round) => round.firstFrame)), zoom: median(zooms), zoomMax: Math.max(...zooms), points: rounds[0]?.points ?? 0 };
  };
  const ours = report('controller');
  const base = report('baseline');
  console.log(`${POINTS.toLocaleString('en')} points (raw + smoothed line), medians of ${ROUNDS} rounds, zooms to ${ZOOMS.map((zoom) => `${zoom * 100}%`).join(', ')} of the x range`);
  console.log(`                               first draw     to next frame   zoom redraw (median / max)`);
  console.log(`  lossChartController          ${ms(ours.first)}      ${ms(ours.firstFrame)}       ${ms(ours.zoom)} / ${ms(ours.zoomMax)}`);
  console.log(`  baseline: uPlot alone        ${ms(base.first)}      ${ms(base.firstFrame)}       ${ms(base.zoom)} / ${ms(base.zoomMax)}`);
  console.log(`  ratio controller / baseline  ${(ours.first / base.first).toFixed(2)}×           ${(ours.firstFrame / base.firstFrame).toFixed(2)}×            ${(ours.zoom / base.zoom).toFixed(2)}×`);
  console.log(`targets: first draw ≤ ${TARGET_FIRST_MS} ms (${ours.firstFrame <= TARGET_FIRST_MS ? 'met' : 'MISSED'}, to the next frame), zoom redraw ≤ ${TARGET_ZOOM_MS} ms (${ours.zoom <= TARGET_ZOOM_MS ? 'met' : 'MISSED'}, median)`);
  if (ours.points !== POINTS) throw new Error(`the chart holds ${ours.points} x values, not ${POINTS}: points were dropped`);
} finally {
  await browser.close();
  rmSync(folder, { recursive: true, force: true });
  console.log(`load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} after`);
}
