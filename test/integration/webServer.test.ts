import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebApp } from '../support/webApp';
import type { WebApp } from '../support/webApp';

let app: WebApp;
let cookie: string;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function http(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: app.port, path, method, headers: { host: `127.0.0.1:${app.port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves with the open socket, or with the HTTP status the upgrade was refused with. */
function openSocket(headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${app.port}/api`, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('error', reject);
  });
}

const own = () => ({ origin: app.origin, cookie });

function call(socket: WebSocket, id: number, method: string, input?: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'result' && message.id === id) {
        socket.off('message', onMessage);
        resolve(message.result);
      }
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ type: 'call', id, method, input }));
  });
}

beforeAll(async () => {
  app = await startWebApp();
  const first = await http(`/?token=${app.token}&lang=zh`);
  cookie = (first.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
});
afterAll(() => app?.stop());

describe('browser mode over HTTP', () => {
  it('trades the URL’s token for an HttpOnly, SameSite=Strict cookie and drops it from the address', async () => {
    const first = await http(`/?token=${app.token}&lang=zh`);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/?lang=zh');
    expect(first.headers['set-cookie']?.[0]).toMatch(new RegExp(`^qvl-token-${app.port}=${app.token}; Path=/; HttpOnly; SameSite=Strict$`));
  });

  it('serves the app with its CSP to a request carrying the cookie', async () => {
    const page = await http('/', { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
  });

  it('refuses a request without the token, and tells the user where to find it', async () => {
    const page = await http('/');
    expect(page.status).toBe(401);
    expect(page.body).toMatch(/npm run web/);
    expect((await http('/?token=0000')).status).toBe(401);
    expect((await http('/', { authorization: `token ${app.token}x` })).status).toBe(401);
  });

  it('refuses a foreign Host (DNS rebinding) even with the token', async () => {
    expect((await http(`/?token=${app.token}`, { host: `attacker.example:${app.port}` })).status).toBe(403);
    expect((await http('/', { host: `attacker.example:${app.port}`, cookie })).status).toBe(403);
  });

  it('refuses a foreign Origin even with the token', async () => {
    expect((await http('/', { origin: 'http://attacker.example', cookie })).status).toBe(403);
    expect((await http('/', { origin: `http://127.0.0.1:${app.port + 1}`, cookie })).status).toBe(403);
    expect((await http('/', { cookie }, 'POST')).status).toBe(403);
  });

  it('never serves a file outside the built renderer', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/assets/..%2f..%2f..%2fpackage.json']) {
      expect((await http(path, { cookie })).status, path).toBe(404);
    }
  });
});

describe('browser mode over WebSocket', () => {
  it('refuses an upgrade without the token, with a foreign Origin, without an Origin, or with a foreign Host', async () => {
    expect(await openSocket({ origin: app.origin })).toBe(401);
    expect(await openSocket({ origin: 'http://attacker.example', cookie })).toBe(403);
    expect(await openSocket({ cookie })).toBe(403);
    expect(await openSocket({ origin: app.origin, cookie, host: `attacker.example:${app.port}` })).toBe(403);
  });

  it('answers calls from our own page, and validates them', async () => {
    const socket = await openSocket(own());
    if (typeof socket === 'number') throw new Error(`refused with ${socket}`);
    expect(await call(socket, 1, 'app:getInfo')).toMatchObject({ ok: true, value: { runtime: 'web', name: 'Qwen-VL Studio' } });
    expect(await call(socket, 2, 'app:quit')).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await call(socket, 3, 'settings:update', { theme: 'neon' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    socket.close();
  });

  it('pushes a settings change to every connected window', async () => {
    const [a, b] = await Promise.all([openSocket(own()), openSocket(own())]);
    if (typeof a === 'number' || typeof b === 'number') throw new Error('refused');
    const pushed = new Promise((resolve) => b.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'event') resolve(message);
    }));
    await call(a, 1, 'settings:update', { theme: 'dark' });
    expect(await pushed).toMatchObject({ type: 'event', event: 'settings:onDidChange', payload: { theme: 'dark' } });
    a.close();
    b.close();
  });

  it('closes the socket on a malformed message instead of crashing', async () => {
    const socket = await openSocket(own());
    if (typeof socket === 'number') throw new Error('refused');
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('{"type":"call","id":-1');
    expect(await closed).toBe(1007);
    const again = await openSocket(own());
    expect(again).toBeInstanceOf(WebSocket);
    (again as WebSocket).close();
  });
});
