import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { Icon } from '../../components/icons';

export function TerminalScreen() {
  const { t } = useTranslation();
  return (
    <EmptyState icon={<Icon name="terminal" size={40} />} title={t('terminal.emptyTitle')}>
      {t('terminal.emptyBody')}
    </EmptyState>
  );
}
