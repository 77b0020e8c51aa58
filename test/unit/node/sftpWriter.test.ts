// The upload lanes' own SFTP writer, against OpenSSH's sftp-server speaking over a pipe (what
// sshd runs for the `sftp` subsystem): frames built around the caller's data, the limits promise
// it insists on, server errors and a channel that goes away.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MAX_WRITE_HEADER_BYTES, SftpWriter, writeHeaderBytes } from '../../../electron/main/services/transfer/sftpWriter';

const SFTP_SERVER = '/usr/lib/openssh/sftp-server';
const KiB = 1024;
const folder = mkdtempSync(join(tmpdir(), 'qvl-sftp-writer-'));
const servers: ChildProcess[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.kill();
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A channel to a fresh sftp-server, as the `sftp` subsystem gives one. */
function channel(args: string[] = []): { duplex: Duplex; server: ChildProcess } {
  const server = spawn(SFTP_SERVER, args, { stdio: ['pipe', 'pipe', 'ignore'] });
  servers.push(server);
  return { duplex: Duplex.from({ readable: server.stdout, writable: server.stdin }), server };
}

/** A frame holding `data` after the WRITE header for `handle`, as the upload lane reads into it. */
function frame(handle: Buffer, data: Buffer): Buffer {
  const header = writeHeaderBytes(handle);
  const out = Buffer.alloc(header + data.length);
  data.copy(out, header);
  return out;
}

describe('SftpWriter', () => {
  it('creates a file, writes frames out of order at their offsets, and closes it', async () => {
    const writer = (await SftpWriter.start(channel().duplex, 254 * KiB)) as SftpWriter;
    expect(writer).toBeInstanceOf(SftpWriter);
    const path = join(folder, 'new.bin');
    const handle = await writer.open(path, true);
    expect(writeHeaderBytes(handle)).toBeLessThanOrEqual(MAX_WRITE_HEADER_BYTES);
    const data = randomBytes(254 * KiB * 3 + 7);
    const pieces = [2, 0, 3, 1].map((i) => [i * 254 * KiB, data.subarray(i * 254 * KiB, (i + 1) * 254 * KiB)] as const);
    await Promise.all(pieces.map(([offset, piece]) => writer.write(handle, frame(handle, piece), offset)));
    await writer.close(handle);
    expect(readFileSync(path).equals(data)).toBe(true);
    writer.end();
  });

  it('writes into an existing file in place, beyond 4 GiB offsets included, without truncating it', async () => {
    const path = join(folder, 'partial.bin');
    writeFileSync(path, Buffer.alloc(1000, 7));
    const writer = (await SftpWriter.start(channel().duplex, 254 * KiB)) as SftpWriter;
    const handle = await writer.open(path, false);
    await writer.write(handle, frame(handle, Buffer.from('abc')), 10);
    await writer.close(handle);
    const written = readFileSync(path);
    expect(written.length).toBe(1000);
    expect(written.subarray(8, 15).toString('latin1')).toBe('\x07\x07abc\x07\x07');
    // The offset is a full 64-bit value: a sparse write past 4 GiB lands there.
    const far = join(folder, 'far.bin');
    const farHandle = await writer.open(far, true);
    await writer.write(farHandle, frame(farHandle, Buffer.from('z')), 2 ** 32 + 5);
    await writer.close(farHandle);
    expect(statSync(far).size).toBe(2 ** 32 + 6);
    rmSync(far);
    writer.end();
  });

  it('reports what the server refused, with its status code', async () => {
    const writer = (await SftpWriter.start(channel().duplex, 254 * KiB)) as SftpWriter;
    await expect(writer.open(join(folder, 'missing', 'x.bin'), false)).rejects.toMatchObject({ code: 2 });
    const locked = join(folder, 'locked.bin');
    writeFileSync(locked, 'x');
    chmodSync(locked, 0o444);
    // Running as root ignores the mode; a read-only server refuses writes for everyone.
    const readOnly = (await SftpWriter.start(channel(['-R']).duplex, 254 * KiB)) as SftpWriter;
    await expect(readOnly.open(locked, false)).rejects.toMatchObject({ code: 3 });
    writer.end();
    readOnly.end();
  });

  it('declines a server that does not promise writes as big as the chunks', async () => {
    // OpenSSH promises 255 KiB; a bigger chunk must go through ssh2's splitting SFTP instead.
    expect(await SftpWriter.start(channel().duplex, 1024 * KiB)).toBeUndefined();
    // A server that refuses the limits request promises nothing.
    expect(await SftpWriter.start(channel(['-P', 'limits']).duplex, 254 * KiB)).toBeUndefined();
  });

  it('fails the requests in flight, and later ones, when the channel goes away', async () => {
    const { duplex, server } = channel();
    const writer = (await SftpWriter.start(duplex, 254 * KiB)) as SftpWriter;
    const handle = await writer.open(join(folder, 'dropped.bin'), true);
    server.kill('SIGSTOP');
    const inFlight = writer.write(handle, frame(handle, randomBytes(64 * KiB)), 0);
    duplex.destroy();
    server.kill('SIGKILL');
    await expect(inFlight).rejects.toMatchObject({ code: 'ECONNRESET' });
    await expect(writer.close(handle)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(existsSync(join(folder, 'dropped.bin'))).toBe(true);
  });
});
