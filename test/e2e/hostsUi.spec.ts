import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, launchChromium, saveScreenshot } from '../support/chromium';
import { startWebApp } from '../support/webApp';
import type { WebApp } from '../support/webApp';

// Everything here runs without an SSH server: the connection goes to a port nobody listens on.
let app: WebApp;
let browser: Browser;
let home: string;
let closedPort: number;
let page: Page;
let errors: string[];

/** A port that was free a moment ago: connecting to it is refused. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function openApp(options: { lang?: 'en' | 'zh'; colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  const lang = options.lang ?? 'en';
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, colorScheme: options.colorScheme ?? 'light', locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
  const opened = await context.newPage();
  await opened.goto(`${app.url}&lang=${lang}`);
  await opened.getByRole('tab', { name: lang === 'zh' ? '指南' : 'Guide' }).waitFor();
  return opened;
}

const sidebar = () => page.getByRole('complementary', { name: 'DevServers' });
const hostItem = (name: string) => sidebar().getByRole('listitem').filter({ has: page.getByRole('heading', { name, exact: true }) });
// By label, not role: the jump host inputs offer saved names (a datalist), which makes them comboboxes.
const field = (scope: ReturnType<Page['getByRole']>, label: string) => scope.getByLabel(label, { exact: true });

/** Every control on screen has an accessible name (an unnamed one shows up bare in the ARIA snapshot). */
async function expectNamedControls(target: Page): Promise<void> {
  const snapshot = await target.locator('body').ariaSnapshot();
  expect(snapshot).not.toMatch(/- (button|combobox|tab|separator|link|textbox|checkbox|radio|progressbar)\s*$/m);
}

