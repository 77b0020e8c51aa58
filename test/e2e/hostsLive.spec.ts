import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';
import { collectPageErrors, launchChromium, saveScreenshot } from '../support/chromium';
import { addHost } from '../support/sidebarHosts';
import { startWebApp } from '../support/webApp';
import type { WebApp } from '../support/webApp';

// A first-time user against the simulated DevServer: add it, check its host key, log in with a
// password, see it connected, upload a file through the sidebar.
let server: SimulatedDevServer;
let app: WebApp;
let browser: Browser;
let page: Page;
let errors: string[];
let home: string;
let work: string;

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'qvl-live-home-'));
  work = mkdtempSync(join(tmpdir(), 'qvl-live-work-'));
  chmodSync(work, 0o777);
  [server, app, browser] = await Promise.all([startDevServer({ name: 'live' }), startWebApp({ args: ['--lang', 'en'], env: { HOME: home } }), launchChromium()]);
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  page = await context.newPage();
  errors = collectPageErrors(page);
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Guide' }).waitFor();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await server?.stop();
  for (const dir of [home, work]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const sidebar = () => page.getByRole('complementary', { name: 'DevServers' });
const item = () => sidebar().getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'devserver-1', exact: true }) });

describe('connecting to a DevServer from the sidebar', () => {
  it('asks about the host key with its OpenSSH fingerprint, then the password, and connects', async () => {
    await addHost(page, 'devserver-1', server, 'password');

    await item().getByRole('button', { name: 'Connect devserver-1' }).click();
    const hostKey = page.getByRole('dialog', { name: 'Unknown host key: devserver-1' });
    await hostKey.waitFor();
    expect(await hostKey.textContent()).toContain(server.hostKeyFingerprint);
    await saveScreenshot(page, 'host-key-prompt-en-light');
    await hostKey.getByRole('button', { name: 'Trust and connect' }).click();

    const password = page.getByRole('dialog', { name: 'Password for devserver-1' });
    await password.waitFor();
    await password.getByLabel(`Password for ${server.user}@127.0.0.1`).fill(server.password);
    await saveScreenshot(page, 'password-prompt-en-light');
    await password.getByRole('button', { name: 'Connect', exact: true }).click();

    await item().getByText(/\d+(\.\d+)? ms/).first().waitFor();
    await item().getByRole('button', { name: 'Details of devserver-1' }).click();
    await item().getByText(/aes|chacha/).first().waitFor();
    expect(readFileSync(join(app.dataDir, 'known_hosts'), 'utf8')).toMatch(/^\|1\|/);
    await saveScreenshot(page, 'host-connected-en-light');
  });

  it('uploads a file with a progress bar and shows it verified', async () => {
    const local = join(work, 'train.json');
    writeFileSync(local, randomBytes(3 * 1024 * 1024));
    await item().getByRole('button', { name: 'Upload to devserver-1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Upload to devserver-1' });
    await dialog.getByLabel('File or folder on this computer').fill(local);
    await dialog.getByLabel('Destination on the server').fill(`${work}/remote/`);
    await dialog.getByRole('button', { name: 'Upload', exact: true }).click();
    await sidebar().getByText(/verified ✓ sha256/).waitFor();
    expect(sha256(join(work, 'remote', 'train.json'))).toBe(sha256(local));
    expect(existsSync(join(work, 'remote', '.train.json.qvl-part'))).toBe(false);
    await saveScreenshot(page, 'transfer-done-en-light');
    expect(errors).toEqual([]);
  });
});
