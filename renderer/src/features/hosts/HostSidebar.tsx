import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/icons';

export function HostSidebar() {
  const { t } = useTranslation();
  return (
    <aside className="host-sidebar" aria-label={t('hosts.title')}>
      <h2 className="panel-title">{t('hosts.title')}</h2>
      <div className="host-sidebar__empty">
        <Icon name="server" size={28} />
        <p className="host-sidebar__empty-title">{t('hosts.emptyTitle')}</p>
        <p>{t('hosts.emptyBody')}</p>
      </div>
    </aside>
  );
}