beforeAll(async () => {
  // An empty HOME: no ~/.ssh/config to import, no known_hosts or keys of the machine's user.
  home = mkdtempSync(join(tmpdir(), 'qvl-home-'));
  [app, browser, closedPort] = await Promise.all([startWebApp({ args: ['--lang', 'en'], env: { HOME: home } }), launchChromium(), freePort()]);
  page = await openApp();
  errors = collectPageErrors(page);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('the host sidebar, without an SSH server', () => {
  it('adds a host through the form, after showing what is wrong with it', async () => {
    await sidebar().getByText('No DevServers yet').waitFor();
    await sidebar().getByRole('button', { name: 'Add a DevServer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a DevServer' });
    await dialog.waitFor();
    expect(await field(dialog, 'Port').inputValue()).toBe('22');
    expect(await field(dialog, 'User').inputValue()).toBe('root');
    expect(await dialog.getByRole('radio', { name: 'Automatic' }).isChecked()).toBe(true);

    await field(dialog, 'Name').fill('devbox');
    await field(dialog, 'Host').fill('bad host');
    await field(dialog, 'Port').fill('70000');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByText('A host is a name or address: letters, digits, dots, dashes; IPv6 in [brackets].').waitFor();
    await dialog.getByText('A port is a whole number from 1 to 65535.').waitFor();
    expect(await field(dialog, 'Host').getAttribute('aria-invalid')).toBe('true');
    expect(await field(dialog, 'Port').getAttribute('aria-invalid')).toBe('true');
    expect(await field(dialog, 'Name').getAttribute('aria-invalid')).toBeNull();
    // The error is announced with the field, and the first wrong field has the focus.
    const described = await field(dialog, 'Host').getAttribute('aria-describedby');
    expect(await page.locator(`[id="${described?.split(' ')[0]}"]`).textContent()).toMatch(/^A host is a name/);
    expect(await field(dialog, 'Host').evaluate((input) => input === document.activeElement)).toBe(true);
    await expectNamedControls(page);
    await saveScreenshot(page, 'host-form-errors-en-light');

    await field(dialog, 'Host').fill('127.0.0.1');
    await field(dialog, 'Port').fill(String(closedPort));
    await field(dialog, 'Port').press('Enter');
    await dialog.waitFor({ state: 'detached' });

    await hostItem('devbox').getByText(`root@127.0.0.1:${closedPort}`).waitFor();
    await hostItem('devbox').getByText('Disconnected').waitFor();
    const saved = JSON.parse(readFileSync(join(app.dataDir, 'hosts.json'), 'utf8')) as { hosts: Array<{ name: string; port: number }> };
    expect(saved.hosts.map(({ name, port }) => ({ name, port }))).toEqual([{ name: 'devbox', port: closedPort }]);
  });

  it('edits it; a jump host must name a saved host or be [user@]host[:port]; Escape cancels', async () => {
    await sidebar().getByRole('button', { name: 'Edit devbox' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit devbox' });
    await dialog.waitFor();
    expect(await field(dialog, 'Name').inputValue()).toBe('devbox');
    expect(await field(dialog, 'Port').inputValue()).toBe(String(closedPort));

    await field(dialog, 'Name').fill('devserver-a');
    await dialog.getByRole('button', { name: 'Add a jump host' }).click();
    await field(dialog, 'Jump host 1').fill('not a host');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Neither a saved DevServer’s name nor [user@]host[:port].').waitFor();
    await dialog.getByRole('button', { name: 'Remove jump host 1' }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await hostItem('devserver-a').waitFor();
    expect(await sidebar().getByRole('heading', { name: 'devbox', exact: true }).count()).toBe(0);

    await sidebar().getByRole('button', { name: 'Edit devserver-a' }).click();
    const again = page.getByRole('dialog', { name: 'Edit devserver-a' });
    await again.waitFor();
    await field(again, 'Name').fill('not saved');
    await page.keyboard.press('Escape');
    await again.waitFor({ state: 'detached' });
    await hostItem('devserver-a').waitFor();
  });

  it('shows the import dialog’s empty state when there is no ~/.ssh/config', async () => {
    await sidebar().getByRole('button', { name: 'Import from ~/.ssh/config' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import from ~/.ssh/config' });
    await dialog.getByText('No hosts to import').waitFor();
    expect(await dialog.textContent()).toContain(join(home, '.ssh', 'config'));
    await saveScreenshot(page, 'host-import-empty-en-light');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('connects to a closed port and shows that it was refused, with the details', async () => {
    const item = hostItem('devserver-a');
    await item.getByRole('button', { name: 'Connect devserver-a' }).click();
    await item.getByText(/refused/).waitFor();
    // A first attempt that fails is not retried: the user sees why at once.
    await item.getByText('Failed', { exact: true }).waitFor();
    expect(await item.getByText(/Reconnecting in/).count()).toBe(0);

    const details = item.getByRole('button', { name: 'Details of devserver-a' });
    expect(await details.getAttribute('aria-expanded')).toBe('false');
    await details.click();
    expect(await details.getAttribute('aria-expanded')).toBe('true');
    await item.getByText('this computer → devserver-a').waitFor();
    await item.getByText('Connect to see the algorithms the server negotiated.').waitFor();
    await expectNamedControls(page);
    await saveScreenshot(page, 'host-sidebar-details-en-light');

    await item.getByRole('button', { name: 'Upload to devserver-a' }).click();
    const upload = page.getByRole('dialog', { name: 'Upload to devserver-a' });
    await upload.getByRole('button', { name: 'Upload', exact: true }).click();
    await upload.getByText('Choose a local file or folder.').waitFor();
    await upload.getByText('Enter the path on the server.').waitFor();
    await upload.getByText('E.g. /home/ma-user/ws/', { exact: false }).waitFor();
    await page.keyboard.press('Escape');
    await upload.waitFor({ state: 'detached' });
  });

  it('looks right in both languages and both themes', async () => {
    for (const lang of ['en', 'zh'] as const) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const other = await openApp({ lang, colorScheme });
        const otherErrors = collectPageErrors(other);
        const item = other.getByRole('listitem').filter({ has: other.getByRole('heading', { name: 'devserver-a', exact: true }) });
        await item.getByText(/refused/).waitFor();
        await saveScreenshot(other, `host-sidebar-${lang}-${colorScheme}`);

        await item.getByRole('button', { name: lang === 'zh' ? '编辑 devserver-a' : 'Edit devserver-a' }).click();
        const form = other.getByRole('dialog', { name: lang === 'zh' ? '编辑 devserver-a' : 'Edit devserver-a' });
        await form.waitFor();
        await saveScreenshot(other, `host-form-${lang}-${colorScheme}`);
        await other.keyboard.press('Escape');
        await form.waitFor({ state: 'detached' });
        await expectNamedControls(other);
        expect(otherErrors).toEqual([]);
        await other.context().close();
      }
    }
  });

  it('disconnects, then removes the host after asking', async () => {
    const item = hostItem('devserver-a');
    // After the failed attempt the host offers to connect again; there is nothing to disconnect.
    await item.getByRole('button', { name: 'Connect devserver-a' }).waitFor();

    await item.getByRole('button', { name: 'Remove devserver-a' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Remove devserver-a?' });
    await confirm.waitFor();
    // A stray Enter must not delete: Cancel has the focus.
    expect(await confirm.getByRole('button', { name: 'Cancel' }).evaluate((button) => button === document.activeElement)).toBe(true);
    await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
    await confirm.waitFor({ state: 'detached' });
    await sidebar().getByText('No DevServers yet').waitFor();
    expect(errors).toEqual([]);
  });
});
