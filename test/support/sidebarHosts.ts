import type { Locator, Page } from 'playwright-core';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';

// What a user does in the DevServers sidebar, in the end-to-end tests' words: add a profile,
// connect it (trusting its key the first time, answering the password prompt), wait for the RTT.

export type SidebarAuth = 'password' | 'key';

export const sidebarOf = (page: Page): Locator => page.getByRole('complementary', { name: 'DevServers' });

export const hostItem = (page: Page, name: string): Locator => sidebarOf(page).getByRole('listitem').filter({ has: page.getByRole('heading', { name, exact: true }) });

export async function addHost(page: Page, name: string, server: SimulatedDevServer, auth: SidebarAuth): Promise<void> {
  await sidebarOf(page).getByRole('button', { name: 'Add a DevServer' }).click();
  const form = page.getByRole('dialog', { name: 'Add a DevServer' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Host', { exact: true }).fill(server.host);
  await form.getByLabel('Port', { exact: true }).fill(String(server.port));
  await form.getByLabel('User', { exact: true }).fill(server.user);
  if (auth === 'password') {
    await form.getByRole('radio', { name: /^Password/ }).check();
  } else {
    await form.getByRole('radio', { name: /^Key file/ }).check();
    await form.getByLabel('Private key file').fill(server.clientKey);
  }
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await form.waitFor({ state: 'detached' });
}

/** Connects a profile already in the sidebar; `firstTime` trusts the server's unknown host key. */
export async function connectHost(page: Page, name: string, server: SimulatedDevServer, auth: SidebarAuth, firstTime: boolean): Promise<void> {
  await hostItem(page, name).getByRole('button', { name: `Connect ${name}` }).click();
  if (firstTime) await page.getByRole('dialog', { name: `Unknown host key: ${name}` }).getByRole('button', { name: 'Trust and connect' }).click();
  if (auth === 'password') {
    const password = page.getByRole('dialog', { name: `Password for ${name}` });
    await password.getByLabel(`Password for ${server.user}@${server.host}`).fill(server.password);
    await password.getByRole('button', { name: 'Connect', exact: true }).click();
  }
  await hostItem(page, name).getByText(/\d+(\.\d+)? ms/).first().waitFor();
}

export async function addAndConnect(page: Page, name: string, server: SimulatedDevServer, auth: SidebarAuth): Promise<void> {
  await addHost(page, name, server, auth);
  await connectHost(page, name, server, auth, true);
}

/** Scrolls the nearest scrolling ancestor (not the page) so `anchor` sits at the top of a screenshot. */
export async function scrollToTop(anchor: Locator): Promise<void> {
  await anchor.evaluate((element) => {
    let scroller = element.parentElement;
    while (scroller && !/auto|scroll/.test(getComputedStyle(scroller).overflowY)) scroller = scroller.parentElement;
    if (scroller) scroller.scrollTop += element.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 12;
  });
}

/**
 * Asks a guide item's action for its commands, checks they hold `command` when given, then runs
 * them as shown: what a user does with an item's button in Steps 3–6.
 */
export async function runShownAction(region: Locator, host: string, label: string, item: string, command?: string): Promise<void> {
  await region.getByRole('button', { name: `${label} on ${host}` }).click();
  const preview = region.getByRole('group', { name: `Commands of ${item} on ${host}` });
  if (command !== undefined) {
    const shown = await preview.textContent();
    if (!shown?.includes(command)) throw new Error(`The commands of ${item} on ${host} do not show ${command}:\n${shown}`);
  }
  await preview.getByRole('button', { name: `Run on ${host}` }).click();
}
