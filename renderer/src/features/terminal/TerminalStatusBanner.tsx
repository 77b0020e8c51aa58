import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/ApiContext';
import { useAppStore } from '../../store/appStore';
import type { TerminalTab } from '../../store/terminalSlice';

interface TerminalStatusBannerProps {
  tab: TerminalTab;
  hostName: string;
  /** Called just before the tab asks for a fresh terminal. */
  onReopen(): void;
}

/** Opening, or why the terminal ended, with the way back: a fresh shell for the same host and target. */
export function TerminalStatusBanner({ tab, hostName, onReopen }: TerminalStatusBannerProps) {
  const { t } = useTranslation();
  const api = useApi();
  const terminalReopened = useAppStore((state) => state.terminalReopened);
  const info = tab.info;

  if (!info && !tab.openError) {
    return (
      <p className="terminal-banner terminal-banner--opening" role="status">
        {t('terminal.opening', { host: hostName })}
      </p>
    );
  }
  if (info?.state === 'running') return null;

  // The ended terminal is forgotten (the main process keeps it listed until closed); the main
  // process connects the host again if it has to (asking for a password, say, as usual).
  const reopen = () => {
    if (info) api.terminal.close({ id: info.id }).catch(() => undefined);
    onReopen();
    terminalReopened(tab.key);
  };

  const message = tab.openError
    ? t('terminal.openFailed', { reason: tab.openError })
    : info?.state === 'dropped'
      ? info.reason
        ? t('terminal.dropped', { reason: info.reason })
        : t('terminal.droppedNoReason')
      : info?.exitCode != null
        ? t('terminal.exited', { code: info.exitCode })
        : t('terminal.exitedNoCode');
  const failure = tab.openError !== null || info?.state === 'dropped';

  return (
    <div className={`terminal-banner ${failure ? 'terminal-banner--failure' : ''}`} role={failure ? 'alert' : 'status'}>
      <p className="terminal-banner__text">{message}</p>
      <button type="button" className="button button--small" aria-label={t('terminal.reopenLabel')} onClick={reopen}>
        {t('terminal.reopen')}
      </button>
    </div>
  );
}
