import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { Icon } from '../../components/icons';
import { useUpdateSettings } from '../shell/useSettingsSync';

export function LossPanel() {
  const { t } = useTranslation();
  const updateSettings = useUpdateSettings();
  return (
    <aside className="loss-panel" aria-label={t('loss.title')}>
      <header className="loss-panel__header">
        <h2 className="panel-title">{t('loss.title')}</h2>
        <button type="button" className="icon-button" aria-label={t('loss.close')} title={t('loss.close')} onClick={() => updateSettings({ sidePanel: { open: false } })}>
          <Icon name="close" />
        </button>
      </header>
      <EmptyState icon={<Icon name="loss" size={40} />} title={t('loss.emptyTitle')}>
        {t('loss.emptyBody')}
      </EmptyState>
    </aside>
  );
}
