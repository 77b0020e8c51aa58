import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface GuardConfig {
  port: number;
  token: string;
}

export type GuardVerdict = { ok: true; tokenFrom: 'query' | 'header' | 'cookie' } | { ok: false; status: 401 | 403; reason: string };

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** The cookie is per port: cookies ignore ports, and two instances must not overwrite each other's. */
export function tokenCookieName(port: number): string {
  return `qvl-token-${port}`;
}

/** A Host header naming anything but loopback on our port is a DNS-rebinding attempt. */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return LOOPBACK_NAMES.some((name) => host.toLowerCase() === `${name}:${port}`);
}

export function isAllowedOrigin(origin: string, port: number): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && url.origin === origin && isLoopbackHost(url.host, port);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks one HTTP or WebSocket request: loopback Host, then Origin (required for WebSocket and
 * for anything but GET/HEAD, since browsers always send it there), then the token from the
 * query, an `Authorization: token …` header or the cookie set on first visit.
 */
export function checkRequest(
  request: { method?: string | undefined; url?: string | undefined; headers: IncomingHttpHeaders },
  config: GuardConfig,
  kind: 'http' | 'websocket',
): GuardVerdict {
  if (!isLoopbackHost(request.headers.host, config.port)) return { ok: false, status: 403, reason: 'Host is not this loopback server' };
  const origin = request.headers.origin;
  const originRequired = kind === 'websocket' || !['GET', 'HEAD'].includes(request.method ?? 'GET');
  if (origin === undefined ? originRequired : !isAllowedOrigin(origin, config.port)) {
    return { ok: false, status: 403, reason: 'Origin is not this loopback server' };
  }
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const candidates: Array<['query' | 'header' | 'cookie', string | undefined]> = [
    ['query', url.searchParams.get('token') ?? undefined],
    ['header', /^token\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1]],
    ['cookie', readCookie(request.headers.cookie, tokenCookieName(config.port))],
  ];
  for (const [source, value] of candidates) {
    if (value !== undefined && sameToken(value, config.token)) return { ok: true, tokenFrom: source };
  }
  return { ok: false, status: 401, reason: 'Missing or wrong token' };
}
