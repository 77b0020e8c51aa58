import { sh } from '../remote/remoteCommand';
import type { RemoteCommand } from '../remote/remoteCommand';

/**
 * A command that changes the system (sysctl, /etc files, iptables, yum) as root: as it is when
 * the login is root, through `sudo -n` otherwise. The whole command runs in one `sh -c`, so its
 * redirections (`>> /etc/sysctl.conf`) are root's too; -n makes sudo fail at once where it would
 * ask for a password nobody can type into a fix.
 */
export function asRoot(command: RemoteCommand): RemoteCommand {
  return sh`$(test "$(id -u)" -eq 0 || echo sudo -n) sh -c ${command.text}`;
}
