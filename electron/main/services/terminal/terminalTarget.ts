import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import type { LocalizedText } from '../../../../shared/i18n/localizedText';
import { dockerExec, sh } from '../../../../shared/remote/remoteCommand';
import type { RemoteCommand } from '../../../../shared/remote/remoteCommand';
import type { TerminalTarget } from '../../../../shared/terminal/terminalApi';
import { foregroundProbe, TERMINAL_MARKER } from './foregroundJob';

type ContainerTarget = Extract<TerminalTarget, { kind: 'container' }>;

/** "node1 · root@10.0.0.5", or "node1 · ma-user@qwen-vl (container)" (in Chinese "（容器）"). */
export function terminalTitle(profile: HostProfile, target: TerminalTarget): LocalizedText {
  if (target.kind === 'host') {
    const title = `${profile.name} · ${profile.user}@${profile.host}`;
    return { zh: title, en: title };
  }
  const where = `${profile.name} · ${target.user}@${target.container}`;
  return { zh: `${where}（容器）`, en: `${where} (container)` };
}

/**
 * The guide's `docker exec -it -u ma-user <container> bash`, with sh where an image has no bash.
 * The marker lets `containerProbe` find this shell among the container's processes later.
 */
export function containerShell(target: ContainerTarget, terminalId: string): RemoteCommand {
  const shell = sh`if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi`;
  return dockerExec(target.container, shell, { interactive: true, user: target.user, env: { [TERMINAL_MARKER]: terminalId }, shell: 'sh' });
}

/** Lists the container's terminal processes, marking the shell of this terminal. */
export function containerProbe(target: ContainerTarget, terminalId: string): RemoteCommand {
  return dockerExec(target.container, foregroundProbe(terminalId), { user: target.user, shell: 'sh' });
}
