// Terminal output: a file cat'ed on the simulated DevServer, through SSH, the app's flow control
// and the WebSocket, into xterm in Chromium (browser mode, as the e2e tests run it). Baselines in
// the same run: OpenSSH's own client for the transport (`ssh -tt host cat file >/dev/null`) and
// xterm alone in the same Chromium writing the same text with no SSH for the renderer. Then the
// echo latency of keystrokes in a second shell while the first one floods, against the same
// keystrokes with nothing flooding; and how soon Ctrl+C stops an endless flood. Needs `npm run
// build` and root (the simulated DevServer).
// QVL_BENCH_TERMINAL_MB (default 128) sets the file size.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { fnv1a32 } from '../renderer/src/features/terminal/outputTally';
import { TERMINAL_FLOW } from '../shared/terminal/terminalApi';
import { startDevServer } from '../test/devserver/simulatedDevServer';
import { launchChromium } from '../test/support/chromium';
import { startWebApp } from '../test/support/webApp';
import { addAndConnect, sidebarOf } from '../test/support/sidebarHosts';

const MB = 1024 * 1024;
const floodMb = Number(process.env.QVL_BENCH_TERMINAL_MB ?? 128);
const KEYS = 'qwertyuiopasdfghjklzxcvbnm';

/** Training-log-like lines of varied length with Chinese in them. */
function floodText(bytes: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `${String(i).padStart(9, '0')} 训练 loss=${(i * 7919) % 100000} ${alphabet.slice(0, i % 60)}`;
    lines.push(line);
    size += line.length + 5; // two Chinese characters are 6 bytes in UTF-8, 2 UTF-16 units
  }
  return `${lines.join('\n')}\n`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rate = (bytes: number, seconds: number) => bytes / MB / seconds;
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const shownPane = (page: Page) => page.locator('.terminal-pane:not([hidden])');

async function screenText(page: Page): Promise<string> {
  return shownPane(page)
    .locator('.xterm-rows')
    .evaluate((rows) => [...rows.children].map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).join('\n'));
}

async function waitForScreen(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !pattern.test(await screenText(page)); await sleep(20)) {
    if (Date.now() > deadline) throw new Error(`the terminal never showed ${pattern}:\n${await screenText(page)}`);
  }
}

