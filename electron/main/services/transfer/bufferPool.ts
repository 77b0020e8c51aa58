/**
 * Chunk buffers reused from request to request. A fresh 254 KiB buffer per request is a GiB of
 * short-lived memory per GiB sent, and V8 answers that with a full garbage collection every few
 * hundred MiB; the pool grows only to the number of requests in flight.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(private readonly size: number) {}

  /** Lends a buffer of `length` bytes (at most the pool's size) until `use` settles. */
  async lend<T>(length: number, use: (buffer: Buffer) => Promise<T>): Promise<T> {
    if (length > this.size) throw new RangeError(`A pooled buffer holds at most ${this.size} bytes`);
    const buffer = this.free.pop() ?? Buffer.allocUnsafe(this.size);
    try {
      return await use(buffer.subarray(0, length));
    } finally {
      this.free.push(buffer);
    }
  }
}
