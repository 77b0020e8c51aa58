import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectCoalesced } from '../../../electron/main/services/ssh/coalescedSocket';
import type { SshHop } from '../../../electron/main/services/ssh/sshSession';

const hopTo = (port: number): SshHop => ({ host: '127.0.0.1', port, username: 'x', identityFiles: [], useAgent: false, allowPassword: false, allowKeyboardInteractive: false });

let server: Server | undefined;
afterEach(() => server?.close());

function listen(onData: (chunk: Buffer) => void): Promise<number> {
  server = createServer((peer: Socket) => peer.on('data', onData));
  return new Promise((resolve) => server?.listen(0, '127.0.0.1', () => resolve((server?.address() as AddressInfo).port)));
}

describe('a socket whose writes of one tick leave together', () => {
  it('holds the writes of a tick back until the tick ends, then sends them all, in order', async () => {
    let received = Buffer.alloc(0);
    const port = await listen((chunk) => (received = Buffer.concat([received, chunk])));
    const socket = connectCoalesced(hopTo(port));
    await new Promise((resolve) => socket.once('connect', resolve));

    const packets = Array.from({ length: 8 }, (_, k) => Buffer.alloc(32 * 1024, k));
    for (const packet of packets) socket.write(packet);
    // Nothing left yet: the packets wait for the tick's end, to go out as one writev.
    expect(socket.writableCorked).toBe(1);
    expect(socket.writableLength).toBe(8 * 32 * 1024);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(socket.writableCorked).toBe(0);

    socket.write(Buffer.from('next tick'));
    socket.end();
    await new Promise((resolve) => socket.once('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received.equals(Buffer.concat([...packets, Buffer.from('next tick')]))).toBe(true);
  });

  it('fails like a plain socket when nothing listens', async () => {
    const port = await listen(() => undefined);
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    const socket = connectCoalesced(hopTo(port));
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => socket.once('error', resolve));
    expect(error.code).toBe('ECONNREFUSED');
  });
});