async function type(page: Page, command: string): Promise<void> {
  await shownPane(page).locator('.xterm-helper-textarea').focus();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

async function tally(page: Page): Promise<{ chars: number; hash: number }> {
  const xterm = shownPane(page).locator('.terminal-pane__xterm');
  const [chars, hash] = await Promise.all([xterm.getAttribute('data-received-chars'), xterm.getAttribute('data-received-hash')]);
  return { chars: Number(chars), hash: parseInt(hash ?? '', 16) };
}

/** Milliseconds from each key to its echo at the prompt of the shown shell. */
async function echoLatencies(page: Page): Promise<number[]> {
  await shownPane(page).locator('.xterm-helper-textarea').focus();
  const latencies: number[] = [];
  let typed = '';
  for (const key of KEYS) {
    typed += key;
    const pressed = performance.now();
    await page.keyboard.press(key);
    await waitForScreen(page, new RegExp(`\\$ ${typed}$`, 'm'), 20_000);
    latencies.push(performance.now() - pressed);
  }
  await page.keyboard.press('Control+U');
  return latencies;
}

/**
 * Milliseconds from Ctrl+C to the last character of an endless flood reaching the terminal (no new
 * character for a second after it), a few times over: what "stops within a second" means to a user.
 */
async function ctrlCStops(page: Page, times = 5): Promise<number[]> {
  const stops: number[] = [];
  for (let k = 0; k < times; k++) {
    await type(page, 'clear; yes "flood 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ"');
    const before = (await tally(page)).chars;
    while ((await tally(page)).chars < before + 5_000_000) await sleep(20);
    await page.keyboard.press('Control+C');
    const pressed = performance.now();
    let last = (await tally(page)).chars;
    let lastChange = performance.now();
    while (performance.now() - lastChange < 1000) {
      await sleep(10);
      const now = (await tally(page)).chars;
      if (now !== last) lastChange = performance.now();
      last = now;
    }
    stops.push(lastChange - pressed);
    await waitForScreen(page, /\$$/m);
  }
  return stops;
}

/** xterm alone (with the same Unicode 11 widths), in a blank page of the same browser: the same text in the same chunk size, no SSH, no WebSocket. */
async function xtermAlone(page: Page, data: string): Promise<number> {
  await page.setContent('<div id="host" style="width:900px;height:700px"></div>');
  await page.addStyleTag({ content: readFileSync('node_modules/@xterm/xterm/css/xterm.css', 'utf8') });
  await page.addScriptTag({ content: readFileSync('node_modules/@xterm/xterm/lib/xterm.js', 'utf8') });
  await page.addScriptTag({ content: readFileSync('node_modules/@xterm/addon-unicode11/lib/addon-unicode11.js', 'utf8') });
  // Handed over before the clock starts, in pieces CDP carries comfortably.
  await page.evaluate(() => ((window as unknown as { pieces: string[] }).pieces = []));
  for (let at = 0; at < data.length; at += 4 * MB) await page.evaluate((piece) => (window as unknown as { pieces: string[] }).pieces.push(piece), data.slice(at, at + 4 * MB));
  // Plain JavaScript: tsx would wrap the functions of a TypeScript callback in helpers the page lacks.
  // Its own flow control (xterm drops what is queued beyond 50 MB): 16 chunks in flight, refilled as they are parsed.
  return page.evaluate<number>(`(async () => {
    const terminal = new window.Terminal({ scrollback: 10000, fontFamily: 'Noto Sans Mono CJK SC, monospace', fontSize: 14, allowProposedApi: true });
    terminal.loadAddon(new window.Unicode11Addon.Unicode11Addon());
    terminal.unicode.activeVersion = '11';
    terminal.open(document.getElementById('host'));
    const text = window.pieces.join('');
    const chunk = 64 * 1024;
    const started = performance.now();
    await new Promise((resolve) => {
      let next = 0;
      let inFlight = 0;
      const pump = () => {
        while (inFlight < 16 && next < text.length) {
          const piece = text.slice(next, next + chunk);
          next += chunk;
          inFlight++;
          terminal.write(piece, () => {
            inFlight--;
            if (next >= text.length && inFlight === 0) resolve();
            else pump();
          });
        }
      };
      pump();
    });
    return (performance.now() - started) / 1000;
  })()`);
}

const server = await startDevServer({ name: 'bench-terminal' });
const home = mkdtempSync(join(tmpdir(), 'qvl-bench-terminal-home-'));
const files = mkdtempSync(join(tmpdir(), 'qvl-bench-terminal-'));
chmodSync(files, 0o755);
const [app, browser] = await Promise.all([startWebApp({ args: ['--lang', 'en'], env: { HOME: home } }), launchChromium()]);
try {
  const text = floodText(floodMb * MB);
  const file = join(files, 'flood.txt');
  writeFileSync(file, text, { mode: 0o644 });
  const bytes = statSync(file).size;
  const loadBefore = loadavg()[0] ?? NaN;

  // Transport baseline: OpenSSH with a pty, as the terminal has one.
  const known = join(files, 'known_hosts');
  writeFileSync(known, `${server.knownHostsLine}\n`);
  let started = performance.now();
  execFileSync('sh', ['-c', `ssh -tt -i '${server.clientKey}' -p ${server.port} -o UserKnownHostsFile='${known}' -o StrictHostKeyChecking=yes -o LogLevel=ERROR ${server.user}@127.0.0.1 cat '${file}' >/dev/null`], { stdio: ['pipe', 'ignore', 'inherit'] });
  const opensshSeconds = (performance.now() - started) / 1000;

  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  const alone = await context.newPage();
  const aloneSeconds = await xtermAlone(alone, text.replaceAll('\n', '\r\n'));
  await alone.close();

  const page = await context.newPage();
  await page.goto(app.url);
  await addAndConnect(page, 'bench', server, 'key');
  const sidebar = sidebarOf(page);
  const openShell = sidebar.getByRole('button', { name: 'Open a shell on bench' });
  await openShell.click();
  await waitForScreen(page, /\$$/m);
  await openShell.click();
  await waitForScreen(page, /\$$/m);
  const tabs = page.getByRole('tablist', { name: 'Open terminals' }).getByRole('tab');
  const idleEcho = await echoLatencies(page);

  await tabs.first().click();
  await type(page, `clear; stty -echo; echo "ready-$((8*8))"; read -r _; cat '${file}'; read -r _; stty echo`);
  await waitForScreen(page, /^ready-64$/m);
  await sleep(500);
  const start = await tally(page);
  const sent = text.replaceAll('\n', '\r\n');
  const expected = { chars: start.chars + sent.length, hash: fnv1a32(sent, start.hash) };
  await page.keyboard.press('Enter');
  started = performance.now();
  await sleep(2000);
  await tabs.nth(1).click();
  const floodEcho = await echoLatencies(page);
  await tabs.first().click();
  const echoDuringFlood = (await tally(page)).chars < expected.chars;
  while ((await tally(page)).chars < expected.chars) await sleep(10);
  const appSeconds = (performance.now() - started) / 1000;
  const end = await tally(page);
  const loadAfter = loadavg()[0] ?? NaN;

  const app_ = rate(bytes, appSeconds);
  const openssh = rate(bytes, opensshSeconds);
  const xterm = rate(bytes, aloneSeconds);
  console.log(`${(bytes / MB).toFixed(0)} MiB of UTF-8 (${(sent.length / 1e6).toFixed(1)} M characters after the pty's CRLF), load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${availableParallelism()} cores`);
  console.log(`  OpenSSH ssh -tt cat >/dev/null (transport baseline)    ${openssh.toFixed(1)} MiB/s`);
  console.log(`  xterm alone in Chromium, no SSH (renderer baseline)    ${xterm.toFixed(1)} MiB/s`);
  console.log(`  Qwen-VL Studio: SSH → flow control → WebSocket → xterm ${app_.toFixed(1)} MiB/s — ${(app_ / xterm).toFixed(2)}× xterm alone, ${(app_ / openssh).toFixed(2)}× OpenSSH`);
  // Each pause lets through just over `high` characters and resumes only once the view has parsed
  // all but `low` of them, so every `high` characters cost one view → main → view round trip on
  // top of parsing: the difference with xterm alone is what those round trips cost.
  const perWindow = (seconds: number) => (seconds * 1000 * TERMINAL_FLOW.high) / sent.length;
  console.log(
    `  per ${TERMINAL_FLOW.high.toLocaleString('en')} characters (one flow-control window): ${perWindow(appSeconds).toFixed(1)} ms in the app, ${perWindow(aloneSeconds).toFixed(1)} ms in xterm alone — ` +
      `${(perWindow(appSeconds) - perWindow(aloneSeconds)).toFixed(1)} ms more, ${Math.round(sent.length / TERMINAL_FLOW.high)} windows`,
  );
  console.log(`  every character arrived in order: ${end.chars === expected.chars && end.hash === expected.hash} (FNV-1a ${end.hash.toString(16)})`);
  console.log(
    `echo latency in a second shell, ${KEYS.length} keys: idle p50 ${percentile(idleEcho, 50).toFixed(0)} / p95 ${percentile(idleEcho, 95).toFixed(0)} ms; ` +
      `during the flood p50 ${percentile(floodEcho, 50).toFixed(0)} / p95 ${percentile(floodEcho, 95).toFixed(0)} ms (max ${Math.max(...floodEcho).toFixed(0)}) — p95 ratio ${(percentile(floodEcho, 95) / percentile(idleEcho, 95)).toFixed(2)}×` +
      (echoDuringFlood ? '' : ' (the flood ended before the last key)'),
  );
  await page.keyboard.press('Enter');
  const stops = await ctrlCStops(page);
  console.log(`Ctrl+C during an endless flood (yes), ${stops.length} times: stopped after p50 ${percentile(stops, 50).toFixed(0)} / max ${Math.max(...stops).toFixed(0)} ms (target: within 1,000 ms)`);
} finally {
  await browser.close();
  await app.stop();
  await server.stop();
  rmSync(files, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
}
