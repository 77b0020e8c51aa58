import type { TFunction } from 'i18next';
import type { Language } from '../../../../shared/settings/settings';
import type { TerminalTab } from '../../store/terminalSlice';

export type TabState = 'opening' | 'running' | 'exited' | 'dropped' | 'failed';

export function tabState(tab: TerminalTab): TabState {
  if (tab.openError !== null) return 'failed';
  return tab.info?.state ?? 'opening';
}

/** The sidebar's status dots, reused: green runs, pulsing opens, red failed, hollow ended. */
export const TAB_DOT: Record<TabState, string> = {
  opening: 'connecting',
  running: 'connected',
  exited: 'disconnected',
  dropped: 'failed',
  failed: 'failed',
};

/** The main process names a terminal once it is open; until then the tab says what it is opening. */
export function tabTitle(tab: TerminalTab, hostName: string, t: TFunction, language: Language): string {
  if (tab.info) return tab.info.title[language];
  return tab.target.kind === 'host'
    ? t('terminal.hostShellTitle', { host: hostName })
    : t('terminal.containerShellTitle', { host: hostName, user: tab.target.user, container: tab.target.container });
}
