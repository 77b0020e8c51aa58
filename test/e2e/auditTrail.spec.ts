import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AuditEntry } from '../../shared/audit/auditEntry';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';
import { collectPageErrors, launchChromium, saveScreenshot } from '../support/chromium';
import { addAndConnect, hostItem } from '../support/sidebarHosts';
import { startWebApp } from '../support/webApp';
import type { WebApp } from '../support/webApp';

// The audit trail of a DevServer: Step 1's checks run commands on it, and its details in the
// sidebar list them with their exit codes and output, filterable and exportable.
let server: SimulatedDevServer;
let app: WebApp;
let browser: Browser;
let page: Page;
let errors: string[];
let home: string;

const HOST = 'devserver-audit';

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'qvl-audit-home-'));
  [server, app, browser] = await Promise.all([startDevServer({ name: 'audit' }), startWebApp({ args: ['--lang', 'en'], env: { HOME: home } }), launchChromium()]);
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, acceptDownloads: true });
  page = await context.newPage();
  errors = collectPageErrors(page);
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Guide' }).click();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await server?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

const item = () => hostItem(page, HOST);
const guide = () => page.getByRole('tabpanel', { name: 'Guide' });
const dialog = () => page.getByRole('dialog', { name: `Commands run on ${HOST}` });

describe('the audit trail of a DevServer', () => {
  it('records the commands Step 1 runs once the host is connected', async () => {
    await addAndConnect(page, HOST, server, 'password');

    await guide().getByRole('checkbox', { name: HOST }).check();
    await guide().getByRole('button', { name: 'Run checks' }).click();
    await guide().getByRole('button', { name: 'Run again' }).waitFor({ timeout: 60_000 });
  });

  it('lists npu-smi info with its exit code and output, from the host details', async () => {
    await item().getByRole('button', { name: `Details of ${HOST}` }).click();
    await item().getByRole('button', { name: `Commands run on ${HOST}` }).click();
    await dialog().waitFor();

    const npuSmi = dialog().getByRole('row').filter({ has: page.getByRole('cell', { name: 'npu-smi info', exact: true }) });
    await npuSmi.first().waitFor();
    expect(await npuSmi.count()).toBeGreaterThan(0);
    // The ✓ is decoration; the cell's accessible name says the outcome in words.
    const exit = npuSmi.first().getByRole('cell', { name: /^0 passed$/ });
    expect(await exit.textContent()).toContain('✓ 0');

    const toggle = npuSmi.first().getByRole('button', { name: 'Output of npu-smi info' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await dialog().getByLabel('stdout of npu-smi info').first().textContent()).toMatch(/npu-smi|Health|OK/);
    await saveScreenshot(page, 'audit-trail-en-light');
  });

  it('filters the list, and shows a message when nothing matches', async () => {
    const filter = dialog().getByLabel('Filter');
    const allRows = await dialog().getByRole('button', { name: /^Output of / }).count();
    await filter.fill('npu-smi info');
    const matching = dialog().getByRole('button', { name: /^Output of / });
    await expect.poll(() => matching.count()).toBeLessThan(allRows);
    for (const name of await matching.evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label') ?? ''))) {
      expect(name).toContain('npu-smi info');
    }
    await filter.fill('no command prints this');
    await dialog().getByText('No command or output contains “no command prints this”.').waitFor();
    expect(await dialog().getByRole('button', { name: 'Export JSON Lines' }).isDisabled()).toBe(true);
    await filter.fill('npu-smi info -l');
  });

  it('exports the filtered entries as JSON Lines', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), dialog().getByRole('button', { name: 'Export JSON Lines' }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^audit-${HOST}-\\d{8}-\\d{6}\\.jsonl$`));
    const path = await download.path();
    const entries = readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEntry);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(entry.command).toBe('npu-smi info -l');
      expect(entry.code).toBe(0);
      expect(entry.finishedAt).toBeGreaterThanOrEqual(entry.startedAt);
    }

    await dialog().getByRole('button', { name: 'Close' }).click();
    await dialog().waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });
});
