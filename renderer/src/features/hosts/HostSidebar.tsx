import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import type { TransferRequest } from '../../../../shared/transfers/transferJob';
import { Icon } from '../../components/icons';
import { useAppStore } from '../../store/appStore';
import { HostFormDialog } from './HostFormDialog';
import { HostItem } from './HostItem';
import { ImportSshConfigDialog } from './ImportSshConfigDialog';
import { RemoveHostDialog } from './RemoveHostDialog';
import { TransferFormDialog } from './TransferFormDialog';
import { TransfersSection } from './TransfersSection';

type SidebarDialog =
  | { kind: 'add' }
  | { kind: 'import' }
  | { kind: 'edit'; profile: HostProfile }
  | { kind: 'remove'; profile: HostProfile }
  | { kind: 'transfer'; profile: HostProfile; direction: TransferRequest['direction'] };

export function HostSidebar() {
  const { t } = useTranslation();
  const profiles = useAppStore((state) => state.hostProfiles);
  const problems = useAppStore((state) => state.hostProblems);
  const [dialog, setDialog] = useState<SidebarDialog | null>(null);
  const close = () => setDialog(null);

  return (
    <aside className="host-sidebar" aria-label={t('hosts.title')}>
      <header className="host-sidebar__header">
        <h2 className="panel-title">{t('hosts.title')}</h2>
        {profiles.length > 0 && (
          <div className="host-sidebar__tools">
            <button type="button" className="icon-button" aria-label={t('hosts.add')} title={t('hosts.add')} onClick={() => setDialog({ kind: 'add' })}>
              <Icon name="plus" />
            </button>
            <button type="button" className="icon-button" aria-label={t('hosts.import')} title={t('hosts.import')} onClick={() => setDialog({ kind: 'import' })}>
              <Icon name="import" />
            </button>
          </div>
        )}
      </header>
      {problems.length > 0 && (
        <div className="notice notice--warn" role="note">
          <p className="notice__title">{t('hosts.problemsTitle')}</p>
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      {profiles.length === 0 ? (
        <div className="host-sidebar__empty">
          <Icon name="server" size={28} />
          <p className="host-sidebar__empty-title">{t('hosts.emptyTitle')}</p>
          <p>{t('hosts.emptyBody')}</p>
          <div className="host-sidebar__empty-actions">
            <button type="button" className="button" onClick={() => setDialog({ kind: 'add' })}>
              {t('hosts.add')}
            </button>
            <button type="button" className="button button--quiet" onClick={() => setDialog({ kind: 'import' })}>
              {t('hosts.import')}
            </button>
          </div>
        </div>
      ) : (
        <ul className="host-list" aria-label={t('hosts.list')}>
          {profiles.map((profile) => (
            <HostItem
              key={profile.id}
              profile={profile}
              onEdit={() => setDialog({ kind: 'edit', profile })}
              onRemove={() => setDialog({ kind: 'remove', profile })}
              onTransfer={(direction) => setDialog({ kind: 'transfer', profile, direction })}
            />
          ))}
        </ul>
      )}
      {profiles.length > 0 && <TransfersSection />}

      {dialog?.kind === 'add' && <HostFormDialog onClose={close} />}
      {dialog?.kind === 'edit' && <HostFormDialog profile={dialog.profile} onClose={close} />}
      {dialog?.kind === 'import' && <ImportSshConfigDialog onClose={close} />}
      {dialog?.kind === 'remove' && <RemoveHostDialog profile={dialog.profile} onClose={close} />}
      {dialog?.kind === 'transfer' && <TransferFormDialog profile={dialog.profile} direction={dialog.direction} onClose={close} />}
    </aside>
  );
}
