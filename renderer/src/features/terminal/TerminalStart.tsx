import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import { Icon } from '../../components/icons';
import { useAppStore } from '../../store/appStore';
import { selectContainerShell } from '../../store/selectors/terminalSelectors';

/** No tab yet but hosts are connected: one click opens a shell, on the host or in the guide's container. */
export function TerminalStart({ hosts, onNew }: { hosts: readonly HostProfile[]; onNew(): void }) {
  const { t } = useTranslation();
  const titleId = useId();
  return (
    <section className="terminal-start" aria-labelledby={titleId}>
      <div className="empty-state__icon" aria-hidden="true">
        <Icon name="terminal" size={40} />
      </div>
      <h2 id={titleId} className="empty-state__title">
        {t('terminal.startTitle')}
      </h2>
      <p className="empty-state__body">{t('terminal.startBody')}</p>
      <ul className="terminal-start__hosts">
        {hosts.map((host) => (
          <StartHost key={host.id} host={host} />
        ))}
      </ul>
      <button type="button" className="button button--quiet" onClick={onNew}>
        {t('terminal.newTerminal')}
      </button>
    </section>
  );
}

function StartHost({ host }: { host: HostProfile }) {
  const { t } = useTranslation();
  const terminalRequested = useAppStore((state) => state.terminalRequested);
  const shell = useAppStore(useShallow(selectContainerShell(host.id)));
  return (
    <li className="terminal-start__host">
      <button type="button" className="button" onClick={() => terminalRequested({ hostId: host.id, target: { kind: 'host' } })}>
        {t('terminal.hostShell', { host: host.name })}
      </button>
      {shell && (
        <button type="button" className="button button--quiet" onClick={() => terminalRequested({ hostId: host.id, target: { kind: 'container', ...shell } })}>
          {t('terminal.containerShell', { host: host.name, ...shell })}
        </button>
      )}
    </li>
  );
}
