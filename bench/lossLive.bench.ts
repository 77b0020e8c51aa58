// Live loss: how long a line appended to a training log on a DevServer takes to appear on the loss
// chart, end to end — the simulated DevServer's sshd on this machine, the browser-mode server
// following the log (tail -F, the parser, batching, the WebSocket), and the page (decoding, the
// run's columns, uPlot's setData and draw) in Chromium. Target: p95 ≤ 300 ms on a local link.
//
// Baseline, measured in the same run on the same file and sshd: `tail -F` over a bare SSH exec
// (ssh2, as the app's session), timed from the append to its bytes arriving in this process —
// what the link and tail alone cost. The ratio is what the app adds on top.
//
// Both clocks are this machine's (Date.now in Node and in the page). Appends come at random
// intervals of 100–300 ms, one line each, as a Trainer with logging_steps = 1 writes them.

import { appendFileSync, chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sh } from '../shared/remote/remoteCommand';
import { startDevServer } from '../test/devserver/simulatedDevServer';
import { launchChromium } from '../test/support/chromium';
import requireBuild from '../test/support/requireBuild';
import { keyHop, openSession } from '../test/support/sshTestKit';
import { startWebApp } from '../test/support/webApp';
import { addAndConnect } from '../test/support/sidebarHosts';

const SAMPLES = Number(process.env.QVL_BENCH_SAMPLES ?? 60);
const TARGET_MS = 300;

let step = 0;
const line = () => {
  step++;
  return `{'loss': ${(3 / Math.sqrt(step)).toFixed(4)}, 'grad_norm': 1.25, 'learning_rate': 1e-05, 'epoch': ${(step / 1000).toFixed(3)}}\n`;
};
const pause = () => new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
/** A sample that never arrives fails the bench instead of hanging it. */
function within<T>(promise: Promise<T>, label: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${label}: nothing after 10 s`)), 10_000))]);
}
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)] ?? NaN;
const summary = (values: number[]) => `p50 ${percentile(values, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(values, 95).toFixed(1).padStart(6)} ms   max ${Math.max(...values).toFixed(1).padStart(6)} ms`;

requireBuild();
const home = mkdtempSync(join(tmpdir(), 'qvl-live-bench-home-'));
const remote = mkdtempSync(join(tmpdir(), 'qvl-live-bench-'));
chmodSync(remote, 0o755);
const path = join(remote, 'train.log');
writeFileSync(path, Array.from({ length: 20 }, line).join(''));
console.log(`${cpus().length} CPUs, load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} before`);
console.log('starting the simulated DevServer, the browser-mode server and Chromium …');
const [server, app, browser] = await Promise.all([startDevServer({ name: 'live-bench' }), startWebApp({ args: ['--lang', 'en'], env: { HOME: home } }), launchChromium()]);
try {
  console.log('baseline: tail -F over SSH …');
  const session = await openSession([keyHop(server)]);
  const baseline: number[] = [];
  try {
    let seen: ((at: number) => void) | null = null;
    const abort = new AbortController();
    // Sub-millisecond clock: the baseline is a few milliseconds at most.
    const reading = session.exec(sh`exec tail -c 0 -F -s 0.2 -- ${path}`, { onStdout: () => seen?.(performance.now()), signal: abort.signal });
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (let sample = 0; sample < SAMPLES; sample++) {
      const arrived = new Promise<number>((resolve) => (seen = resolve));
      const written = performance.now();
      appendFileSync(path, line());
      baseline.push((await within(arrived, 'baseline')) - written);
      await pause();
    }
    abort.abort();
    await reading;
  } finally {
    session.close();
  }

  console.log('the app: connecting the host and following the log in the loss panel …');
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(15_000);
  await page.goto(app.url);
  await addAndConnect(page, 'node1', server, 'key');
  const panel = page.getByRole('complementary', { name: 'Loss' });
  await panel.getByRole('button', { name: 'Follow remote log…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Follow a log on a DevServer' });
  await dialog.getByLabel('Path on the server').fill(path);
  await dialog.getByRole('button', { name: 'Follow', exact: true }).click();
  await panel.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await page.waitForFunction((count) => Number(document.querySelector<HTMLElement>('.loss-chart')?.dataset.points ?? 0) === count, step);

  const endToEnd: number[] = [];
  for (let sample = 0; sample < SAMPLES; sample++) {
    // The page notes when the chart first holds the new point (checked every frame). A string, as
    // tsx would wrap a function's inner closures in a helper the page does not have; it ends in
    // `undefined` so that evaluate does not wait for the promise.
    await page.evaluate(`window.drawnAt = new Promise((resolve) => {
      const check = () => (Number(document.querySelector('.loss-chart')?.dataset.points ?? 0) > ${step} ? resolve(Date.now()) : requestAnimationFrame(check));
      check();
    }), undefined`);
    const written = Date.now();
    appendFileSync(path, line());
    const drawn = (await within(page.evaluate('window.drawnAt'), 'the chart')) as number;
    endToEnd.push(drawn - written);
    await pause();
  }
  console.log(`${SAMPLES} appends of one line each, 100–300 ms apart`);
  console.log(`  app: append → point on the chart       ${summary(endToEnd)}`);
  console.log(`  baseline: append → bytes via tail -F   ${summary(baseline)}`);
  console.log(`  ratio app / baseline (p50)             ${(percentile(endToEnd, 50) / percentile(baseline, 50)).toFixed(1)}×  (the app adds ${(percentile(endToEnd, 50) - percentile(baseline, 50)).toFixed(0)} ms: parsing, the WebSocket, the page, the next frame)`);
  console.log(`target: p95 ≤ ${TARGET_MS} ms (${percentile(endToEnd, 95) <= TARGET_MS ? 'met' : 'MISSED'})`);
} finally {
  await browser.close();
  await app.stop();
  await server.stop();
  for (const dir of [home, remote]) rmSync(dir, { recursive: true, force: true });
  console.log(`load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} after`);
}
