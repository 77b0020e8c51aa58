import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { ClientMessage, WEB_API_PATH } from '../../shared/api/wireProtocol';
import type { ServerMessage } from '../../shared/api/wireProtocol';
import { CONTENT_SECURITY_POLICY } from '../../shared/security/contentSecurityPolicy';
import type { AppBackend } from '../main/services/appBackend';
import { checkRequest, tokenCookieName } from './requestGuard';
import type { GuardConfig } from './requestGuard';
import { openStaticFile, resolveStaticFile } from './staticFiles';

export interface WebServerOptions {
  backend: AppBackend;
  staticDir: string;
  /** 0 picks a free port. */
  port: number;
  token?: string;
}

export interface RunningWebServer {
  port: number;
  token: string;
  /** The URL to open: it carries the token, as JupyterLab's does. */
  url: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const HEARTBEAT_MS = 30_000;

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

/**
 * Browser mode: serves the built renderer and the API over a WebSocket on 127.0.0.1 only.
 * Every request must name a loopback Host, come from our own Origin and carry the token.
 */
export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const token = options.token ?? newToken();
  const guard: GuardConfig = { port: options.port, token };
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  const server = createServer((request, response) => {
    void handleHttp(request, response).catch(() => {
      if (!response.headersSent) sendText(response, 500, 'Internal error');
      else response.destroy();
    });
  });

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const verdict = checkRequest(request, guard, 'http');
    if (!verdict.ok) {
      sendText(response, verdict.status, verdict.status === 401 ? tokenHelp() : `Forbidden: ${verdict.reason}`);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendText(response, 405, 'Method not allowed');
      return;
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (verdict.tokenFrom === 'query') {
      // Trade the token in the address bar for an HttpOnly cookie, and drop it from the URL
      // so it stays out of history, screenshots and Referer headers.
      url.searchParams.delete('token');
      response.writeHead(302, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${tokenCookieName(guard.port)}=${token}; Path=/; HttpOnly; SameSite=Strict`,
        Location: `${url.pathname}${url.search}`,
        'Cache-Control': 'no-store',
      });
      response.end();
      return;
    }
    const file = await resolveStaticFile(options.staticDir, url.pathname);
    if (!file) {
      sendText(response, 404, 'Not found');
      return;
    }
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
      'Cache-Control': file.immutable ? 'private, max-age=31536000, immutable' : 'no-cache',
    });
    if (request.method === 'HEAD') response.end();
    else openStaticFile(file).pipe(response);
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const verdict = checkRequest(request, guard, 'websocket');
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (!verdict.ok || path !== WEB_API_PATH) {
      const status = verdict.ok ? 404 : verdict.status;
      socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => serveClient(ws));
  });

  function serveClient(ws: WebSocket): void {
    const clientId = randomUUID();
    let alive = true;
    sockets.add(ws);
    ws.on('pong', () => (alive = true));
    const heartbeat = setInterval(() => {
      if (!alive) ws.terminate();
      alive = false;
      ws.ping();
    }, HEARTBEAT_MS);
    ws.on('close', () => {
      clearInterval(heartbeat);
      sockets.delete(ws);
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.close(1003, 'Text frames only');
        return;
      }
      let message: ClientMessage;
      try {
        message = ClientMessage.parse(JSON.parse(data.toString()));
      } catch {
        ws.close(1007, 'Malformed message');
        return;
      }
      void options.backend.dispatcher.dispatch(message.method, message.input, { clientId }).then((result) => {
        send(ws, { type: 'result', id: message.id, result });
      });
    });
  }

  const unsubscribe = options.backend.events.subscribe((event, payload) => {
    for (const ws of sockets) send(ws, { type: 'event', event, payload });
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  guard.port = (server.address() as AddressInfo).port;

  return {
    port: guard.port,
    token,
    url: `http://127.0.0.1:${guard.port}/?token=${token}`,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}

function send(ws: WebSocket, message: ServerMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(`${text}\n`);
}

function tokenHelp(): string {
  return [
    'Qwen-VL Studio: this address needs its token.',
    'Open the full URL that `npm run web` printed in its terminal (it ends with ?token=…).',
    'Qwen-VL Studio：此地址需要令牌。请打开 `npm run web` 在终端中打印的完整网址（以 ?token=… 结尾）。',
  ].join('\n');
}
