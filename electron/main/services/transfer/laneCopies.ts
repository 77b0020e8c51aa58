import type { FileHandle } from 'node:fs/promises';
import type { SFTPWrapper } from 'ssh2';
import type { BufferPool } from './bufferPool';
import type { PumpLane } from './chunkPump';
import { TransferError } from './remoteFiles';
import { sftpRead, sftpWrite } from './sftpOps';
import { writeHeaderBytes } from './sftpWriter';
import type { SftpWriter } from './sftpWriter';

/** Reads `length` bytes at `offset` into `into` from `at`; a short read means the file changed under us. */
async function readRange(local: FileHandle, localPath: string, into: Buffer, at: number, length: number, offset: number): Promise<void> {
  const { bytesRead } = await local.read(into, at, length, offset);
  if (bytesRead !== length) throw new TransferError('local-file', `${localPath} changed while it was being uploaded.`);
}

/** A lane that copies byte ranges of a local file into an open remote one. */
export function uploadLane(local: FileHandle, localPath: string, sftp: SFTPWrapper, handle: Buffer, buffers: BufferPool): PumpLane {
  return {
    copy: (offset, length) =>
      buffers.lend(length, async (buffer) => {
        await readRange(local, localPath, buffer, 0, length, offset);
        await sftpWrite(sftp, handle, buffer, offset);
      }),
  };
}

/** The same over an SftpWriter: each range is read straight into the WRITE request that carries it. */
export function framedUploadLane(local: FileHandle, localPath: string, writer: SftpWriter, handle: Buffer, buffers: BufferPool): PumpLane {
  const header = writeHeaderBytes(handle);
  return {
    copy: (offset, length) =>
      buffers.lend(header + length, async (frame) => {
        await readRange(local, localPath, frame, header, length, offset);
        await writer.write(handle, frame, offset);
      }),
  };
}

/** A lane that copies byte ranges of an open remote file into a local one. */
export function downloadLane(remotePath: string, sftp: SFTPWrapper, handle: Buffer, local: FileHandle, buffers: BufferPool): PumpLane {
  return {
    copy: (offset, length) =>
      buffers.lend(length, async (buffer) => {
        for (let done = 0; done < length; ) {
          const read = await sftpRead(sftp, handle, buffer.subarray(done), length - done, offset + done);
          if (read === 0) throw new TransferError('remote-command', `${remotePath} shrank on the server during the download.`);
          done += read;
        }
        await local.write(buffer, 0, length, offset);
      }),
  };
}
