/**
 * One policy for the Electron protocol handler, the browser-mode server and the page's meta tag.
 * No 'unsafe-eval' and no inline scripts; inline styles are allowed because React and the chart
 * and terminal libraries set element styles.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
