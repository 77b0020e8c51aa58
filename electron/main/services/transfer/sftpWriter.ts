import type { Duplex } from 'node:stream';

/**
 * The few SFTP (version 3) requests an upload lane makes, spoken directly on an `sftp` subsystem
 * channel. ssh2's SFTPWrapper copies the data of every write into a request buffer of its own —
 * a fresh 254 KiB allocation per request, a GiB of copying and garbage per GiB sent; here the
 * request is framed around the data in the caller's (pooled) buffer, which the file was read into
 * at `writeHeaderBytes`, so the only copy left is ssh2's into the SSH packets.
 */

const INIT = 1;
const OPEN = 3;
const CLOSE = 4;
const WRITE = 6;
const EXTENDED = 200;
const VERSION = 2;
const STATUS = 101;
const HANDLE = 102;
const EXTENDED_REPLY = 201;
const OPEN_READ = 0x01;
const OPEN_WRITE = 0x02;
const OPEN_CREATE = 0x08;
const STATUS_OK = 0;
const LIMITS = 'limits@openssh.com';
/** SFTP handles are at most 256 bytes (draft-ietf-secsh-filexfer-02, section 3). */
const MAX_HANDLE_BYTES = 256;

/** Bytes before the data in a WRITE request: length, type, id, handle, offset, data length. */
export function writeHeaderBytes(handle: Buffer): number {
  return 4 + 1 + 4 + 4 + handle.length + 8 + 4;
}

/** The most `writeHeaderBytes` can be, for sizing buffers before a handle exists. */
export const MAX_WRITE_HEADER_BYTES = 4 + 1 + 4 + 4 + MAX_HANDLE_BYTES + 8 + 4;

interface Reply {
  type: number;
  body: Buffer;
}

/** Reads SFTP packets off a byte stream. */
class PacketReader {
  private pending: Buffer = Buffer.alloc(0);

  *add(chunk: Buffer): Generator<Reply> {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 5) {
      const length = this.pending.readUInt32BE(0);
      if (this.pending.length < 4 + length) return;
      yield { type: this.pending[4] as number, body: this.pending.subarray(5, 4 + length) };
      this.pending = this.pending.subarray(4 + length);
    }
  }
}

function sftpString(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  const out = Buffer.allocUnsafe(4 + bytes.length);
  out.writeUInt32BE(bytes.length, 0);
  bytes.copy(out, 4);
  return out;
}

function readString(body: Buffer, at: number): [Buffer, number] {
  const length = body.readUInt32BE(at);
  return [body.subarray(at + 4, at + 4 + length), at + 4 + length];
}

/** The error of a request whose channel closed or failed: the link dropped (sftpOps' code, for the same handling). */
function channelClosed(cause?: Error): Error {
  return Object.assign(new Error('The SFTP channel closed (the connection dropped).', { cause }), { code: 'ECONNRESET' });
}

export class SftpWriter {
  private readonly replies = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  private readonly reader = new PacketReader();
  private nextId = 0;
  private closedWith: Error | undefined;

  private constructor(private readonly channel: Duplex) {
    channel.on('data', (chunk: Buffer) => {
      for (const reply of this.reader.add(chunk)) this.receive(reply);
    });
    const closed = () => this.fail(channelClosed());
    channel.once('close', closed);
    channel.once('end', closed);
    channel.on('error', (error: Error) => this.fail(channelClosed(error)));
  }

  /**
   * Starts version 3 on a fresh `sftp` subsystem channel. Undefined (the channel closed again)
   * when the server does not promise writes of `writeBytes` in one request (OpenSSH's limits
   * extension): without that promise a big write may be cut short, so ssh2's SFTP must split it.
   */
  static async start(channel: Duplex, writeBytes: number): Promise<SftpWriter | undefined> {
    const writer = new SftpWriter(channel);
    const version = await writer.request(-1, Buffer.from([0, 0, 0, 5, INIT, 0, 0, 0, 3]));
    if (version.type !== VERSION || version.body.readUInt32BE(0) !== 3 || !writer.extensions(version.body).has(LIMITS)) return writer.endUnused();
    const limits = await writer.call(EXTENDED, sftpString(LIMITS));
    if (limits.type !== EXTENDED_REPLY) return writer.endUnused();
    // uint64 max-packet-length, max-read-length, max-write-length, max-open-handles.
    const maxWrite = Number(limits.body.readBigUInt64BE(4 + 16));
    return maxWrite >= writeBytes ? writer : writer.endUnused();
  }

