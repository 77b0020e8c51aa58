/**
 * Opens a link printed in a terminal outside the app. Only http(s) leaves: a shell can print any
 * URI (javascript:, file:, custom schemes) and a click must not run it. noopener keeps the new
 * page from reaching back into this one; in Electron the main process hands https to the OS browser.
 */
export function openExternalLink(uri: string): void {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return;
  window.open(url.href, '_blank', 'noopener,noreferrer');
}
