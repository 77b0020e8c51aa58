import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { Icon } from '../../components/icons';

export function DatasetScreen() {
  const { t } = useTranslation();
  return (
    <EmptyState icon={<Icon name="dataset" size={40} />} title={t('dataset.emptyTitle')}>
      {t('dataset.emptyBody')}
    </EmptyState>
  );
}
