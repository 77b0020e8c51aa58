import { Readable } from 'node:stream';
import { sh } from '../../../../shared/remote/remoteCommand';
import type { SshSession } from '../ssh/sshSession';

/**
 * Big files are verified by one sha256 of the whole file on each end, the server's computed while
 * the upload runs: a single hashing process on the server reads the partial file in 64 MiB
 * segments, each as soon as every byte of it has been written (told through the command's
 * stdin), so only the last segment is read after the upload. One process for the whole file, not
 * one per segment, and the local side reads and hashes the file once.
 */
export const SEGMENT_BYTES = 64 * 1024 * 1024;
const DD_BLOCK = 1024 * 1024;

export function segmentCount(size: number): number {
  return Math.max(1, Math.ceil(size / SEGMENT_BYTES));
}

const SEGMENT_BLOCKS = SEGMENT_BYTES / DD_BLOCK;

/**
 * Python reads the file itself into one buffer and hashes it with OpenSSL's SHA-256 (the CPU's
 * SHA instructions): half the server CPU of `dd | openssl dgst`, whose pipe OpenSSL drains 8 KiB
 * at a time. Reads `skip` lines (in DD_BLOCKs) from stdin like the shell loop below.
 */
const PYTHON_HASHER = `import hashlib, sys
block = bytearray(${DD_BLOCK})
view = memoryview(block)
digest = hashlib.sha256()
with open(sys.argv[1], 'rb', buffering=0) as part:
    for line in sys.stdin:
        part.seek(int(line) * len(block))
        for _ in range(${SEGMENT_BLOCKS}):
            read = part.readinto(block)
            if not read:
                break
            digest.update(view[:read])
print(digest.hexdigest())
`;

/**
 * Python where it works, else dd into OpenSSL (the CPU's SHA instructions, which coreutils'
 * sha256sum often lacks: about 4× less CPU), else into sha256sum. Each reads the segments it is
 * told on stdin, in order, and prints the hash once stdin ends.
 */
function hashCommand(path: string) {
  const python = sh`python3 -c ${PYTHON_HASHER} ${path}`;
  const segments = sh`while read -r skip; do dd if=${path} bs=${DD_BLOCK} skip="$skip" count=${SEGMENT_BLOCKS} status=none; done`;
  return sh`if python3 -c 'import hashlib' </dev/null >/dev/null 2>&1; then exec ${python}; fi; if openssl dgst -sha256 </dev/null >/dev/null 2>&1; then ${segments} | openssl dgst -sha256; else ${segments} | sha256sum; fi`;
}

/** The server's sha256 of a file being uploaded, hashed segment by segment as they become complete. */
export class RemoteFileHasher {
  /** Lines of `skip` values (in DD_BLOCKs) for the server's loop; ending it ends the loop. */
  private readonly feed = new Readable({ read: () => undefined });
  private readonly hash: Promise<string | undefined>;
  private next = 0;
  private ended = false;

  constructor(session: SshSession, path: string, private readonly size: number, signal?: AbortSignal) {
    // "SHA2-256(stdin)= <hex>" (OpenSSL 3), "(stdin)= <hex>" (1.x), "<hex>  -" (sha256sum) or "<hex>" (Python).
    this.hash = session.run(hashCommand(path), { stdin: this.feed, signal }).then((result) => /\b([0-9a-f]{64})\b/.exec(result.stdout)?.[1]);
    // Read only by finish(); a dropped link must not leave it unhandled meanwhile.
    this.hash.catch(() => undefined);
  }

  /**
   * Every byte below `upTo` has been written. The last segment waits for `finish`: a stale
   * partial longer than the file is cut back only after the upload.
   */
  written(upTo: number): void {
    this.send(Math.min(Math.floor(upTo / SEGMENT_BYTES), segmentCount(this.size) - 1));
  }

  /** The file is complete: hashes what is left; resolves with the server's sha256, undefined where it could not hash. */
  finish(): Promise<string | undefined> {
    this.send(segmentCount(this.size));
    this.abandon();
    return this.hash;
  }

  /** Ends the server's loop without waiting for a hash (the upload failed). */
  abandon(): void {
    if (this.ended) return;
    this.ended = true;
    this.feed.push(null);
  }

  private send(segments: number): void {
    if (this.ended) return;
    for (; this.next < segments; this.next++) this.feed.push(`${this.next * SEGMENT_BLOCKS}\n`);
  }
}
