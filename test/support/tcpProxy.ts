import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every connection through the proxy, as a network fault would. */
  cut(): void;
  /** Bytes forwarded from clients so far (to cut at a chosen point). */
  clientBytes(): number;
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy that delays every chunk by `delayMs` in each direction (this kernel has no
 * netem), preserving order. 25 ms each way adds 50 ms of round-trip time.
 */
export async function startTcpProxy(targetPort: number, options: { delayMs?: number } = {}): Promise<TcpProxy> {
  const delay = options.delayMs ?? 0;
  const sockets = new Set<Socket>();
  let forwarded = 0;
  const pipeDelayed = (from: Socket, to: Socket, count: boolean) => {
    from.on('data', (chunk: Buffer) => {
      if (count) forwarded += chunk.length;
      if (delay === 0) to.write(chunk);
      else setTimeout(() => to.writable && to.write(chunk), delay);
    });
    from.on('end', () => setTimeout(() => to.end(), delay));
  };
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    pipeDelayed(client, upstream, true);
    pipeDelayed(upstream, client, false);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      for (const socket of sockets) socket.destroy();
    },
    clientBytes: () => forwarded,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
