import type { SFTPWrapper, Stats } from 'ssh2';

/**
 * Promise forms of the few SFTP requests transfers use; ssh2 offers callbacks only. A request
 * made on a channel that already died is never answered by ssh2, so each one also settles when
 * its channel closes: a dropped link must fail the transfer, not hang it.
 */
function request<T>(sftp: SFTPWrapper, start: (done: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onClose = () => reject(Object.assign(new Error('The SFTP channel closed (the connection dropped).'), { code: 'ECONNRESET' }));
    // Once the server side has ended (readable false) ssh2 answers nothing more on this channel.
    const channel = sftp as unknown as { outgoing?: { state?: string }; readable?: boolean };
    if (channel.outgoing?.state !== 'open' || channel.readable === false) return onClose();
    sftp.once('close', onClose);
    sftp.once('end', onClose);
    start((error, value) => {
      sftp.off('close', onClose);
      sftp.off('end', onClose);
      if (error) reject(error);
      else resolve(value);
    });
  });
}

export function sftpOpen(sftp: SFTPWrapper, path: string, flags: 'r' | 'r+' | 'w' | 'wx'): Promise<Buffer> {
  return request(sftp, (done) => sftp.open(path, flags, done));
}

export function sftpClose(sftp: SFTPWrapper, handle: Buffer): Promise<void> {
  return request(sftp, (done) => sftp.close(handle, (error) => done(error, undefined)));
}

export function sftpWrite(sftp: SFTPWrapper, handle: Buffer, data: Buffer, position: number): Promise<void> {
  return request(sftp, (done) => sftp.write(handle, data, 0, data.length, position, (error) => done(error, undefined)));
}

/** Reads up to `length` bytes; fewer only at end of file. */
export function sftpRead(sftp: SFTPWrapper, handle: Buffer, into: Buffer, length: number, position: number): Promise<number> {
  return request(sftp, (done) =>
    // ssh2 reports end of file as an error with code 1 (SSH_FX_EOF).
    sftp.read(handle, into, 0, length, position, (error, bytesRead) => (error && (error as { code?: number }).code === 1 ? done(null, 0) : done(error, bytesRead))),
  );
}

export function sftpStat(sftp: SFTPWrapper, path: string): Promise<Stats | undefined> {
  return request(sftp, (done) =>
    // SSH_FX_NO_SUCH_FILE
    sftp.stat(path, (error, stats) => (error && (error as { code?: number }).code === 2 ? done(null, undefined) : done(error, stats))),
  );
}

export function sftpTruncate(sftp: SFTPWrapper, handle: Buffer, size: number): Promise<void> {
  return request(sftp, (done) => sftp.fsetstat(handle, { size }, (error) => done(error, undefined)));
}

export function sftpUnlink(sftp: SFTPWrapper, path: string): Promise<void> {
  return request(sftp, (done) => sftp.unlink(path, (error) => done(error, undefined)));
}

/** Replaces the target in one step (OpenSSH's posix-rename), so readers never see half a file. */
export function sftpReplace(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
  return request(sftp, (done) => sftp.ext_openssh_rename(from, to, (error) => done(error, undefined)));
}

export interface RemoteEntry {
  name: string;
  isDirectory: boolean;
  isFile: boolean;
  size: number;
}

export function sftpReaddir(sftp: SFTPWrapper, path: string): Promise<RemoteEntry[]> {
  return request(sftp, (done) =>
    sftp.readdir(path, (error, list) =>
      done(
        error,
        (list ?? []).map((entry) => ({ name: entry.filename, isDirectory: entry.attrs.isDirectory(), isFile: entry.attrs.isFile(), size: entry.attrs.size })),
      ),
    ),
  );
}