  /** Opens a file for writing without truncating it; `create` also makes a missing one. */
  async open(path: string, create: boolean): Promise<Buffer> {
    const flags = Buffer.alloc(8);
    flags.writeUInt32BE(OPEN_READ | OPEN_WRITE | (create ? OPEN_CREATE : 0), 0);
    // The trailing four zero bytes are empty attributes.
    const reply = await this.call(OPEN, sftpString(path), flags);
    if (reply.type !== HANDLE) throw this.statusError(reply, `open ${path}`);
    return readString(reply.body, 4)[0];
  }

  /**
   * Writes `frame.subarray(writeHeaderBytes(handle))` at `position`. The frame must stay untouched
   * until this settles: ssh2 reads it as the channel's window opens, and the server answers only
   * after it has all of it.
   */
  async write(handle: Buffer, frame: Buffer, position: number): Promise<void> {
    const id = this.takeId();
    let at = frame.writeUInt32BE(frame.length - 4, 0);
    at = frame.writeUInt8(WRITE, at);
    at = frame.writeUInt32BE(id, at);
    at = frame.writeUInt32BE(handle.length, at);
    at += handle.copy(frame, at);
    at = frame.writeBigUInt64BE(BigInt(position), at);
    frame.writeUInt32BE(frame.length - at - 4, at);
    const reply = await this.request(id, frame);
    if (reply.type !== STATUS || reply.body.readUInt32BE(4) !== STATUS_OK) throw this.statusError(reply, 'write');
  }

  async close(handle: Buffer): Promise<void> {
    const reply = await this.call(CLOSE, sftpString(handle));
    if (reply.type !== STATUS || reply.body.readUInt32BE(4) !== STATUS_OK) throw this.statusError(reply, 'close');
  }

  end(): void {
    this.channel.end();
  }

  private endUnused(): undefined {
    this.end();
    return undefined;
  }

  private extensions(version: Buffer): Set<string> {
    const names = new Set<string>();
    for (let at = 4; at < version.length; ) {
      const [name, next] = readString(version, at);
      names.add(name.toString());
      at = readString(version, next)[1];
    }
    return names;
  }

  private takeId(): number {
    const id = this.nextId;
    this.nextId = (id + 1) >>> 0;
    return id;
  }

  /** Sends a small request (length, type, a new id, then `parts`) and waits for its reply. */
  private call(type: number, ...parts: Buffer[]): Promise<Reply> {
    const id = this.takeId();
    const header = Buffer.allocUnsafe(9);
    header.writeUInt32BE(5 + parts.reduce((sum, part) => sum + part.length, 0), 0);
    header.writeUInt8(type, 4);
    header.writeUInt32BE(id, 5);
    return this.request(id, Buffer.concat([header, ...parts]));
  }

  /** Sends a packet and waits for the reply to `id` (-1: the version, which has none). */
  private request(id: number, packet: Buffer): Promise<Reply> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    return new Promise((resolve, reject) => {
      this.replies.set(id, { resolve, reject });
      this.channel.write(packet);
    });
  }

  private receive(reply: Reply): void {
    const id = reply.type === VERSION ? -1 : reply.body.readUInt32BE(0);
    const waiting = this.replies.get(id);
    this.replies.delete(id);
    waiting?.resolve(reply);
  }

  private statusError(reply: Reply, what: string): Error {
    if (reply.type !== STATUS) return new Error(`SFTP ${what}: unexpected reply ${reply.type}`);
    const code = reply.body.readUInt32BE(4);
    const message = reply.body.length > 12 ? readString(reply.body, 8)[0].toString() : '';
    return Object.assign(new Error(`SFTP ${what}: ${message || `status ${code}`}`), { code });
  }

  private fail(error: Error): void {
    this.closedWith ??= error;
    for (const { reject } of this.replies.values()) reject(this.closedWith);
    this.replies.clear();
  }
}
