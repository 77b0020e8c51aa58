import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { HostProfile, HostStatus } from '../../../../shared/hosts/hostProfile';
import type { TransferRequest } from '../../../../shared/transfers/transferJob';
import { useApi } from '../../api/ApiContext';
import { Icon } from '../../components/icons';
import { useAppStore } from '../../store/appStore';
import { selectHostStatus } from '../../store/selectors/hostsSelectors';
import { selectContainerShell } from '../../store/selectors/terminalSelectors';
import { HostDetails } from './HostDetails';
import { formatEndpoint, formatRtt, secondsUntil } from './hostDisplay';
import { errorText } from './useAsyncTask';
import { useNow } from './useNow';

interface HostItemProps {
  profile: HostProfile;
  onEdit(): void;
  onRemove(): void;
  onTransfer(direction: TransferRequest['direction']): void;
}

export function HostItem({ profile, onEdit, onRemove, onTransfer }: HostItemProps) {
  const { t } = useTranslation();
  const api = useApi();
  const status = useAppStore(selectHostStatus(profile.id));
  const statusReceived = useAppStore((state) => state.statusReceived);
  const terminalRequested = useAppStore((state) => state.terminalRequested);
  const containerShell = useAppStore(useShallow(selectContainerShell(profile.id)));
  const [expanded, setExpanded] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const detailsId = useId();
  const state = status?.state ?? 'disconnected';
  // Disconnect also stops an attempt in progress and a scheduled retry.
  const active = state === 'connecting' || state === 'connected' || state === 'reconnecting';
  const name = profile.name;

  const connect = () => {
    setActionError(null);
    api.hosts.connect({ id: profile.id }).then(statusReceived, (error: unknown) => setActionError(errorText(error)));
  };
  const disconnect = () => {
    setActionError(null);
    api.hosts.disconnect({ id: profile.id }).catch((error: unknown) => setActionError(errorText(error)));
  };

  return (
    <li className="host-item" data-state={state}>
      <div className="host-item__head">
        <div className="host-item__ident">
          <h3 className="host-item__name">
            <span className={`status-dot status-dot--${state}`} aria-hidden="true" />
            {name}
          </h3>
          <p className="host-item__endpoint">{formatEndpoint(profile)}</p>
        </div>
        <button type="button" className="icon-button icon-button--small" aria-label={t('hosts.edit', { name })} title={t('hosts.edit', { name })} onClick={onEdit}>
          <Icon name="edit" size={16} />
        </button>
        <button type="button" className="icon-button icon-button--small icon-button--danger" aria-label={t('hosts.remove', { name })} title={t('hosts.remove', { name })} onClick={onRemove}>
          <Icon name="trash" size={16} />
        </button>
      </div>
      <HostStatusLine status={status} />
      {actionError && (
        <p className="host-item__error" role="alert">
          {actionError}
        </p>
      )}
      <div className="host-item__actions">
        {active ? (
          <button type="button" className="button button--small button--quiet" aria-label={t('hosts.disconnectHost', { name })} onClick={disconnect}>
            {t('hosts.disconnect')}
          </button>
        ) : (
          <button type="button" className="button button--small" aria-label={t('hosts.connectHost', { name })} onClick={connect}>
            {t('hosts.connect')}
          </button>
        )}
        {state === 'connected' && (
          <button type="button" className="button button--small button--quiet" aria-label={t('terminal.sidebar.shellLabel', { name })} title={t('terminal.sidebar.shellLabel', { name })} onClick={() => terminalRequested({ hostId: profile.id, target: { kind: 'host' } })}>
            <Icon name="terminal" size={14} />
            {t('terminal.sidebar.shell')}
          </button>
        )}
        {state === 'connected' && containerShell && (
          <button
            type="button"
            className="button button--small button--quiet"
            aria-label={t('terminal.sidebar.containerLabel', { name, ...containerShell })}
            title={t('terminal.sidebar.containerLabel', { name, ...containerShell })}
            onClick={() => terminalRequested({ hostId: profile.id, target: { kind: 'container', ...containerShell } })}
          >
            <Icon name="terminal" size={14} />
            {t('terminal.sidebar.container')}
          </button>
        )}
        <button type="button" className="disclosure" aria-expanded={expanded} aria-controls={detailsId} aria-label={t('hosts.detailsHost', { name })} onClick={() => setExpanded(!expanded)}>
          <Icon name="chevron" size={14} />
          {t('hosts.details')}
        </button>
      </div>
      <HostDetails id={detailsId} hidden={!expanded} profile={profile} status={status} onTransfer={onTransfer} />
    </li>
  );
}

function HostStatusLine({ status }: { status: HostStatus | undefined }) {
  const { t } = useTranslation();
  const state = status?.state ?? 'disconnected';
  // A reconnect keeps the error that caused it, so the user sees why it is retrying.
  const error = state === 'failed' || state === 'reconnecting' ? status?.error : null;
  const countdown = state === 'reconnecting' ? (status?.retryAt ?? null) : null;
  return (
    <div className="host-status">
      <p className={`host-status__line host-status__line--${state}`}>
        {/* Announces state changes; the countdown beside it ticks every second and must not. */}
        <span aria-live="polite" className={countdown != null ? 'visually-hidden' : undefined}>
          {t(`hosts.state.${state}`)}
        </span>
        {state === 'connected' && status?.rttMs != null && <span> · {t('hosts.rtt', { ms: formatRtt(status.rttMs) })}</span>}
        {countdown != null && <ReconnectCountdown retryAt={countdown} />}
      </p>
      {error &&
        (error.kind === 'host-key' ? (
          <div className="host-key-alert" role="alert">
            <p className="host-key-alert__title">
              <Icon name="warning" size={16} />
              {t('hosts.hostKeyAlert')}
            </p>
            <pre className="host-key-alert__message">{error.message}</pre>
          </div>
        ) : (
          <p className="host-status__error">{error.message}</p>
        ))}
    </div>
  );
}

/** Mounted only while a retry is scheduled, so idle rows keep no timer. */
function ReconnectCountdown({ retryAt }: { retryAt: number }) {
  const { t } = useTranslation();
  const now = useNow();
  return <span className="host-status__countdown">{t('hosts.reconnectingIn', { seconds: secondsUntil(retryAt, now) })}</span>;
}
