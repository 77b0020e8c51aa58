import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostProfile, HostStatus } from '../../../../shared/hosts/hostProfile';
import type { TransferRequest } from '../../../../shared/transfers/transferJob';
import { Icon } from '../../components/icons';
import { AuditDialog } from '../audit/AuditDialog';
import { formatRtt } from './hostDisplay';

interface HostDetailsProps {
  id: string;
  hidden: boolean;
  profile: HostProfile;
  status: HostStatus | undefined;
  onTransfer(direction: TransferRequest['direction']): void;
}

export function HostDetails({ id, hidden, profile, status, onTransfer }: HostDetailsProps) {
  const { t, i18n } = useTranslation();
  const [auditOpen, setAuditOpen] = useState(false);
  const live = status?.state === 'connected' ? status : null;
  const none = t('hosts.detail.none');
  const name = profile.name;
  const algorithms = live?.algorithms;
  const route = [t('hosts.detail.thisComputer'), ...profile.jump, name].join(' → ');
  const since = live?.connectedAt != null ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' }).format(live.connectedAt) : none;

  return (
    <div id={id} hidden={hidden} className="host-details">
      <dl className="detail-list">
        <dt>{t('hosts.detail.route')}</dt>
        <dd>{route}</dd>
        <dt>{t('hosts.detail.login')}</dt>
        <dd>
          {t(`hostForm.authMode.${profile.auth}.label`)}
          {profile.identityFile && <span className="mono"> {profile.identityFile}</span>}
        </dd>
        <dt>{t('hosts.detail.rtt')}</dt>
        <dd>{live?.rttMs != null ? t('hosts.rtt', { ms: formatRtt(live.rttMs) }) : none}</dd>
        <dt>{t('hosts.detail.connectedSince')}</dt>
        <dd>{since}</dd>
      </dl>
      <h4 className="host-details__heading">{t('hosts.detail.algorithms')}</h4>
      {algorithms ? (
        <dl className="detail-list detail-list--mono">
          <dt>{t('hosts.detail.kex')}</dt>
          <dd>{algorithms.kex}</dd>
          <dt>{t('hosts.detail.hostKey')}</dt>
          <dd>{algorithms.serverHostKey}</dd>
          <dt>{t('hosts.detail.cipher')}</dt>
          <dd>{algorithms.cipher}</dd>
          <dt>{t('hosts.detail.mac')}</dt>
          <dd>{algorithms.mac}</dd>
          <dt>{t('hosts.detail.compression')}</dt>
          <dd>{algorithms.compression}</dd>
        </dl>
      ) : (
        <p className="host-details__note">{t('hosts.detail.notConnected')}</p>
      )}
      <div className="host-details__actions">
        <button type="button" className="button button--small button--quiet" aria-label={t('hosts.uploadTo', { name })} onClick={() => onTransfer('upload')}>
          <Icon name="upload" size={14} />
          {t('hosts.upload')}
        </button>
        <button type="button" className="button button--small button--quiet" aria-label={t('hosts.downloadFrom', { name })} onClick={() => onTransfer('download')}>
          <Icon name="download" size={14} />
          {t('hosts.download')}
        </button>
        <button type="button" className="button button--small button--quiet" aria-label={t('audit.openFor', { name })} onClick={() => setAuditOpen(true)}>
          {t('audit.open')}
        </button>
      </div>
      {auditOpen && <AuditDialog hostId={profile.id} hostName={name} onClose={() => setAuditOpen(false)} />}
    </div>
  );
}
