import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../../components/EmptyState';
import { Icon } from '../../../components/icons';
import { useAppStore } from '../../../store/appStore';
import { ImportDialog } from './ImportDialog';
import { OpenDialog } from './OpenDialog';

/** No workspace open: what the builder is for, and the two ways in. */
export function DatasetWelcome() {
  const { t, i18n } = useTranslation();
  const opened = useAppStore((state) => state.datasetWorkspaceOpened);
  const [dialog, setDialog] = useState<'open' | 'import' | null>(null);
  return (
    <div className="dataset-welcome">
      <EmptyState icon={<Icon name="dataset" size={40} />} title={t('dataset.emptyTitle')}>
        {t('dataset.emptyBody')}
      </EmptyState>
      <div className="dataset-welcome__actions">
        <button type="button" className="button" onClick={() => setDialog('open')}>
          {t('dataset.bar.open')}
        </button>
        <button type="button" className="button button--quiet" onClick={() => setDialog('import')}>
          <Icon name="import" size={16} /> {t('dataset.bar.import')}
        </button>
      </div>
      {dialog === 'open' && (
        <OpenDialog
          onOpened={(info) => {
            setDialog(null);
            opened(info);
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'import' && <ImportDialog language={i18n.language === 'zh' ? 'zh' : 'en'} onOpened={opened} onClose={() => setDialog(null)} />}
    </div>
  );
}
